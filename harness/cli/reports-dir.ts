// SPDX-License-Identifier: GPL-2.0-only
// An output directory is checked before the work, not after: a --reports or --out that
// cannot be written (a file, a read-only place) is an input error in one line
// instead of a stack trace once every case has already run.
import { existsSync } from "node:fs";
import { access, constants, rmdir } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { makeDirectory } from "../report/directory.js";
import { InputError } from "../input-error.js";

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
