// SPDX-License-Identifier: GPL-2.0-only
// An output directory is checked before the work, not after: a --reports or --out that
// cannot be written (a file, a read-only place) is an input error in one line
// instead of a stack trace once every case has already run.
import { access, constants, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeDirectory } from "../report/directory.js";
import { REPORT_FILES } from "../report/write.js";
import type { RunResults } from "../run/results.js";
import { InputError } from "./errors.js";

function cannotWrite(dir: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === "ENOTDIR" || code === "EEXIST" ? "a file is in the way" : code === "EACCES" || code === "EPERM" || code === "EROFS" ? "permission denied" : (err as Error).message.split("\n")[0];
  return new InputError(`cannot write to '${dir}': ${why}`);
}

export async function ensureReportsDir(dir: string): Promise<void> {
  try {
    await makeDirectory(dir);
    await access(dir, constants.W_OK);
  } catch (err) {
    throw cannotWrite(dir, err);
  }
}

/**
 * Marks `dir` as holding a run in progress, before any case runs: the previous
 * results.json goes first, then the reports made from it, then `marker` (status
 * "running") is renamed into place. Killed at any point, the directory holds no
 * results.json or one that is not "complete", and no report of the previous run
 * beside a results.json.
 */
export async function markRunStarted(dir: string, marker: RunResults): Promise<void> {
  try {
    await rm(join(dir, REPORT_FILES.results), { force: true });
    for (const name of Object.values(REPORT_FILES)) await rm(join(dir, name), { force: true });
    const temporary = join(dir, `.${REPORT_FILES.results}.${process.pid}.tmp`);
    await writeFile(temporary, JSON.stringify({ ...marker, status: "running" }, null, 2) + "\n");
    await rename(temporary, join(dir, REPORT_FILES.results));
  } catch (err) {
    throw cannotWrite(dir, err);
  }
}
