// SPDX-License-Identifier: GPL-2.0-only
// Kernel facts read from /proc: AIO accounting and the kernel release.
import { readFileSync } from "node:fs";

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

/** The numeric part of the release ("6.18.44-..." -> 6.18.44; a missing patch is 0). */
export function kernelVersion(release: string = kernelRelease()): KernelVersion {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  if (!m) throw new Error(`cannot parse kernel release "${release}"`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/** Whether the running kernel is at least major.minor[.patch]. */
export function kernelAtLeast(major: number, minor: number, patch = 0, version: KernelVersion = kernelVersion()): boolean {
  if (version.major !== major) return version.major > major;
  if (version.minor !== minor) return version.minor > minor;
  return version.patch >= patch;
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
