// SPDX-License-Identifier: GPL-2.0-only
// What user space can see of write's signals and side effects: a blocked
// signal left pending, inode timestamps, the thread's I/O counters, inotify
// events, the mode's SUID bit, the count a clamped call returns. Each probe
// takes its "before" in setup and judges the item's claim after the call.
import { statSync } from "node:fs";
import { currentArch } from "../../kernel/arch.js";
import { Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { isPending } from "../../kernel/signal-mask.js";
import { check, rawSyscall, type SyscallResult } from "../../kernel/syscall.js";
import { describeResult } from "../../run/expectation.js";
import { ResourceUnavailable } from "../errors.js";
import { IN_MODIFY, inotifyWatch, queuedMasks, type Watched } from "../resources/inotify.js";
import type { Accounted } from "../resources/task-io.js";
import { timesOf, type Times } from "../resources/times.js";
import { MAX_RW_COUNT } from "../resources/file-io.js";
import type { ClaimProbe } from "../scenario.js";

const returned = (call: SyscallResult): number => (call.errno === undefined && call.ret > 0n ? Number(call.ret) : 0);

/** The signal is pending for the calling thread after the call, and was not before. */
export function signalSent(signal: "SIGPIPE" | "SIGXFSZ"): ClaimProbe<{ pendingBefore: boolean }> {
  return {
    claim: `the call sends ${signal} to the calling thread`,
    says: [`${signal} is sent`],
    observe: (s) => {
      const pending = isPending(signal);
      return { holds: pending && !s.pendingBefore, facts: { pendingBefore: s.pendingBefore, pendingAfter: pending }, detail: `${signal} (blocked in the calling thread) pending before the call: ${s.pendingBefore}, after: ${pending}` };
    },
  };
}

/** The path whose timestamps the call should move, and what they were before it. */
export interface Timed {
  timesPath: string;
  timesBefore: Times;
}

function timeProbe(which: "mtime" | "ctime", says: string): ClaimProbe<Timed> {
  return {
    claim: `the file's ${which} moves forward`,
    says: [says],
    observe: (s) => {
      const before = s.timesBefore[which];
      const after = timesOf(s.timesPath)[which];
      return { holds: after > before, facts: { [`${which}Before`]: String(before), [`${which}After`]: String(after) }, detail: `${which} ${before} ns before the call, ${after} ns after` };
    },
  };
}

export const MTIME_UPDATED = timeProbe("mtime", "updates modification time (mtime)");
export const CTIME_UPDATED = timeProbe("ctime", "updates change time (ctime)");

export const WCHAR_ADDED: ClaimProbe<Accounted> = {
  claim: "the thread's wchar grows by exactly the count returned",
  says: ["wchar field incremented by bytes written"],
  observe: (s, call) => {
    const grew = s.io.delta().wchar;
    return { holds: grew === BigInt(returned(call)), facts: { wcharGrew: String(grew), returned: describeResult(call) }, detail: `wchar grew by ${grew}; the call returned ${describeResult(call)}` };
  },
};

export const SYSCW_ADDED: ClaimProbe<Accounted> = {
  claim: "the thread's syscw grows by exactly one",
  says: ["syscw field incremented"],
  observe: (s) => {
    const grew = s.io.delta().syscw;
    return { holds: grew === 1n, facts: { syscwGrew: String(grew) }, detail: `syscw grew by ${grew}` };
  },
};

/** A non-blocking inotify instance watching `path` for IN_MODIFY. */
export const watchModify = (scope: ResourceScope, path: string): Watched => inotifyWatch(scope, path, IN_MODIFY);

export const MODIFY_EVENT: ClaimProbe<Watched> = {
  claim: "an inotify watch on the file receives IN_MODIFY",
  says: ["FS_MODIFY fsnotify event"],
  observe: (s) => {
    const { masks, errno } = queuedMasks(s);
    const shown = masks.map((m) => `0x${m.toString(16)}`).join(",");
    return { holds: masks.some((m) => (m & IN_MODIFY) !== 0), facts: { events: masks.length, masks: shown }, detail: errno ? `reading the inotify fd: ${errno} (no event)` : `${masks.length} event(s), masks ${shown}` };
  },
};

const S_ISUID = 0o4000;

export interface SetId {
  modePath: string;
  modeBefore: number;
}

export const SUID_CLEARED: ClaimProbe<SetId> = {
  claim: "the file's SUID bit is cleared by the write",
  says: ["SUID bit is cleared", "bits are cleared on write by non-owner"],
  observe: (s) => {
    const mode = statSync(s.modePath).mode & 0o7777;
    return { holds: (s.modeBefore & S_ISUID) !== 0 && (mode & S_ISUID) === 0, facts: { modeBefore: `0${s.modeBefore.toString(8)}`, modeAfter: `0${mode.toString(8)}` }, detail: `mode 0${s.modeBefore.toString(8)} before the call, 0${mode.toString(8)} after` };
  },
};

export interface Clamped {
  count: number;
}


export const COUNT_CLAMPED: ClaimProbe<Clamped> = {
  claim: "a count beyond MAX_RW_COUNT (INT_MAX & PAGE_MASK) transfers exactly MAX_RW_COUNT bytes",
  says: ["count clamped to MAX_RW_COUNT INT_MAX PAGE_MASK"],
  observe: (s, call) => {
    const limit = MAX_RW_COUNT;
    return { holds: call.errno === undefined && call.ret === limit, facts: { count: String(s.count), maxRwCount: String(limit), returned: describeResult(call) }, detail: `count ${s.count}; INT_MAX & PAGE_MASK is ${limit}; the call returned ${describeResult(call)}` };
  },
};

export interface PipeWrite {
  readFd: number;
  count: number;
  queuedBefore: number;
}

// ioctl(2) is outside the arch tables.
const IOCTL: Partial<Record<string, number>> = { x86_64: 16, arm64: 29, riscv64: 29 };
const FIONREAD = 0x541b;

/** Bytes waiting in a pipe (FIONREAD). */
export function queued(fd: number): number {
  const nr = IOCTL[currentArch()];
  if (nr === undefined) throw new ResourceUnavailable("no ioctl number for this arch in kapi-conform", currentArch());
  const n = Mapping.map(4);
  try {
    check("ioctl", rawSyscall(nr, fd, FIONREAD, n.address), "FIONREAD");
    return n.readU32(0);
  } finally {
    n.release();
  }
}

export const INTERRUPTED_AFTER_DATA: ClaimProbe<PipeWrite> = {
  claim: "a write interrupted after some bytes went through returns that byte count",
  says: ["If data was already written, returns the byte count"],
  observe: (s, call) => {
    const arrived = queued(s.readFd) - s.queuedBefore;
    const n = returned(call);
    return { holds: n > 0 && n < s.count && n === arrived, facts: { returned: describeResult(call), arrived }, detail: `the call returned ${describeResult(call)} of ${s.count}; ${arrived} bytes arrived in the pipe` };
  },
};

export const INTERRUPTED_BEFORE_DATA: ClaimProbe<PipeWrite> = {
  claim: "a write interrupted before any byte went through fails with an errno the sentence names and writes nothing",
  says: ["If interrupted before any data is written, returns"],
  observe: (s, call, said) => {
    const arrived = queued(s.readFd) - s.queuedBefore;
    return { holds: call.errno !== undefined && said.errnos.includes(call.errno) && arrived === 0, facts: { returned: describeResult(call), arrived }, detail: `the call returned ${describeResult(call)}; ${arrived} bytes arrived in the pipe` };
  },
};

export const DAC_AT_OPEN: ClaimProbe<unknown> = {
  claim: "write permission is checked when the file is opened, not by write: without CAP_DAC_OVERRIDE, a descriptor opened for writing still writes to a file DAC denies",
  says: ["Checked at open time"],
  opposite: ["Checked during rw_verify_area"],
  observe: (_s, call) => ({ holds: call.errno === undefined && call.ret > 0n, facts: { returned: describeResult(call) }, detail: `the write through the descriptor returned ${describeResult(call)}` }),
};
