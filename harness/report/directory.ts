// SPDX-License-Identifier: GPL-2.0-only
// Creates a directory and its missing parents one level at a time. Node's
// mkdir({ recursive: true }) loops forever on some pseudo file systems (a
// path under /proc), which would hang the CLI instead of failing; a plain
// mkdir per component fails there with ENOENT like anywhere else.
import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = resolve(dir); !(await exists(d)); d = dirname(d)) {
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
