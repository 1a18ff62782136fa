// SPDX-License-Identifier: GPL-2.0-only
// Legacy AIO contexts through raw syscalls: set up, submit, cancel, reap,
// destroy, and read the completion ring the kernel maps at the context id.
//
// The ring is kernel-owned user memory: io_destroy unmaps it, and scenarios
// corrupt or unmap it on purpose, so it is only ever read and written through
// peek()/poke() (EFAULT, never SIGSEGV). Every wait is bounded by a timeout.
import {
  AIO_RING_HEADER_SIZE,
  decodeIoEvent,
  decodeRingHeader,
  encodeRingHeader,
  encodeU32,
  IO_EVENT_SIZE,
  RING_HEADER_OFFSETS,
  type IoEvent,
  type RingHeader,
  type RingHeaderField,
} from "./aio-abi.js";
import { Mapping, MMAP, PAGE_SIZE, PROT_BITS, roundUpToPages } from "./memory.js";
import { peek, poke, UnreadableMemoryError } from "./peek.js";
import { DataType, load } from "ffi-rs";
import { syscallNumber } from "./arch.js";
import { errnoName } from "./errno.js";
import { asBigint, libc } from "./libc.js";
import { check, SyscallError, syscall, type SyscallArg, type SyscallResult } from "./syscall.js";

export { SyscallError };

export function rawIoSetup(nrEvents: SyscallArg, ctxpAddress: SyscallArg): SyscallResult {
  return syscall("io_setup", nrEvents, ctxpAddress);
}

export function rawIoDestroy(ctx: SyscallArg): SyscallResult {
  return syscall("io_destroy", ctx);
}

export function rawIoSubmit(ctx: SyscallArg, nr: SyscallArg, iocbppAddress: SyscallArg): SyscallResult {
  return syscall("io_submit", ctx, nr, iocbppAddress);
}

export function rawIoCancel(ctx: SyscallArg, iocbAddress: SyscallArg, resultAddress: SyscallArg): SyscallResult {
  return syscall("io_cancel", ctx, iocbAddress, resultAddress);
}

export function rawIoGetevents(ctx: SyscallArg, minNr: SyscallArg, nr: SyscallArg, eventsAddress: SyscallArg, timeoutAddress: SyscallArg): SyscallResult {
  return syscall("io_getevents", ctx, minNr, nr, eventsAddress, timeoutAddress);
}

// Deferred destroys. io_destroy waits for RCU grace periods (about 30 ms)
// after the kernel has already unlinked the context, lowered fs.aio-nr and
// unmapped the ring. With deferral on, release() checks synchronously that the
// kernel still finds the context, then issues io_destroy on a libuv thread
// (ffi-rs runInNewThread: only the prepared call runs there, never ffi-rs's
// library table, so it is safe beside calls on this thread) and returns.
// settleDestroys() awaits them all; whoever reads fs.aio-nr or the process's
// rings for leak accounting awaits it first, as does a worker before it exits.
let deferring = false;
const pendingDestroys = new Set<Promise<void>>();
let destroyFailures: Error[] = [];

/** Turns deferred destroys on or off for AioContext.release() in this process (off by default). */
export function deferDestroys(on: boolean): void {
  deferring = on;
}

/** Destroys issued by release() that have not finished yet. */
export function destroysPending(): number {
  return pendingDestroys.size;
}

/**
 * Failures of deferred destroys that have finished, forgotten once taken.
 * Does not wait (see settleDestroys).
 */
export function takeDestroyFailures(): Error[] {
  const failures = destroyFailures;
  destroyFailures = [];
  return failures;
}

/** Waits for every deferred destroy; then fs.aio-nr no longer counts them. Returns the failures. */
export async function settleDestroys(): Promise<Error[]> {
  while (pendingDestroys.size > 0) await Promise.all([...pendingDestroys]);
  return takeDestroyFailures();
}

