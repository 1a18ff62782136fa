// SPDX-License-Identifier: GPL-2.0-only
// Writes every report of a run into one directory, so that a CI job that
// uploads it "if: always()" can never take a killed or failed run for a
// finished one:
// - startReports() at the start of a run moves the previous set into
//   DIR/.previous/ (where readers do not look) and leaves a results.json that
//   says "running"; a run killed from then on leaves exactly that.
// - writeReports() writes the whole set into a fresh staging directory inside
//   DIR (created by mkdtemp, so nobody else's links are in it; each file opened
//   O_CREAT|O_EXCL|O_NOFOLLOW and synced), then renames each file into place,
//   results.json last: a reader sees an old file or a new one, never half of
//   one, and a complete status only once the whole set is there. rename()
//   replaces a symlink named junit.xml instead of following it.
// - any write error (ENOSPC, EIO, EDQUOT, ...) is one ReportWriteError naming
//   the file and the reason; the staging directory is removed and nothing of
//   the failed set is moved into place.
// Nothing is created outside DIR, and DIR itself must not be a symlink.
import { constants } from "node:fs";
import { lstat, mkdir, mkdtemp, open, readdir, rename, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../input-error.js";
import type { RunResults } from "../run/results.js";
import { renderDrift, type DriftReport } from "../drift/report.js";
import { makeDirectory } from "./directory.js";
import { terminalText } from "./encode/terminal.js";
import { renderKtap } from "./ktap.js";
import { renderSummary } from "./summary.js";

export const REPORT_FILES = {
  results: "results.json",
  ktap: "results.tap",
  junit: "junit.xml",
  summary: "summary.md",
  driftJson: "drift.json",
  driftMd: "drift.md",
} as const;

let junit: Promise<typeof import("./junit.js")> | undefined;

/**
 * Starts loading the JUnit writer in the background, and the tap-junit
 * process it asks. It pulls in xmlbuilder2 (about 200 files), which only
 * writing reports needs: not at start-up, but `run` can load it while the
 * cases execute elsewhere.
 */
export function preloadReportWriters(): void {
  junit ??= import("./junit.js");
  void junit.then((m) => m.prestartTapJunit(), () => undefined);
}

/** Where startReports() keeps the previous run's set. */
export const PREVIOUS_DIR = ".previous";
const STAGING_PREFIX = ".kapi-conform-staging-";

/** A report could not be written: one line naming the file and the reason (exit 2). */
export class ReportWriteError extends InputError {
  override name = "ReportWriteError";
}

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EIO: "input/output error",
  EFBIG: "file too large",
  ELOOP: "is a symbolic link",
  ENOTDIR: "a file is in the way",
  ENAMETOOLONG: "path too long",
};

function writeError(path: string, err: unknown): ReportWriteError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code && REASONS[code] ? `${REASONS[code]} (${code})` : (err instanceof Error ? err.message : String(err)).split("\n")[0];
  return new ReportWriteError(`cannot write report '${terminalText(path)}': ${why}`);
}

/** Test seam: how a staged file is written (a test injects a failure here). */
export type WriteHook = (handle: FileHandle, data: string | Buffer, name: string) => Promise<void>;

const defaultWrite: WriteHook = async (handle, data) => {
  await handle.writeFile(data);
  await handle.sync();
};

/** DIR exists as a real directory (made if missing); a symlink, or a file in the way, is refused. */
async function reportsDirectory(dir: string): Promise<void> {
  let info;
  try {
    info = await lstat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw writeError(dir, err);
    try {
      await makeDirectory(dir);
    } catch (e) {
      throw writeError(dir, e);
    }
    info = await lstat(dir);
  }
  if (info.isSymbolicLink()) throw new ReportWriteError(`cannot write reports into '${terminalText(dir)}': it is a symbolic link (reports never follow links; give the real directory)`);
  if (!info.isDirectory()) throw new ReportWriteError(`cannot write reports into '${terminalText(dir)}': a file is in the way`);
}

/** Removes staging directories a killed run left behind (rm never follows the links inside). */
async function removeStale(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (name.startsWith(STAGING_PREFIX)) await rm(join(dir, name), { recursive: true, force: true });
}

