// SPDX-License-Identifier: GPL-2.0-only
// The calling thread's signal mask and pending set, for checks that a call
// sends a signal: Node ignores SIGPIPE and SIGXFSZ, but a signal blocked in the
// thread stays pending even when ignored (the kernel queues a blocked signal
// whatever its disposition), so blocking it around the call makes it visible.
// Also: every signal blocked around a call a pending signal would cut short.
import { currentArch } from "./arch.js";
import { constant } from "./constants.js";
import { Mapping } from "./memory.js";
import type { ResourceScope } from "./scope.js";
import { check, rawSyscall } from "./syscall.js";

/** rt_sigprocmask, rt_sigpending, rt_sigtimedwait: outside the arch tables, numbered per syscall_64.tbl and asm-generic/unistd.h. */
const NUMBERS: Partial<Record<string, { procmask: number; pending: number; timedwait: number }>> = {
  x86_64: { procmask: 14, pending: 127, timedwait: 128 },
  arm64: { procmask: 135, pending: 136, timedwait: 137 },
  riscv64: { procmask: 135, pending: 136, timedwait: 137 },
};
const SIG_BLOCK = 0;
const SIG_SETMASK = 2;
const SIGSET_SIZE = 8;
const SIGINFO_SIZE = 128;

type SignalName = "SIGPIPE" | "SIGXFSZ";

function numbers(): { procmask: number; pending: number; timedwait: number } {
  const n = NUMBERS[currentArch()];
  if (n === undefined) throw new Error(`no rt_sigprocmask numbers for ${currentArch()} in kapi-conform`);
  return n;
}

const bit = (signal: SignalName): bigint => 1n << BigInt(constant(signal) - 1);

/** The signals pending for this thread (its own and its process's), as a kernel sigset. */
function pendingSignals(): bigint {
  const set = Mapping.map(SIGSET_SIZE);
  try {
    check("rt_sigpending", rawSyscall(numbers().pending, set.address, SIGSET_SIZE));
    return set.readU64(0);
  } finally {
    set.release();
  }
}

export const isPending = (signal: SignalName): boolean => (pendingSignals() & bit(signal)) !== 0n;

/**
 * Blocks `signal` in the calling thread. On release, every pending instance is
 * taken (rt_sigtimedwait with a zero timeout) before the old mask comes back,
 * so the signal never reaches its disposition.
 */
export function blockSignal(scope: ResourceScope, signal: SignalName): void {
  const n = numbers();
  const set = scope.add(Mapping.map(SIGSET_SIZE));
  const old = scope.add(Mapping.map(SIGSET_SIZE));
  const info = scope.add(Mapping.map(SIGINFO_SIZE));
  const zero = scope.add(Mapping.map(16));
  set.writeU64(0, bit(signal));
  check("rt_sigprocmask", rawSyscall(n.procmask, SIG_BLOCK, set.address, old.address, SIGSET_SIZE), `block ${signal}`);
  // Registered after the mappings, so it runs before they are unmapped.
  scope.defer(() => {
    try {
      while (isPending(signal)) check("rt_sigtimedwait", rawSyscall(n.timedwait, set.address, info.address, zero.address, SIGSET_SIZE), `take pending ${signal}`);
    } finally {
      // Whatever happened above, the thread must not stay with the signal blocked for the scenarios after.
      check("rt_sigprocmask", rawSyscall(n.procmask, SIG_SETMASK, old.address, 0n, SIGSET_SIZE), `restore the mask after ${signal}`);
    }
  });
}

/**
 * Blocks every signal the calling thread can block until `scope` is released:
 * a long call that stops early when a signal is pending (a read of /dev/zero)
 * then runs to its end. Signals arriving meanwhile are delivered afterwards.
 */
export function blockAllSignals(scope: ResourceScope): void {
  const n = numbers();
  const set = scope.add(Mapping.map(SIGSET_SIZE));
  const old = scope.add(Mapping.map(SIGSET_SIZE));
  // The kernel leaves SIGKILL and SIGSTOP out whatever the set says.
  set.writeU64(0, 0xffff_ffff_ffff_ffffn);
  check("rt_sigprocmask", rawSyscall(n.procmask, SIG_BLOCK, set.address, old.address, SIGSET_SIZE), "block every signal");
  scope.defer(() => void check("rt_sigprocmask", rawSyscall(n.procmask, SIG_SETMASK, old.address, 0n, SIGSET_SIZE), "restore the signal mask"));
}