function destroyInBackground(ctx: bigint): void {
  const done = load({
    library: libc(),
    funcName: "syscall",
    retType: DataType.BigInt,
    paramsType: [DataType.BigInt, DataType.BigInt],
    paramsValue: [BigInt(syscallNumber("io_destroy")), ctx],
    // On the libuv thread errno is read right after the call, in that thread.
    errno: true as const,
    runInNewThread: true as const,
  }).then(
    (r) => {
      const ret = asBigint(r.value, "io_destroy");
      if (ret !== 0n) destroyFailures.push(new SyscallError("io_destroy", ret, ret === -1n ? errnoName(r.errnoCode) : undefined, `deferred release of context 0x${ctx.toString(16)}`));
    },
    (err: unknown) => {
      destroyFailures.push(new Error(`deferred io_destroy of context 0x${ctx.toString(16)} failed to run: ${err instanceof Error ? err.message : String(err)}`));
    },
  );
  const tracked = done.finally(() => pendingDestroys.delete(tracked));
  pendingDestroys.add(tracked);
}

/** The ring cannot be read or written: the context is destroyed, or its ring was unmapped. */
export class RingUnreadableError extends Error {
  override name = "RingUnreadableError";
}

export interface GetEventsResult {
  result: SyscallResult;
  events: IoEvent[];
}

/** Largest maxNr getEvents() allocates room for (2 MiB of io_events); use rawIoGetevents beyond. */
export const MAX_GET_EVENTS = 1 << 16;

const TIMESPEC_SIZE = 16; // struct __kernel_timespec { s64 tv_sec; s64 tv_nsec; }

/** The scratch page calls share: mapped once per process, reused by every call that fits. */
let sharedScratch: Mapping | undefined;

/**
 * Scratch memory for one call's user-memory arguments (pointer array,
 * timespec, events, ctxp). Calls that fit in a page reuse one page, so the
 * hot paths (submit, getEvents) make no mmap/munmap of their own; larger ones
 * get a mapping of their own, always released. Contents are whatever the
 * previous call left: callers write every byte the kernel reads.
 */
function withScratch<T>(length: number, fn: (m: Mapping) => T): T {
  if (length <= PAGE_SIZE) {
    if (sharedScratch === undefined || sharedScratch.released) sharedScratch = Mapping.map(PAGE_SIZE);
    return fn(sharedScratch);
  }
  const m = Mapping.map(length);
  try {
    return fn(m);
  } finally {
    m.release();
  }
}

export class AioContext {
  /** The context id: the user address of the completion ring. */
  readonly id: bigint;
  /** nr_events as passed to io_setup. */
  readonly nrEvents: number;
  /** io_event slots in the ring (header.nr at setup; the kernel rounds nrEvents up to fill pages). */
  readonly ringSlots: number;
  /** Bytes the kernel mapped for the ring: header plus slots, whole pages. */
  readonly ringLength: number;
  /** The header as set up, to put the ring back before destroying. */
  readonly #initialHeader: RingHeader;
  #destroyed = false;
  #ringReplaced = false;

  private constructor(id: bigint, nrEvents: number, header: RingHeader) {
    this.id = id;
    this.nrEvents = nrEvents;
    this.#initialHeader = header;
    this.ringSlots = header.nr;
    this.ringLength = roundUpToPages(AIO_RING_HEADER_SIZE + header.nr * IO_EVENT_SIZE);
  }

  /** io_setup; throws SyscallError (e.g. EAGAIN when fs.aio-max-nr is reached, EINVAL for 0). */
  static setup(nrEvents: number): AioContext {
    if (!Number.isSafeInteger(nrEvents)) throw new RangeError(`nrEvents must be an integer, got ${nrEvents}`);
    const id = withScratch(8, (ctxp) => {
      // io_setup requires *ctxp == 0.
      ctxp.writeU64(0, 0n);
      check("io_setup", rawIoSetup(nrEvents, ctxp.address), `nr_events ${nrEvents}`);
      return ctxp.readU64(0);
    });
    let header: RingHeader;
    try {
      header = decodeRingHeader(peek(id, AIO_RING_HEADER_SIZE));
    } catch (e) {
      rawIoDestroy(id);
      throw e;
    }
    return new AioContext(id, nrEvents, header);
  }

