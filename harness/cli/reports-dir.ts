// SPDX-License-Identifier: GPL-2.0-only
// An output directory is checked before the work, not after: a --reports or --out that
// cannot be written (a file, a read-only place) is an input error in one line
// instead of a stack trace once every case has already run.
import { existsSync } from "node:fs";
import { access, constants, rename, rm, rmdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
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

/** Linux's limits: a path of PATH_MAX bytes with its NUL, NAME_MAX bytes per name. */
const PATH_MAX = 4096;
const NAME_MAX = 255;

/** The directories `dir` would add, outermost first (those that do not exist yet). */
function missingAncestors(dir: string): string[] {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  return missing;
}

/**
 * Creates `dir` if needed and checks it can be written. A name too long for
 * the kernel is refused before anything is created, and when a later step
 * fails the directories this call made are removed: a refused path leaves
 * nothing behind.
 */
export async function ensureReportsDir(dir: string): Promise<void> {
  const absolute = resolve(dir);
  const longName = absolute.split(sep).find((name) => Buffer.byteLength(name) > NAME_MAX);
  if (longName !== undefined) throw new InputError(`cannot write to '${dir}': a name in it is longer than ${NAME_MAX} bytes`);
  // Room for the longest report name under it, too.
  if (Buffer.byteLength(join(absolute, ".results.json.4294967295.tmp")) >= PATH_MAX) throw new InputError(`cannot write to '${dir}': the path is longer than ${PATH_MAX - 1} bytes`);
  const created = missingAncestors(dir);
  try {
    await makeDirectory(dir);
    await access(dir, constants.W_OK);
  } catch (err) {
    for (const d of created.reverse()) await rmdir(d).catch(() => undefined);
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
