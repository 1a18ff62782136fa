// SPDX-License-Identifier: GPL-2.0-only
// An inotify(7) watch on one path, and the event masks it has queued: how the
// suites see the fsnotify events a call generates (IN_ACCESS for a read,
// IN_MODIFY for a write).
import { currentArch } from "../../kernel/arch.js";
import { Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, rawSyscall, syscall } from "../../kernel/syscall.js";
import { ResourceUnavailable } from "../errors.js";
import { cString, oflags } from "./fds.js";

// inotify_init1 and inotify_add_watch are outside the arch tables; syscall_64.tbl and asm-generic numbers.
const INOTIFY: Partial<Record<string, { init1: number; addWatch: number }>> = { x86_64: { init1: 294, addWatch: 254 }, arm64: { init1: 26, addWatch: 27 }, riscv64: { init1: 26, addWatch: 27 } };
/** <sys/inotify.h> event bits. */
export const IN_ACCESS = 0x1;
export const IN_MODIFY = 0x2;
/** struct inotify_event: wd (s32), mask (u32), cookie (u32), len (u32), then name[len]. */
const EVENT_HEADER = 16;

export interface Watched {
  inotifyFd: number;
}

/** A non-blocking inotify instance watching `path` for `mask`, closed on release. */
export function inotifyWatch(scope: ResourceScope, path: string, mask: number): Watched {
  const n = INOTIFY[currentArch()];
  if (n === undefined) throw new ResourceUnavailable("no inotify numbers for this arch in kapi-conform", currentArch());
  const inotifyFd = Number(check("inotify_init1", rawSyscall(n.init1, oflags("O_NONBLOCK", "O_CLOEXEC"))));
  scope.defer(() => void syscall("close", inotifyFd));
  check("inotify_add_watch", rawSyscall(n.addWatch, inotifyFd, cString(scope, path).address, mask), path);
  return { inotifyFd };
}

/** The masks of the events queued so far (read without blocking), or the errno of the read when there are none. */
export function queuedMasks(s: Watched): { masks: number[]; errno?: string } {
  const buf = Mapping.map(4096);
  try {
    const r = syscall("read", s.inotifyFd, buf.address, 4096);
    if (r.errno) return { masks: [], errno: r.errno };
    const masks: number[] = [];
    for (let at = 0; at + EVENT_HEADER <= Number(r.ret); at += EVENT_HEADER + buf.readU32(at + 12)) masks.push(buf.readU32(at + 4));
    return { masks };
  } finally {
    buf.release();
  }
}
