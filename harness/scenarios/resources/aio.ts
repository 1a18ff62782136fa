// SPDX-License-Identifier: GPL-2.0-only
// AIO resources as named producers (a live context, an iocb at a stable
// address, a pending poll), for every suite of the legacy AIO syscalls. Every
// resource is registered with the scenario's scope, so it is released
// whatever the case's verdict.
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { AioContext, rawIoDestroy, rawIoSubmit, settleDestroys, type GetEventsResult } from "../../kernel/aio.js";
import { isReadable } from "../../kernel/peek.js";
import { AIO_RING_HEADER_SIZE, decodeIocb, encodeIocb, IOCB_CMD, IOCB_SIZE, type Iocb } from "../../kernel/aio-abi.js";
import { mapPages, PAGE_SIZE, type Mapping } from "../../kernel/memory.js";
import { openPipe, type Pipe } from "../../kernel/pipe.js";
import { aioMaxNr, aioNr, aioRingMappings } from "../../kernel/procfs.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { SyscallError, syscall, type SyscallResult } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { kernelConfig } from "../requirements.js";
import { defineScenario, userMemory, type Args, type FactObservation, type Scenario, type UserMemory } from "../scenario.js";

const POLLIN = 1n;
/** Distinctive aio_data so an event can be matched to its iocb. */
export const IOCB_DATA = 0x6b617069_c0ffeen;

/** io_setup's answer when the system's contexts are used up: a resource the machine lacks (a skip), not a failure. */
export function aioExhausted(errno: string | undefined, where = ""): ResourceUnavailable | undefined {
  if (errno !== "EAGAIN" && errno !== "ENOMEM") return undefined;
  return new ResourceUnavailable("cannot create an AIO context: the system's AIO contexts are in use", `io_setup ${errno}${where}; fs.aio-nr ${aioNr()} of fs.aio-max-nr ${aioMaxNr()}`);
}

/** io_setup of a context no scope holds; all contexts in use is a skip (see aioExhausted). */
export function setupContext(nrEvents: number): AioContext {
  try {
    return AioContext.setup(nrEvents);
  } catch (err) {
    const exhausted = err instanceof SyscallError && err.syscall === "io_setup" ? aioExhausted(err.errno) : undefined;
    throw exhausted ?? err;
  }
}

