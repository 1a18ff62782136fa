#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages kapi-conform uses, where this machine allows it
# (root with apt-get). Everything here is optional for the core run: a package
# that cannot be installed turns the checks that need it into skips with a reason.
set -u

#
# With --vm it installs instead what `kapi-conform vm` needs to boot other
# kernels (npm run setup:vm). That set is kept out of the default one so that
# `npm test`'s setup stays small; the VM test runs `--vm` itself when qemu is
# missing (about 6 s with --no-install-recommends, measured on Debian 12).

# libaio's package name: libaio1 on Debian 12 and Ubuntu 22.04, libaio1t64 (the time64
# transition, library libaio.so.1t64) on Debian 13 and Ubuntu 24.04, where libaio1 does not
# exist. An installed one wins; otherwise the one apt knows.
libaio_package() {
  local p
  for p in libaio1t64 libaio1; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && { echo "$p"; return; }
  done
  for p in libaio1t64 libaio1; do
    apt-cache show "$p" >/dev/null 2>&1 && { echo "$p"; return; }
  done
  echo libaio1
}

# package -> what needs it
declare -A wanted
if [ "${1:-}" = "--vm" ]; then
  wanted=(
    [qemu-system-x86]="kapi-conform vm: qemu-system-x86_64 boots the kernel under test"
    [busybox-static]="kapi-conform vm: the VM's /init and shell (static: the initramfs has no libraries for it)"
  )
else
  wanted=(
    [$(libaio_package)]="libaio io_cancel wrapper checks (drift)"
    [gcc]="the C self-check of the kernel access layer"
    [libc6-dev]="the C self-check of the kernel access layer"
    [manpages-dev]="the io_cancel(2) man page for drift"
    [libxml2-utils]="xmllint: the test that junit.xml is valid against junit-10.xsd"
  )
fi

missing=()
for pkg in "${!wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  for pkg in "${missing[@]}"; do
    echo "kapi-conform setup: $pkg not installed and cannot install it here (needs root and apt-get); affected: ${wanted[$pkg]}" >&2
  done
  exit 0
fi

echo "kapi-conform setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1
  for pkg in "${missing[@]}"; do
    # With fresh package lists the libaio name may resolve differently.
    try=$pkg
    case $pkg in libaio1|libaio1t64) try=$(libaio_package) ;; esac
    apt-get install -y -qq --no-install-recommends "$try" >/dev/null 2>&1 ||
      echo "kapi-conform setup: could not install $try; affected: ${wanted[$pkg]}" >&2
  done
fi
exit 0
