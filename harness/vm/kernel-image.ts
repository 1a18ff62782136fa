// SPDX-License-Identifier: GPL-2.0-only
// A kernel to boot, whichever way it was named: a bzImage/vmlinuz path given
// with --kernel, or one unpacked from a Debian package (debian-kernel.ts).
import { existsSync, openSync, readSync, closeSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../input-error.js";

export interface KernelImage {
  /** The bzImage to pass to qemu -kernel. */
  kernel: string;
  /** Its config, when found: the suite's config checks then read the booted kernel's. */
  config?: string;
  /** The release its file name promises; the VM's `uname -r` is what counts. */
  expectedRelease?: string;
  /** For progress lines: the package and version, or the path. */
  label: string;
}

/** An x86 boot image carries "HdrS" at offset 0x202 (Documentation/arch/x86/boot.rst). */
export function isBzImage(file: string): boolean {
  const fd = openSync(file, "r");
  try {
    const magic = Buffer.alloc(4);
    return readSync(fd, magic, 0, 4, 0x202) === 4 && magic.toString("latin1") === "HdrS";
  } finally {
    closeSync(fd);
  }
}

/** `--kernel PATH`: checks it is a bzImage and looks for config-RELEASE beside it or in /boot. */
export function localKernel(path: string): KernelImage {
  const kernel = resolve(path);
  if (!existsSync(kernel) || !statSync(kernel).isFile()) throw new InputError(`vm: no such kernel image '${path}'`);
  if (!isBzImage(kernel)) throw new InputError(`vm: '${path}' is not an x86 bzImage (no "HdrS" boot header)`);
  const m = /^(?:vmlinuz|bzImage)-(.+)$/.exec(basename(kernel));
  const release = m?.[1];
  const config = release ? [join(dirname(kernel), `config-${release}`), `/boot/config-${release}`].find((c) => existsSync(c)) : undefined;
  return { kernel, label: path, ...(config ? { config } : {}), ...(release ? { expectedRelease: release } : {}) };
}
