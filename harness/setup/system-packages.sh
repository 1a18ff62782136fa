#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs the Debian packages kapi-conform uses, where this machine allows it
# (root with apt-get). Everything here is optional for the core run: a package
# that cannot be installed turns the checks that need it into skips with a reason.
set -u

# package -> what needs it
declare -A wanted=(
  [libaio1]="libaio io_cancel wrapper checks (drift)"
  [gcc]="the C self-check of the kernel access layer"
  [libc6-dev]="the C self-check of the kernel access layer"
  [manpages-dev]="the io_cancel(2) man page for drift"
)

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
    apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 ||
      echo "kapi-conform setup: could not install $pkg; affected: ${wanted[$pkg]}" >&2
  done
fi
exit 0