  /** True once io_destroy on this context succeeded, or release() issued it in the background (deferDestroys). */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** True while the ring is replaced by an inaccessible placeholder (unmapRing). */
  get ringUnmapped(): boolean {
    return this.#ringReplaced;
  }

  /** Raw io_submit of these iocb addresses; the pointer array lives in a scratch mapping. */
  submit(iocbAddresses: readonly bigint[]): SyscallResult {
    return withScratch(Math.max(8, iocbAddresses.length * 8), (array) => {
      for (let i = 0; i < iocbAddresses.length; i++) array.writeU64(i * 8, iocbAddresses[i]!);
      return rawIoSubmit(this.id, iocbAddresses.length, array.address);
    });
  }

  /** Raw io_cancel on this context. */
  cancel(iocbAddress: bigint, resultAddress: bigint): SyscallResult {
    return rawIoCancel(this.id, iocbAddress, resultAddress);
  }

  /**
   * io_getevents with a relative timeout of `timeoutMs` (finite, >= 0), so it
   * never blocks unbounded. Events are decoded only when ret > 0.
   */
  getEvents(minNr: number, maxNr: number, timeoutMs: number): GetEventsResult {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`timeoutMs must be finite and >= 0, got ${timeoutMs}`);
    if (!Number.isSafeInteger(minNr) || !Number.isSafeInteger(maxNr)) throw new RangeError(`minNr/maxNr must be integers, got ${minNr}/${maxNr}`);
    if (maxNr > MAX_GET_EVENTS) throw new RangeError(`maxNr ${maxNr} exceeds ${MAX_GET_EVENTS}; use rawIoGetevents with your own buffer`);
    // Room for every event the kernel may write (up to maxNr); negative maxNr fails before any write.
    const room = Math.max(1, maxNr);
    return withScratch(TIMESPEC_SIZE + room * IO_EVENT_SIZE, (m) => {
      const ms = Math.floor(timeoutMs);
      m.writeU64(0, BigInt(Math.floor(ms / 1000)));
      m.writeU64(8, BigInt((ms % 1000) * 1_000_000));
      const result = rawIoGetevents(this.id, minNr, maxNr, m.addressAt(TIMESPEC_SIZE), m.address);
      const count = result.ret > 0n ? Math.min(Number(result.ret), room) : 0;
      const raw = count > 0 ? m.read(TIMESPEC_SIZE, count * IO_EVENT_SIZE) : Buffer.alloc(0);
      const events = Array.from({ length: count }, (_, i) => decodeIoEvent(raw, i * IO_EVENT_SIZE));
      return { result, events };
    });
  }

  /** The ring header as it is now in user memory. */
  ringHeader(): RingHeader {
    return decodeRingHeader(this.#readRing(AIO_RING_HEADER_SIZE));
  }

  /**
   * The events the ring holds between head and tail, read from user memory
   * (not consumed: head is left alone). head and tail are taken modulo the
   * ring's slot count as set up, as the kernel does, so a corrupted header
   * cannot make this read outside the ring.
   */
  ringEvents(): IoEvent[] {
    const ring = this.#readRing(this.ringLength);
    const header = decodeRingHeader(ring);
    const slots = this.ringSlots;
    const events: IoEvent[] = [];
    for (let i = header.head % slots; i !== header.tail % slots; i = (i + 1) % slots) {
      events.push(decodeIoEvent(ring, AIO_RING_HEADER_SIZE + i * IO_EVENT_SIZE));
    }
    return events;
  }

  /** Overwrites one u32 of the ring header in user memory (e.g. a bogus "id" so lookup_ioctx fails). */
  writeRingHeaderField(field: RingHeaderField, value: number): void {
    this.#requireLive("write the ring header");
    try {
      poke(this.id + BigInt(RING_HEADER_OFFSETS[field]), encodeU32(value));
    } catch (e) {
      throw e instanceof UnreadableMemoryError ? new RingUnreadableError(`cannot write ring header field ${field}: ${e.message}`, { cause: e }) : e;
    }
  }

  /**
   * Takes the ring out of user space so its header is unreadable: the ring
   * mapping is replaced atomically (mmap MAP_FIXED) by an inaccessible
   * PROT_NONE placeholder. The ring pages are unmapped from this mm exactly as
   * with munmap, but the address range stays reserved, so no later mapping of
   * this process can land there and be unmapped by the kernel's io_destroy.
   * Returns { ret: 0n } on success, else the failed mmap's result.
   */
  unmapRing(): SyscallResult {
    this.#requireLive("unmap the ring");
    const result = syscall(
      "mmap",
      this.id,
      this.ringLength,
      PROT_BITS.none,
      MMAP.MAP_PRIVATE | MMAP.MAP_ANONYMOUS | MMAP.MAP_FIXED,
      -1,
      0,
    );
    if (result.ret === -1n) return result;
    this.#ringReplaced = true;
    return { ret: 0n };
  }

  /**
   * Makes the context findable again after unmapRing() or a corrupted id:
   * lookup_ioctx only reads the u32 id at the context address, so a readable
   * page there holding the original header is enough for io_destroy. The
   * events themselves are not restored. No effect once destroyed.
   */
  restoreRing(): void {
    if (this.#destroyed) return;
    if (this.#ringReplaced) {
      const prot = PROT_BITS.readwrite;
      const flags = MMAP.MAP_PRIVATE | MMAP.MAP_ANONYMOUS | MMAP.MAP_FIXED;
      check("mmap", syscall("mmap", this.id, this.ringLength, prot, flags, -1, 0), "ring stand-in");
      this.#ringReplaced = false;
      poke(this.id, encodeRingHeader(this.#initialHeader));
      return;
    }
    if (this.ringHeader().id !== this.#initialHeader.id) this.writeRingHeaderField("id", this.#initialHeader.id);
  }

  /**
   * Raw io_destroy. The object notes success (destroyed = true); a second call
   * still asks the kernel and returns its answer (EINVAL). With a corrupted or
   * unmapped ring the kernel cannot find the context: call restoreRing() first
   * (release() does).
   */
  destroy(): SyscallResult {
    const result = rawIoDestroy(this.id);
    if (result.ret === 0n) {
      this.#destroyed = true;
      this.#ringReplaced = false;
    }
    return result;
  }

  /**
   * For ResourceScope: repairs the ring if needed and destroys, unless already
   * destroyed. With deferDestroys(true), the destroy runs in the background
   * once the kernel is seen to still find the context (io_getevents with
   * nr 0 answers 0 then, EINVAL otherwise), so it cannot fail for a reason
   * this call would miss; `destroyed` is true from then on and
   * settleDestroys() awaits the rest.
   */
  release(): void {
    if (this.#destroyed) return;
    this.restoreRing();
    if (deferring && this.getEvents(0, 0, 0).result.ret === 0n) {
      this.#destroyed = true;
      this.#ringReplaced = false;
      destroyInBackground(this.id);
      return;
    }
    const result = this.destroy();
    if (result.ret !== 0n) throw new SyscallError("io_destroy", result.ret, result.errno, `release of context 0x${this.id.toString(16)}`);
  }

  #requireLive(what: string): void {
    if (this.#destroyed) throw new RingUnreadableError(`cannot ${what}: context 0x${this.id.toString(16)} is destroyed and its ring unmapped`);
  }

  #readRing(length: number): Buffer {
    this.#requireLive("read the ring");
    try {
      return peek(this.id, length);
    } catch (e) {
      throw e instanceof UnreadableMemoryError ? new RingUnreadableError(`ring of context 0x${this.id.toString(16)} is unreadable: ${e.message}`, { cause: e }) : e;
    }
  }
}
