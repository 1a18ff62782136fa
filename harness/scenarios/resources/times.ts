// SPDX-License-Identifier: GPL-2.0-only
// A path's timestamps around the call under test, for the side effects that
// claim the call moves them (open's O_CREAT and O_TRUNC, write).
import { statSync, utimesSync } from "node:fs";

/** Timestamps of a path, in nanoseconds. */
export interface Times {
  atime: bigint;
  mtime: bigint;
  ctime: bigint;
}

export function timesOf(path: string): Times {
  const s = statSync(path, { bigint: true });
  return { atime: s.atimeNs, mtime: s.mtimeNs, ctime: s.ctimeNs };
}

/** A day well in the past, for atime and mtime. */
const PAST = new Date("2001-01-01T00:00:00Z");

/**
 * Sets the path's atime and mtime in the past, then lets the clock move on:
 * ctime (set to now by utimes) is older than anything the call can set, also
 * with coarse (per-tick) timestamps.
 */
export function agedTimes(path: string): Times {
  utimesSync(path, PAST, PAST);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  return timesOf(path);
}
