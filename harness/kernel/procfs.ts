// SPDX-License-Identifier: GPL-2.0-only
// Kernel facts read from /proc: AIO accounting and the kernel release.
import { readFileSync } from "node:fs";
import semver from "semver";
import { kernelVersionOf } from "../gate/kernel-range.js";

function readInt(path: string): number {
  const text = readFileSync(path, "utf8").trim();
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`${path}: expected an integer, read "${text}"`);
  return n;
}

/**
 * fs.aio-nr: event slots reserved by all live AIO contexts, system-wide (each
 * context adds its max_reqs, about twice nr_events; not one per context).
 */
export function aioNr(): number {
  return readInt("/proc/sys/fs/aio-nr");
}

/** fs.aio-max-nr: io_setup fails with EAGAIN once aio-nr would exceed it. */
export function aioMaxNr(): number {
  return readInt("/proc/sys/fs/aio-max-nr");
}

/** uname -r, e.g. "6.18.44-fc-v769". */
export function kernelRelease(): string {
  return readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
}

export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
}

/** The numeric part of the release ("6.18.44-..." -> 6.18.44; a missing patch is 0), read by the project's one version parser. */
export function kernelVersion(release: string = kernelRelease()): KernelVersion {
  const v = kernelVersionOf(release);
  if (!v) throw new Error(`cannot parse kernel release "${release}"`);
  return { major: v.major, minor: v.minor, patch: v.patch };
}

/** Whether the running kernel is at least major.minor[.patch]. */
export function kernelAtLeast(major: number, minor: number, patch = 0, version: KernelVersion = kernelVersion()): boolean {
  return semver.gte(`${version.major}.${version.minor}.${version.patch}`, `${major}.${minor}.${patch}`);
}

/**
 * AIO rings mapped in this process: each live context with its ring in place
 * shows as a "/[aio] (deleted)" line in /proc/self/maps. Per-process, unlike aio-nr.
 */
export function aioRingMappings(): number {
  return readFileSync("/proc/self/maps", "utf8")
    .split("\n")
    .filter((line) => line.includes("/[aio]")).length;
}
