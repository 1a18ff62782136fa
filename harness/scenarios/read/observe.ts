// SPDX-License-Identifier: GPL-2.0-only
// What the read spec's side effects, capabilities and MAX_RW_COUNT constraint
// claim, observed from user space: the calling thread's I/O counters
// (/proc/thread-self/io), inotify's IN_ACCESS, the file's atime, a mode-000
// file opened with and without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH, and a
// read of /dev/zero larger than MAX_RW_COUNT. Helpers stay in this folder
// (read-only uses); none of them states what a spec item says.
import { statSync, utimesSync } from "node:fs";
import { MMAP } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, syscall, type SyscallResult } from "../../kernel/syscall.js";
import { describeResult } from "../../run/expectation.js";
import { ResourceUnavailable } from "../errors.js";
import type { ClaimProbe, FactObservation } from "../scenario.js";
import { cString, oflags, openFd, openRaw } from "../resources/fds.js";
import { withoutCapabilities, type CapabilityName } from "../resources/capabilities.js";
import { IN_ACCESS, inotifyWatch, queuedMasks, type Watched } from "../resources/inotify.js";
import type { Accounted, TaskIo } from "../resources/task-io.js";
import { MAX_RW_COUNT } from "../resources/file-io.js";

const done = (call: SyscallResult): bigint => (call.errno === undefined ? call.ret : 0n);

// ---- task I/O accounting ---------------------------------------------------

const ioFacts = (d: TaskIo): Record<string, string> => ({ rcharDelta: String(d.rchar), syscrDelta: String(d.syscr) });

export const RCHAR_COUNTS_BYTES: ClaimProbe<Accounted> = {
  claim: "the thread's rchar (/proc/thread-self/io) grows by the bytes the call returned (by nothing when it fails)",
  // Led by the verb, so that "is not incremented" reads as a denial.
  says: ["incremented by bytes read"],
  observe: (s, call) => {
    const d = s.io.delta();
    return { holds: d.rchar === done(call), facts: ioFacts(d), detail: `rchar +${d.rchar} across a call that returned ${describeResult(call)}` };
  },
};

export const SYSCR_COUNTS_EVERY_CALL: ClaimProbe<Accounted> = {
  claim: "the thread's syscr (/proc/thread-self/io) grows by one for the call, whether it succeeds or fails",
  says: ["updated regardless of success or failure", "incremented unconditionally"],
  observe: (s, call) => {
    const d = s.io.delta();
    return { holds: d.syscr === 1n, facts: ioFacts(d), detail: `syscr +${d.syscr} across a call that returned ${describeResult(call)}` };
  },
};

// ---- fsnotify --------------------------------------------------------------

/** A non-blocking inotify instance watching `path` for IN_ACCESS, closed on release. */
export const watchAccess = (scope: ResourceScope, path: string): Watched => inotifyWatch(scope, path, IN_ACCESS);

export const ACCESS_EVENT: ClaimProbe<Watched> = {
  claim: "an inotify watcher of the file receives IN_ACCESS (FS_ACCESS) for the read",
  says: ["generates FS_ACCESS fsnotify event", "watchers notified of read"],
  observe: (s) => {
    const { masks, errno } = queuedMasks(s);
    const seen = errno ?? (masks.map((m) => `0x${m.toString(16)}`).join(",") || "none");
    return { holds: masks.some((m) => (m & IN_ACCESS) !== 0), facts: { events: seen }, detail: `inotify events after the call: ${seen}` };
  },
};

// ---- atime -----------------------------------------------------------------

export interface Timed {
  path: string;
  /** atime set before the call, ns. */
  atimeBefore: bigint;
}

const DAY_MS = 86_400_000;

/** Sets the file's atime two days back (mtime three): relatime updates such an atime on the next read. */
export function agedAtime(path: string): Timed {
  const now = Date.now();
  utimesSync(path, new Date(now - 2 * DAY_MS), new Date(now - 3 * DAY_MS));
  return { path, atimeBefore: statSync(path, { bigint: true }).atimeNs };
}

/** Sets the file's atime a minute ahead: newer than its mtime and ctime, and not a day old, so relatime leaves it. */
export function recentAtime(path: string): Timed {
  const now = Date.now();
  utimesSync(path, new Date(now + 60_000), new Date(now - DAY_MS));
  return { path, atimeBefore: statSync(path, { bigint: true }).atimeNs };
}

const atimeSeen = (s: Timed): FactObservation & { after: bigint } => {
  const after = statSync(s.path, { bigint: true }).atimeNs;
  return { after, holds: after > s.atimeBefore, facts: { atimeBefore: String(s.atimeBefore), atimeAfter: String(after) }, detail: `atime ${s.atimeBefore} ns before, ${after} ns after` };
};

const atimeKept = (s: Timed): FactObservation => {
  const seen = atimeSeen(s);
  return { ...seen, holds: seen.after === s.atimeBefore };
};

export const ATIME_UPDATED: ClaimProbe<Timed> = {
  claim: "the file's atime moves forward (the file's filesystem is mounted relatime and its atime is two days old)",
  says: ["updates file's access time"],
  observe: (s) => atimeSeen(s),
};

