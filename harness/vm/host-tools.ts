// SPDX-License-Identifier: GPL-2.0-only
// The host programs `kapi-conform vm` needs, and the Debian package of each, so
// a missing one is reported as the exact package to install. The initramfs is
// written by cpio.ts, so cpio(1) is not among them; dpkg-deb and apt-get come
// with every Debian system.
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { isStatic } from "./shared-libs.js";

export interface VmTools {
  qemu: string;
  busybox: string;
}

export interface MissingTool {
  program: string;
  debianPackage: string;
  why: string;
}

/** The first executable of that name on PATH (and in the sbin dirs root's PATH may lack). */
export function which(program: string, path = process.env.PATH ?? ""): string | undefined {
  const dirs = [...path.split(delimiter), "/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"].filter((d) => d !== "");
  return dirs.map((dir) => join(dir, program)).find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The VM tools, or the list of what is missing (empty when all are there). */
export async function findVmTools(): Promise<{ tools?: VmTools; missing: MissingTool[] }> {
  const missing: MissingTool[] = [];
  const qemu = which("qemu-system-x86_64");
  if (!qemu) missing.push({ program: "qemu-system-x86_64", debianPackage: "qemu-system-x86", why: "boots the kernel under test" });
  // The VM has no libraries of its own for busybox: only a static build works there.
  let staticBusybox: string | undefined;
  for (const candidate of ["/bin/busybox", "/usr/bin/busybox", which("busybox")]) {
    if (candidate && isExecutable(candidate) && (await isStatic(candidate))) {
      staticBusybox = candidate;
      break;
    }
  }
  if (!staticBusybox) missing.push({ program: "busybox (static)", debianPackage: "busybox-static", why: "the VM's shell and /init" });
  if (qemu && staticBusybox) return { tools: { qemu, busybox: staticBusybox }, missing };
  return { missing };
}

/** One line naming the packages and how to get them. */
export function missingToolsMessage(missing: MissingTool[]): string {
  const list = missing.map((m) => `${m.debianPackage} (${m.program}: ${m.why})`).join(", ");
  const names = missing.map((m) => m.debianPackage).join(" ");
  return `vm: missing Debian packages: ${list}; install them with 'npm run setup:vm' or 'apt-get install --no-install-recommends ${names}'`;
}
