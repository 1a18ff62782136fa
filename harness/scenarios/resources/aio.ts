// SPDX-License-Identifier: GPL-2.0-only
// AIO resources as named producers (a live context, an iocb at a stable
// address, a pending poll), for every suite of the legacy AIO syscalls. Every
// resource is registered with the scenario's scope, so it is released
// whatever the case's verdict.
import { AioContext, type GetEventsResult } from "../../kernel/aio.js";
import { encodeIocb, IOCB_CMD, IOCB_SIZE, type Iocb } from "../../kernel/aio-abi.js";
import { mapPages, type Mapping } from "../../kernel/memory.js";
import { openPipe, type Pipe } from "../../kernel/pipe.js";
import { aioMaxNr, aioNr } from "../../kernel/procfs.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { SyscallError, syscall } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";

const POLLIN = 1n;
/** Distinctive aio_data so an event can be matched to its iocb. */
export const IOCB_DATA = 0x6b617069_c0ffeen;

/** io_setup's answer when the system's contexts are used up: a resource the machine lacks (a skip), not a failure. */
export function aioExhausted(errno: string | undefined, where = ""): ResourceUnavailable | undefined {
  if (errno !== "EAGAIN" && errno !== "ENOMEM") return undefined;
  return new ResourceUnavailable("cannot create an AIO context: the system's AIO contexts are in use", `io_setup ${errno}${where}; fs.aio-nr ${aioNr()} of fs.aio-max-nr ${aioMaxNr()}`);
}

/** A fresh context; all contexts in use is a skip (see aioExhausted). */
export function liveContext(scope: ResourceScope, nrEvents = 8): AioContext {
  try {
    return scope.add(AioContext.setup(nrEvents));
  } catch (err) {
    const exhausted = err instanceof SyscallError && err.syscall === "io_setup" ? aioExhausted(err.errno) : undefined;
    throw exhausted ?? err;
  }
}

/** An iocb written into its own page, at a stable address. */
export interface PlacedIocb {
  mapping: Mapping;
  address: bigint;
  fields: Partial<Iocb>;
}

export function placeIocb(scope: ResourceScope, fields: Partial<Iocb>): PlacedIocb {
  const mapping = scope.add(mapPages(1));
  mapping.write(0, encodeIocb(fields));
  return { mapping, address: mapping.address, fields };
}

/** The same 64 iocb bytes copied to a different address. */
export function copyIocb(scope: ResourceScope, original: PlacedIocb): PlacedIocb {
  const mapping = scope.add(mapPages(1));
  mapping.write(0, original.mapping.read(0, IOCB_SIZE));
  return { mapping, address: mapping.address, fields: original.fields };
}

export function submitOne(ctx: AioContext, iocb: PlacedIocb): void {
  const result = ctx.submit([iocb.address]);
  if (result.ret !== 1n) throw new SetupError(`io_submit of one iocb returned ${result.ret}${result.errno ? ` ${result.errno}` : ""}`);
}

export interface PendingPoll {
  ctx: AioContext;
  pipe: Pipe;
  iocb: PlacedIocb;
}

/** An IOCB_CMD_POLL for POLLIN on the read end of an empty pipe: pending until cancelled. */
export function pendingPoll(scope: ResourceScope): PendingPoll {
  const ctx = liveContext(scope);
  const pipe = scope.add(openPipe());
  const iocb = placeIocb(scope, { data: IOCB_DATA, opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLIN });
  submitOne(ctx, iocb);
  return { ctx, pipe, iocb };
}

/** Makes a pipe readable by writing one byte into it. */
export function makeReadable(pipe: { writeFd: number }): void {
  const page = mapPages(1);
  try {
    page.write(0, Buffer.from("x"));
    const result = syscall("write", pipe.writeFd, page.address, 1);
    if (result.ret !== 1n) throw new SetupError(`write to pipe returned ${result.ret} ${result.errno ?? ""}`);
  } finally {
    page.release();
  }
}

const MAX_EINTR_RETRIES = 10;

/**
 * io_getevents, asked again when a signal ended the wait before any event
 * (EINTR with nothing read: the kernel does not restart it). The runner gets
 * SIGCHLD whenever a helper process exits, so this happens mid-scenario.
 */
export function getEventsUninterrupted(ctx: AioContext, min: number, max: number, timeoutMs: number): GetEventsResult {
  let got = ctx.getEvents(min, max, timeoutMs);
  for (let i = 0; i < MAX_EINTR_RETRIES && got.result.errno === "EINTR"; i++) got = ctx.getEvents(min, max, timeoutMs);
  return got;
}

/** Waits (bounded) for events and returns them; never blocks longer than timeoutMs per attempt. */
export function reap(ctx: AioContext, min: number, max: number, timeoutMs: number) {
  const { result, events } = getEventsUninterrupted(ctx, min, max, timeoutMs);
  if (result.errno) throw new SetupError(`io_getevents failed with ${result.errno}`);
  return events;
}