/** A fresh context, released with the scope. */
export function liveContext(scope: ResourceScope, nrEvents = 8): AioContext {
  return scope.add(setupContext(nrEvents));
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

// Producers shared by the io_setup, io_destroy and io_submit suites.

/** One aio_context_t (u64) cell for io_setup's ctxp, holding `initial`; read-only when `writable` is false. */
export function contextCell(scope: ResourceScope, initial = 0n, writable = true): Mapping {
  const cell = scope.add(mapPages(1));
  cell.writeU64(0, initial);
  if (!writable) cell.protect("read");
  // A context the call under test creates is this scope's too: destroyed on release.
  scope.defer(() => {
    if (cell.released || cell.protection === "none") return;
    const id = cell.readU64(0);
    if (id !== initial && id !== 0n) rawIoDestroy(id);
  });
  return cell;
}

/** What io_setup and io_destroy change that user space sees: the global aio-nr and this process's ring mappings. */
export interface AioFootprint {
  aioNr: number;
  rings: number;
}

/** nr_events of the one context a foreign-context helper holds (foreign-context.child.ts). */
const HELPER_NR_EVENTS = 1;

/**
 * fs.aio-nr is global: foreign-context helpers that hold a context of their
 * own (started ahead of their scenario, or tearing down after it, even after
 * their worker ended) come and go while a case runs, so their contexts are
 * left out of the count.
 */
export function aioFootprint(): AioFootprint {
  return { aioNr: aioNr() - helpersWithContexts("foreign-context.child").length * HELPER_NR_EVENTS, rings: aioRingMappings() };
}

/** An id at which no context was ever created: an address nothing is mapped at (until the next mmap). */
export function neverCreatedId(): bigint {
  const page = mapPages(1);
  page.release();
  return page.address;
}

/**
 * Whether `id` names a live context of this process, told without reading an
 * errno the spec owns: io_submit(id, 0, NULL) answers otherwise than for an id
 * that never named a context (the lookup comes before nr is looked at).
 */
export function contextFound(id: bigint): { found: boolean; mine: SyscallResult; reference: SyscallResult } {
  const mine = rawIoSubmit(id, 0, 0n);
  const reference = rawIoSubmit(neverCreatedId(), 0, 0n);
  return { found: mine.ret !== reference.ret || mine.errno !== reference.errno, mine, reference };
}

/** The size in bytes of the ring mapping of this process that starts at `address` (/proc/self/maps "/[aio]"), if there is one. */
export function ringMappingSize(address: bigint): number | undefined {
  for (const line of readFileSync("/proc/self/maps", "utf8").split("\n")) {
    if (!line.includes("/[aio]")) continue;
    const [start, end] = (line.split(" ")[0] ?? "").split("-").map((h) => BigInt(`0x${h}`));
    if (start === address && end !== undefined) return Number(end - start);
  }
  return undefined;
}

/** Whether a ring mapping of this process starts at `address`. */
export function ringMappedAt(address: bigint): boolean {
  return ringMappingSize(address) !== undefined;
}

/** Several iocbs side by side in fresh pages (64 bytes each), at stable addresses. */
export function placeIocbs(scope: ResourceScope, iocbs: Partial<Iocb>[]): PlacedIocb[] {
  const mapping = scope.add(mapPages(Math.max(1, Math.ceil((iocbs.length * IOCB_SIZE) / PAGE_SIZE))));
  return iocbs.map((fields, i) => {
    mapping.write(i * IOCB_SIZE, encodeIocb(fields));
    return { mapping, address: mapping.addressAt(i * IOCB_SIZE), fields };
  });
}

/** The iocb's aio_key as it is now in user memory. */
export function iocbKey(iocb: PlacedIocb): number {
  const offset = Number(iocb.address - iocb.mapping.address);
  return decodeIocb(iocb.mapping.read(offset, IOCB_SIZE)).key;
}

/**
 * io_submit's iocbpp: an array of user pointers ending exactly at a guard page,
 * so that a kernel reading one entry too many faults instead of reading garbage.
 */
export function pointerArray(scope: ResourceScope, addresses: readonly bigint[]): UserMemory {
  const length = Math.max(8, addresses.length * 8);
  const pages = Math.ceil(length / PAGE_SIZE);
  const mapping = scope.add(mapPages(pages + 1));
  const offset = pages * PAGE_SIZE - addresses.length * 8;
  addresses.forEach((address, i) => mapping.writeU64(offset + i * 8, address));
  // The page after the array: no access.
  const guard = syscall("mprotect", mapping.addressAt(pages * PAGE_SIZE), PAGE_SIZE, 0);
  if (guard.ret !== 0n) throw new SetupError(`mprotect of the guard page after iocbpp failed: ${guard.errno}`);
  return userMemory(mapping, addresses.length * 8, offset);
}

/** Submits POLLIN polls on the read end of an empty pipe until the context takes no more (EAGAIN). */
export function fillWithPolls(scope: ResourceScope, ctx: AioContext, pipe: { readFd: number }, key = 0): { submitted: PlacedIocb[]; refused: PlacedIocb } {
  const iocbs = placeIocbs(
    scope,
    Array.from({ length: ctx.ringSlots + 1 }, (_, i) => ({ data: IOCB_DATA + BigInt(i), key, opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLIN })),
  );
  const submitted: PlacedIocb[] = [];
  for (const iocb of iocbs) {
    const result = ctx.submit([iocb.address]);
    if (result.ret === 1n) {
      submitted.push(iocb);
      continue;
    }
    // The first refusal is the condition: the context's request slots are used up.
    if (result.errno === "EAGAIN") return { submitted, refused: iocb };
    throw new SetupError(`io_submit of poll ${submitted.length} returned ${result.ret} ${result.errno ?? ""}`);
  }
  throw new SetupError(`the context took ${submitted.length} polls, more than its ${ctx.ringSlots} ring slots`);
}

/**
 * A context the call under test may destroy (io_destroy): released only when
 * it can still be found, so the release of a destroyed one is not an error.
 */
export function destroyableContext(scope: ResourceScope, nrEvents = 8): AioContext {
  const ctx = setupContext(nrEvents);
  scope.defer(() => {
    if (ctx.destroyed) return;
    // Destroyed by the call under test: the kernel unmapped the ring, and whatever
    // was mapped at its address since is not ours to repair.
    if (!ctx.ringUnmapped && !(ringMappedAt(ctx.id) && isReadable(ctx.id, AIO_RING_HEADER_SIZE))) return;
    ctx.restoreRing();
    if (contextFound(ctx.id).found) ctx.release();
  });
  return ctx;
}

/** A pipe whose read end can be closed early (to see whether a request still holds it); both ends closed on release. */
export interface ClosablePipe {
  readFd: number;
  writeFd: number;
  closeRead(): void;
}

export function closablePipe(scope: ResourceScope): ClosablePipe {
  const pipe = openPipe();
  let readOpen = true;
  scope.defer(() => {
    syscall("close", pipe.writeFd);
    if (readOpen) syscall("close", pipe.readFd);
  });
  const closeRead = (): void => {
    if (!readOpen) return;
    readOpen = false;
    syscall("close", pipe.readFd);
  };
  return { readFd: pipe.readFd, writeFd: pipe.writeFd, closeRead };
}

const EPIPE_WAIT_MS = 500;

/** Poll events a pipe never reports: a poll for them stays pending whatever is written to the pipe. */
export const POLLPRI = 2n;

/**
 * Whether a request still holds the pipe's read end: with our own read end
 * closed, a write still finds a reader only while some request that took a
 * reference at submit has not released it. The request must be a POLLPRI poll
 * (the writes must not complete it). Writes are retried for a while, as the
 * kernel may drop the reference just after the call returns.
 */
export async function requestHoldsFile(pipe: ClosablePipe): Promise<FactObservation> {
  pipe.closeRead();
  const page = mapPages(1);
  try {
    const start = Date.now();
    let last: SyscallResult;
    do {
      last = syscall("write", pipe.writeFd, page.address, 1);
      if (last.ret === -1n) break;
      await sleep(2);
    } while (Date.now() - start < EPIPE_WAIT_MS);
    const held = last.ret !== -1n;
    const ms = Date.now() - start;
    return {
      holds: held,
      facts: { writeAfterClose: last.errno ?? String(last.ret), waitedMs: ms },
      detail: held ? `with our read end closed, writes still found a reader for ${EPIPE_WAIT_MS} ms: a request holds the file` : `with our read end closed, a write failed with ${last.errno} after ${ms} ms: no request holds the file`,
    };
  } finally {
    page.release();
  }
}

/** A scenario for kernels built without CONFIG_AIO: the spec's constraint on it, read when such a kernel runs the suite. */
export function aioNotConfigured(args: Args): Scenario<unknown> {
  return defineScenario<null>({
    id: "aio-not-configured",
    condition: "the kernel was built without CONFIG_AIO",
    requires: [kernelConfig("CONFIG_AIO", ["n"], "only a kernel built without AIO support lacks the AIO syscalls")],
    setup: () => null,
    args: () => args,
    checks: [{ kind: "outcome", id: "config-required", title: "CONFIG_AIO is required", about: { section: "constraints", summary: "CONFIG_AIO required" } }],
  });
}

/** Why an allocation or a free inside the kernel is not seen: no count user space reads moves by one such allocation. */
export const KMEM_TRACING = "needs kernel allocation tracing (the kmem and percpu tracepoints): no count user space reads moves by one such allocation or free; kapi-conform does not trace the kernel";

/** Why an allocation failure inside the kernel is a skip. */
export const NO_FAULT_INJECTION = "needs kernel memory allocation to fail (fault injection: CONFIG_FAILSLAB / CONFIG_FAIL_PAGE_ALLOC); kapi-conform does not inject faults";

/** Sections no legacy AIO call exposes to user space. */

/**
 * Processes whose command line names `script` and that hold an AIO ring: any
 * such helper, ours or one a finished run's worker left to tear down.
 */
function helpersWithContexts(script: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "node") continue;
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(script) && readFileSync(`/proc/${entry}/maps`, "utf8").includes("/[aio]")) found.push(Number(entry));
    } catch {
      // Gone meanwhile: it holds nothing.
    }
  }
  return found;
}

/** The footprint once the contexts earlier scenarios released in the background are destroyed (fs.aio-nr no longer counts them). */
export async function settledFootprint(): Promise<AioFootprint> {
  await settleDestroys();
  return aioFootprint();
}