export const RELATIME_KEEPS_RECENT_ATIME: ClaimProbe<Timed> = {
  claim: "on a relatime mount an atime newer than mtime and ctime and less than a day old stays as it was",
  says: ["relatime only updates atime if older than mtime or ctime or more than day old"],
  observe: atimeKept,
};

export const ATIME_KEPT_WITH_NOATIME: ClaimProbe<Timed> = {
  claim: "with O_NOATIME the file's atime stays as it was",
  says: ["update suppressed O_NOATIME flag"],
  observe: atimeKept,
};

// ---- CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH -----------------------------------

export type DacCapability = Extract<CapabilityName, "CAP_DAC_OVERRIDE" | "CAP_DAC_READ_SEARCH">;

export interface Unreadable {
  /** A mode-000 file in a directory everyone may search. */
  path: string;
  /** Where the probes' own opens are released. */
  scope: ResourceScope;
}

/** Whether an O_RDONLY open of the file succeeds (a descriptor it gives is closed on release). */
function opens(scope: ResourceScope, path: string): { ok: boolean; seen: string } {
  const r = openRaw(scope, path, oflags("O_RDONLY"));
  return r.errno ? { ok: false, seen: r.errno } : { ok: true, seen: "opened" };
}

/**
 * "allows: bypass read permission": of the two DAC capabilities root holds,
 * with only `cap` left the mode-000 file opens for reading; with neither it
 * does not. So the capability itself is what lets the check pass.
 */
export function bypassesReadPermission(cap: DacCapability): ClaimProbe<Unreadable> {
  const other: DacCapability = cap === "CAP_DAC_OVERRIDE" ? "CAP_DAC_READ_SEARCH" : "CAP_DAC_OVERRIDE";
  return {
    claim: `with ${cap} (and not ${other}) a mode-000 file opens for reading; with neither it does not`,
    says: ["bypass read permission"],
    observe: (s) => {
      const withCap = withoutCapabilities([other], () => opens(s.scope, s.path));
      const without = withoutCapabilities([cap, other], () => opens(s.scope, s.path));
      return { holds: withCap.ok && !without.ok, facts: { [`with${cap}`]: withCap.seen, withNeither: without.seen }, detail: `O_RDONLY open of a mode-000 file with only ${cap}: ${withCap.seen}; with neither: ${without.seen}` };
    },
  };
}

export const CHECKED_AT_OPEN: ClaimProbe<Unreadable> = {
  claim: "the permission is checked when the file is opened, not by read: nobody (no capabilities) reads the mode-000 file through a descriptor root opened",
  says: ["checked at open time"],
  opposite: ["during rw_verify_area", "during read operation"],
  observe: (_s, call) => {
    return { holds: call.errno === undefined && call.ret > 0n, facts: { readAsNobody: describeResult(call) }, detail: `read as nobody of a mode-000 file through root's descriptor returned ${describeResult(call)}` };
  },
};

// ---- MAX_RW_COUNT ------------------------------------------------------------

/** <asm-generic/mman-common.h>; not in MMAP. */
const MAP_NORESERVE = 0x4000;
const CHUNK = 1 << 20;

export interface HugeRead {
  fd: number;
  buf: bigint;
  count: bigint;
}

/**
 * /dev/zero (which fills any count) and a buffer of 2 GiB + 1 MiB of address
 * space backed by one 1 MiB memfd mapped over and over, so the kernel can
 * write more than MAX_RW_COUNT bytes without that much memory.
 */
export function hugeZeroRead(scope: ResourceScope): HugeRead {
  const length = (1n << 31n) + BigInt(CHUNK);
  const memfd = Number(check("memfd_create", syscall("memfd_create", cString(scope, "kapi-conform-rw").address, 0)));
  scope.defer(() => void syscall("close", memfd));
  check("ftruncate", syscall("ftruncate", memfd, CHUNK));
  const reserve = syscall("mmap", 0, length, MMAP.PROT_NONE, MMAP.MAP_PRIVATE | MMAP.MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (reserve.errno) throw new ResourceUnavailable("no 2 GiB of address space for a buffer beyond MAX_RW_COUNT", `mmap PROT_NONE ${length} bytes: ${reserve.errno}`);
  const base = reserve.ret;
  scope.defer(() => void check("munmap", syscall("munmap", base, length)));
  for (let at = 0n; at < length; at += BigInt(CHUNK)) check("mmap", syscall("mmap", base + at, CHUNK, MMAP.PROT_READ | MMAP.PROT_WRITE, MMAP.MAP_SHARED | MMAP.MAP_FIXED, memfd, 0), "the memfd over the reserve");
  return { fd: openFd(scope, "/dev/zero", oflags("O_RDONLY")), buf: base, count: length };
}

export const CLAMPED_TO_MAX_RW_COUNT: ClaimProbe<HugeRead> = {
  claim: `a count beyond MAX_RW_COUNT (INT_MAX & PAGE_MASK = ${MAX_RW_COUNT}) succeeds and transfers exactly MAX_RW_COUNT bytes from a source that fills any count`,
  says: ["silently clamped to MAX_RW_COUNT", "reads at most MAX_RW_COUNT bytes"],
  observe: (s, call) => ({ holds: call.errno === undefined && call.ret === MAX_RW_COUNT, facts: { count: String(s.count), returned: describeResult(call) }, detail: `read of ${s.count} bytes from /dev/zero returned ${describeResult(call)}` }),
};
