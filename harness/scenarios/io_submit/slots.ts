// SPDX-License-Identifier: GPL-2.0-only
// A context's free request slots, counted: polls that never complete are
// submitted one at a time until the context refuses one (EAGAIN). The kernel
// hands slots to CPUs in batches (struct kioctx_cpu), and a batch cached on a
// CPU the thread has left is out of reach, so a count is exact only while the
// thread stays on one CPU: the slot scenarios pin it for their whole life.
import { encodeIocb, IOCB_CMD, IOCB_SIZE } from "../../kernel/aio-abi.js";
import type { AioContext } from "../../kernel/aio.js";
import { mapPages, PAGE_SIZE } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { syscall } from "../../kernel/syscall.js";
import { SetupError } from "../errors.js";
import { POLLPRI } from "../resources/aio.js";

/** Room for the affinity masks of 32768 CPUs. */
const MASK_BYTES = 4096;

/** Pins the calling thread to the CPU it runs on now; its former affinity comes back on release. */
export function pinToCurrentCpu(scope: ResourceScope): number {
  const cells = scope.add(mapPages(2));
  const got = syscall("sched_getaffinity", 0, MASK_BYTES, cells.address);
  if (got.ret < 0n) throw new SetupError(`sched_getaffinity failed: ${got.errno}`);
  const length = Number(got.ret);
  const former = cells.read(0, length);
  const cpuCell = cells.addressAt(PAGE_SIZE);
  const cpuRead = syscall("getcpu", cpuCell, 0, 0);
  if (cpuRead.ret !== 0n) throw new SetupError(`getcpu failed: ${cpuRead.errno}`);
  // Every supported arch is little-endian.
  const cpu = cells.read(PAGE_SIZE, 4).readUInt32LE(0);
  const only = Buffer.alloc(length);
  only[cpu >> 3] = 1 << (cpu & 7);
  cells.write(0, only);
  const pinned = syscall("sched_setaffinity", 0, length, cells.address);
  if (pinned.ret !== 0n) throw new SetupError(`sched_setaffinity to CPU ${cpu} failed: ${pinned.errno}`);
  scope.defer(() => {
    cells.write(0, former);
    syscall("sched_setaffinity", 0, length, cells.address);
  });
  return cpu;
}

/**
 * How many more requests `ctx` takes: POLLPRI polls on a pipe's read end (a
 * pipe never reports POLLPRI, so they stay pending) are submitted one at a
 * time until one is refused. The context is full afterwards.
 */
export function countFreeSlots(ctx: AioContext, pipeReadFd: number): number {
  const limit = ctx.ringSlots + 1;
  const iocbs = mapPages(Math.ceil((limit * IOCB_SIZE) / PAGE_SIZE));
  try {
    for (let i = 0; i < limit; i++) {
      iocbs.write(i * IOCB_SIZE, encodeIocb({ data: BigInt(i + 1), opcode: IOCB_CMD.POLL, fildes: pipeReadFd, buf: POLLPRI }));
      const result = ctx.submit([iocbs.addressAt(i * IOCB_SIZE)]);
      if (result.ret === 1n) continue;
      if (result.errno === "EAGAIN") return i;
      throw new SetupError(`io_submit of poll ${i} while counting free slots returned ${result.ret} ${result.errno ?? ""}`);
    }
    throw new SetupError(`the context took ${limit} polls, more than its ${ctx.ringSlots} ring slots`);
  } finally {
    // The kernel copied each iocb at submit; nothing reads these pages later.
    iocbs.release();
  }
}
