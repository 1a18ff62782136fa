// SPDX-License-Identifier: GPL-2.0-only
// An output directory is checked before the work, not after: a --reports or --out that
// cannot be written (a file, a read-only place) is an input error in one line
// instead of a stack trace once every case has already run.
import { access, constants } from "node:fs/promises";
import { makeDirectory } from "../report/directory.js";
import { InputError } from "./errors.js";

export async function ensureReportsDir(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
    await access(dir, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOTDIR" || code === "EEXIST" ? "a file is in the way" : code === "EACCES" || code === "EPERM" || code === "EROFS" ? "permission denied" : (err as Error).message.split("\n")[0];
    throw new InputError(`cannot write to '${dir}': ${why}`);
  }
}