/**
 * Writes `files` into DIR as one set. Returns the paths written. With
 * `options.write` a test can make a write fail.
 */
export async function writeSet(dir: string, files: Array<[string, string | Buffer]>, options: { write?: WriteHook } = {}): Promise<string[]> {
  await reportsDirectory(dir);
  let staging: string;
  try {
    staging = await mkdtemp(join(dir, STAGING_PREFIX));
  } catch (err) {
    throw writeError(dir, err);
  }
  const write = options.write ?? defaultWrite;
  // results.json last: its status is what says the set is whole.
  const order = [...files.filter(([n]) => n !== REPORT_FILES.results), ...files.filter(([n]) => n === REPORT_FILES.results)];
  try {
    for (const [name, data] of files) {
      let handle: FileHandle | undefined;
      try {
        handle = await open(join(staging, name), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
        await write(handle, data, name);
      } catch (err) {
        throw writeError(join(dir, name), err);
      } finally {
        await handle?.close();
      }
    }
    for (const [name] of order) {
      try {
        await rename(join(staging, name), join(dir, name));
      } catch (err) {
        throw writeError(join(dir, name), err);
      }
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return order.map(([name]) => join(dir, name));
}

/**
 * At the start of a run: the previous set moves to DIR/.previous/ and
 * results.json says "running" until writeReports() replaces it.
 */
export async function startReports(dir: string, run: Pick<RunResults, "tool" | "startedAt">): Promise<void> {
  await reportsDirectory(dir);
  await removeStale(dir);
  const previous = join(dir, PREVIOUS_DIR);
  const names = Object.values(REPORT_FILES) as string[];
  const present = (await readdir(dir)).filter((n) => names.includes(n));
  if (present.length > 0) {
    try {
      await rm(previous, { recursive: true, force: true });
      await mkdir(previous);
      for (const name of present) await rename(join(dir, name), join(previous, name));
    } catch (err) {
      throw writeError(previous, err);
    }
  }
  await writeSet(dir, [[REPORT_FILES.results, JSON.stringify({ ...run, status: "running" }, null, 2) + "\n"]]);
}

/**
 * Writes results.json, KTAP, JUnit and the summary; with drift reports also
 * drift.json and drift.md, and the drift rows in the summary; `extra` files
 * (a VM guest's other files) beside them. `keepResults` leaves the saved
 * results.json and drift.json alone (`kapi-conform report` rebuilds from them).
 */
export async function writeReports(
  results: RunResults,
  dir: string,
  driftInput?: DriftReport | DriftReport[],
  options: { keepResults?: boolean; extra?: Array<[string, Buffer]>; write?: WriteHook } = {},
): Promise<string[]> {
  const drift = driftInput === undefined ? [] : Array.isArray(driftInput) ? driftInput : [driftInput];
  // Loaded here (or by preloadReportWriters), not at start-up.
  const { renderJunit } = await (junit ??= import("./junit.js"));
  const files: Array<[string, string | Buffer]> = [
    ...(options.keepResults ? [] : [[REPORT_FILES.results, JSON.stringify(results, null, 2) + "\n"] as [string, string]]),
    [REPORT_FILES.ktap, renderKtap(results)],
    [REPORT_FILES.junit, await renderJunit(results)],
    [REPORT_FILES.summary, renderSummary(results, drift)],
  ];
  if (drift.length) {
    // One report as an object (as `kapi-conform drift` writes it), several as an array.
    if (!options.keepResults) files.push([REPORT_FILES.driftJson, JSON.stringify(drift.length === 1 ? drift[0] : drift, null, 2) + "\n"]);
    files.push([REPORT_FILES.driftMd, drift.map(renderDrift).join("\n")]);
  }
  const ours = new Set(files.map(([n]) => n));
  for (const [name, data] of options.extra ?? []) if (!ours.has(name) && !(Object.values(REPORT_FILES) as string[]).includes(name)) files.push([name, data]);
  return writeSet(dir, files, options.write ? { write: options.write } : {});
}
