// SPDX-License-Identifier: GPL-2.0-only
// The calling thread's task I/O accounting (/proc/thread-self/io) across the
// call under test, for the read and write side effects that claim it.
//
// Any I/O of the thread moves these counters, the engine's own report of a
// case included, so the counters are read right after the call (the
// scenario's afterCall hook), before anything else runs. Each read of the
// file counts itself (one syscr, its bytes as rchar) after showing the
// counters: "before" is what the first read showed plus its own count.
import { Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { syscall } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { oflags, openFd } from "./fds.js";

export interface TaskIo {
  rchar: bigint;
  wchar: bigint;
  syscr: bigint;
  syscw: bigint;
}

const FIELDS = ["rchar", "wchar", "syscr", "syscw"] as const;

/** The counters before and after the call under test, read with pread64 on a descriptor opened in setup. */
export class IoWatch {
  private readonly page: Mapping;
  private readonly fd: number;
  private readonly before: TaskIo;
  private after?: TaskIo;

  /** Opens the file and takes "before": the last step of a scenario's setup. */
  constructor(scope: ResourceScope) {
    this.fd = openFd(scope, "/proc/thread-self/io", oflags("O_RDONLY", "O_CLOEXEC"));
    this.page = scope.add(Mapping.map(4096));
    const { shown, bytes } = this.read();
    this.before = { ...shown, rchar: shown.rchar + bytes, syscr: shown.syscr + 1n };
  }

  /** Takes "after": called by the scenario's afterCall, right after the call under test. */
  settle(): void {
    this.after ??= this.read().shown;
  }

  /** What the call under test added to each counter. */
  delta(): TaskIo {
    if (!this.after) throw new SetupError("the I/O counters were not read after the call (the scenario needs afterCall: settleIo)");
    const after = this.after;
    return Object.fromEntries(FIELDS.map((f) => [f, after[f] - this.before[f]])) as unknown as TaskIo;
  }

  private read(): { shown: TaskIo; bytes: bigint } {
    const r = syscall("pread64", this.fd, this.page.address, 4096, 0);
    if (r.errno) throw new SetupError(`pread64 /proc/thread-self/io: ${r.errno}`);
    const text = this.page.read(0, Number(r.ret)).toString("latin1");
    const field = (name: string): bigint => {
      const m = new RegExp(`^${name}: (\\d+)$`, "m").exec(text);
      if (!m) throw new ResourceUnavailable("the kernel keeps no task I/O accounting (CONFIG_TASK_IO_ACCOUNTING)", `no ${name} in /proc/thread-self/io`);
      return BigInt(m[1]!);
    };
    return { shown: Object.fromEntries(FIELDS.map((f) => [f, field(f)])) as unknown as TaskIo, bytes: r.ret };
  }
}

/** A scenario's state that watches the thread's I/O counters. */
export interface Accounted {
  io: IoWatch;
}

/** The afterCall of a scenario whose state is Accounted. */
export const settleIo = (s: Accounted): void => s.io.settle();
