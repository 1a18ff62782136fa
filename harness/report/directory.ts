// SPDX-License-Identifier: GPL-2.0-only
// Creates a directory and its missing parents one level at a time. Node's
// mkdir({ recursive: true }) loops forever on some pseudo file systems (a
// path under /proc), which would hang the CLI instead of failing; a plain
// mkdir per component fails there with ENOENT like anywhere else.
import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

/** Whether `path` exists; an existing non-directory is an ENOTDIR error, as mkdir would give. */
async function isDirectory(path: string): Promise<boolean> {
  let info;
  try {
    info = await stat(path);
  } catch {
    return false;
  }
  if (info.isDirectory()) return true;
  throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${path}'`), { code: "ENOTDIR" });
}

export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); !(await isDirectory(d)); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      await mkdir(d);
    } catch (err) {
      // Made by someone else meanwhile: fine.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
}
