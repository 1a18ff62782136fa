// SPDX-License-Identifier: GPL-2.0-only
// How user space observes what the io_submit spec claims. Every iocb of a
// scenario starts with aio_key = 7 (the kernel ignores it at submit and
// writes KIOCB_KEY, 0, into the ones it takes), so the iocbs a call took are
// seen in memory: the first `ret` of them must read 0 and complete into the
// ring with their aio_data; the others, and every iocb of a failed call, must
// be untouched with no event (failure atomicity).
import { setTimeout as sleep } from "node:timers/promises";
import type { AioContext } from "../../kernel/aio.js";
import type { SyscallResult } from "../../kernel/syscall.js";
import { errnoName } from "../../kernel/errno.js";
import { getEventsUninterrupted, iocbKey, type ClosablePipe, type PlacedIocb } from "../resources/aio.js";
import { countFreeSlots } from "./slots.js";
import type { ClaimProbe, FactObservation, StateModel, UserMemory } from "../scenario.js";

/** aio_key every scenario writes into its iocbs, so the kernel's write of 0 shows. */
export const KEY_PRESET = 7;
const EVENT_WAIT_MS = 1000;

export interface SubmitCall {
  ctx: AioContext;
  /** The iocbs the array points to, in array order (fewer than nr when the array is short). */
  iocbs: PlacedIocb[];
  array: UserMemory;
  nr: number;
}

/** How many of the iocbs a call took: its return when it is a count, none when it failed. */
const taken = (s: SubmitCall, call: SyscallResult): number => (call.ret >= 0n && call.errno === undefined ? Math.min(Number(call.ret), s.iocbs.length) : 0);

/** Waits (bounded) until the ring holds `count` events, then lets late ones arrive. */
async function ringEvents(ctx: AioContext, count: number) {
  const start = Date.now();
  while (ctx.ringEvents().length < count && Date.now() - start < EVENT_WAIT_MS) await sleep(2);
  await sleep(count === 0 ? 20 : 5);
  return ctx.ringEvents();
}

/** aio_key reads 0 in exactly the iocbs the call took, and KEY_PRESET in the others. */
function keysMatch(s: SubmitCall, call: SyscallResult): FactObservation {
  const n = taken(s, call);
  const keys = s.iocbs.map(iocbKey);
  const wrong = keys.flatMap((k, i) => ((i < n ? k === 0 : k === KEY_PRESET) ? [] : [`iocb ${i}: aio_key ${k}`]));
  return {
    holds: wrong.length === 0,
    facts: { taken: n, keys: keys.join(",") },
    detail: `${n} of ${s.iocbs.length} iocbs taken by the call (${call.errno ?? `ret ${call.ret}`}); aio_key now ${keys.join(",")}${wrong.length ? ` (wrong: ${wrong.slice(0, 4).join("; ")})` : ""}`,
  };
}

/** One completion event per iocb the call took, each with that iocb's aio_data and address; none for the others. */
async function eventsMatch(s: SubmitCall, call: SyscallResult): Promise<FactObservation> {
  const n = taken(s, call);
  const events = await ringEvents(s.ctx, n);
  const wanted = s.iocbs.slice(0, n);
  const missing = wanted.filter((iocb) => !events.some((e) => e.obj === iocb.address && e.data === iocb.fields.data));
  const strays = events.filter((e) => !wanted.some((iocb) => iocb.address === e.obj));
  return {
    holds: missing.length === 0 && strays.length === 0,
    facts: { taken: n, ringEvents: events.length, missing: missing.length, strays: strays.length, res: events.map((e) => e.res.toString()).join(",") },
    detail: `${n} iocbs taken; ${events.length} event(s) in the ring${missing.length ? `, ${missing.length} taken iocb(s) without an event carrying its aio_data` : ""}${strays.length ? `, ${strays.length} event(s) for iocbs not taken` : ""}`,
  };
}

export const KEY_WRITTEN: ClaimProbe<SubmitCall> = {
  claim: "aio_key is set to KIOCB_KEY (0) in each iocb the call submitted, and in no other (a failed call writes none)",
  says: ["writes KIOCB_KEY aio_key field submitted iocb"],
  opposite: ["aio_key not written", "aio_key left unchanged"],
  observe: keysMatch,
};

export const COMPLETIONS_IN_RING: ClaimProbe<SubmitCall> = {
  claim: "each submitted operation completes into the ring with its aio_data; nothing not submitted does",
  says: ["completion recorded ring buffer", "completion signaled via ring buffer", "reported via completion ring"],
  opposite: ["no completion event"],
  observe: eventsMatch,
};

/** The return counts the iocbs taken, in array order: the first `ret` were submitted, the one at index `ret` was not. */
export const RETURNS_COUNT_SUBMITTED: ClaimProbe<SubmitCall> = {
  claim: "the return is the number of iocbs submitted, from the start of the array (aio_key written and an event for each)",
  says: ["returns count successfully submitted operations", "number iocbs successfully submitted"],
  observe: async (s, call) => {
    const keys = keysMatch(s, call);
    const events = await eventsMatch(s, call);
    return { holds: keys.holds && events.holds, facts: { ...keys.facts, ...events.facts }, detail: `${keys.detail}; ${events.detail}` };
  },
};

export const RETURNS_ZERO_FOR_NR_ZERO: ClaimProbe<SubmitCall> = {
  claim: "nr 0 returns 0 and submits nothing",
  says: ["returns 0 if nr is 0", "if 0 syscall returns immediately with 0"],
  observe: async (s, call) => {
    const events = await eventsMatch(s, call);
    const keys = keysMatch(s, call);
    return { holds: call.ret === 0n && keys.holds && events.holds, facts: { ret: call.ret.toString(), ...keys.facts }, detail: `returned ${call.errno ?? call.ret}; ${keys.detail}` };
  },
};

/** For nr: a call asking for more iocbs than the context's capacity submits at most that capacity. */
export const NR_CAPPED: ClaimProbe<SubmitCall> = {
  claim: "with nr above the context's capacity (its ring's event slots), the call submits no more iocbs than that capacity",
  says: ["actual number processed capped context capacity"],
  observe: (s, call) => {
    const taken = call.ret === -1n ? 0 : Number(call.ret);
    return {
      holds: call.ret !== -1n && taken <= s.ctx.ringSlots && taken < s.nr,
      facts: { nr: s.nr, capacity: s.ctx.ringSlots, ret: call.errno ?? call.ret.toString() },
      detail: `nr ${s.nr}, capacity ${s.ctx.ringSlots} slots: returned ${call.errno ?? call.ret}`,
    };
  },
};

/** An iocb: prepared by user space (aio_key as written, KEY_PRESET) or submitted (aio_key 0). */
export const IOCB_STATES: StateModel<SubmitCall> = {
  object: "iocb state",
  states: [
    { names: [/user-prepared/i, /^\s*prepared\b/i], how: "aio_key still holds what user space wrote", observe: (s) => allKeys(s, KEY_PRESET) },
    { names: [/^\s*submitted\b/i], how: "aio_key reads KIOCB_KEY (0)", observe: (s) => allKeys(s, 0) },
  ],
};

function allKeys(s: SubmitCall, key: number): FactObservation {
  const keys = s.iocbs.map(iocbKey);
  return { holds: keys.every((k) => k === key), facts: { keys: keys.join(",") }, detail: `aio_key ${keys.join(",")} (expected ${key})` };
}

/**
 * The refused iocb: the call failed and queued nothing that completes. The
 * aio_key write is the side effect's own item (no-key-written), not read here.
 */
async function refused(s: SubmitCall, call: SyscallResult): Promise<FactObservation> {
  const events = await eventsMatch(s, call);
  const failed = call.ret === -1n;
  return { holds: failed && events.holds, facts: { ret: call.ret.toString(), errno: call.errno ?? "none", ...events.facts }, detail: `returned ${call.errno ?? call.ret}; ${events.detail}` };
}

/** For the per-iocb descriptor constraint: an iocb whose aio_fildes breaks it is refused. */
export const BAD_FD_REFUSED: ClaimProbe<SubmitCall> = {
  claim: "an iocb whose aio_fildes is not open, or not open for the operation's access, is refused and takes nothing",
  says: ["must reference valid open file descriptor", "must be opened appropriate access mode"],
  observe: refused,
};

/** For the file-operation constraint, read side: a read on a file without read_iter is refused. */
export const NO_READ_ITER_REFUSED: ClaimProbe<SubmitCall> = {
  claim: "a read of a file that has no read_iter operation is refused and takes nothing",
  says: ["must implement read_iter"],
  observe: refused,
};

/** For the file-operation constraint, fsync side: an fsync of a file without fsync is refused. */
export const NO_FSYNC_REFUSED: ClaimProbe<SubmitCall> = {
  claim: "an fsync of a file that has no fsync operation is refused and takes nothing",
  says: ["file must implement fsync"],
  observe: refused,
};

/** For the signal item: the interrupted read completes, and its completion event carries the errno the text names; io_submit itself returns its count. */
export const INTERRUPTED_READ_COMPLETES_EINTR: ClaimProbe<SubmitCall> = {
  claim: "a blocking read that a signal interrupts completes with the errno the sentence names in its io_event, and io_submit returns the count rather than failing",
  says: ["error transformed for completion event"],
  // The errno the event must carry is the one the sentence names.
  observe: async (s, call, said) => {
    const { result, events } = getEventsUninterrupted(s.ctx, 1, 1, EVENT_WAIT_MS);
    const event = events.find((e) => e.data === s.iocbs[0]?.fields.data);
    const res = event ? Number(event.res) : undefined;
    const resName = res === undefined ? "no event" : res < 0 ? errnoName(-res) : String(res);
    const counted = call.ret === BigInt(s.iocbs.length);
    return {
      holds: counted && said.errnos.includes(resName),
      facts: { ret: call.errno ?? call.ret.toString(), eventRes: resName },
      detail: `io_submit returned ${call.errno ?? call.ret}; the read's event: ${event ? `res ${resName}` : `none (${result.errno ?? "no event within the wait"})`}`,
    };
  },
};

/** A call on a context whose free slots are counted: `fresh` is the count on a fresh context of the same size, on the same (pinned) CPU. */
export interface SlotAccounting extends SubmitCall {
  pipe: ClosablePipe;
  fresh: number;
}

/** The iocbs the call submitted: those whose aio_key the kernel set to KIOCB_KEY. */
const submittedCount = (s: SubmitCall): number => s.iocbs.filter((i) => iocbKey(i) === 0).length;

/** The context's free slots are the fresh count less `taken` (counting fills the context). */
function freeSlotsAre(s: SlotAccounting, taken: number, why: string): FactObservation {
  const free = countFreeSlots(s.ctx, s.pipe.readFd);
  return { holds: free === s.fresh - taken, facts: { freeSlots: free, freshContextSlots: s.fresh, taken }, detail: `the context took ${free} more requests; a fresh context of its size takes ${s.fresh} (${why} ${taken})` };
}

/** Free slots, counted on the thread's pinned CPU: as many as a fresh context's before the call, that many less the submitted iocbs after it. */
export const SLOT_STATES: StateModel<SlotAccounting> = {
  object: "AIO context slot availability",
  states: [
    { names: [/^\s*slots_available\s*=\s*N\s*$/i], how: "the context takes as many requests as a fresh context of its size", observe: (s) => freeSlotsAre(s, 0, "none taken:") },
    { names: [/N\s*-\s*submitted_count/i], how: "the context takes that many less the iocbs submitted (aio_key set)", observe: (s) => freeSlotsAre(s, submittedCount(s), "less the iocbs submitted:") },
  ],
};

/** The slot counter falls by the requests submitted, and consuming their completions gives the slots back. */
export const SLOTS_TAKEN_AND_RECLAIMED: ClaimProbe<SlotAccounting> = {
  claim: "each submitted request takes a slot (the context then takes that many fewer), and reaping its completion with io_getevents gives the slot back",
  says: ["decrements available request slot counter", "slots reclaimed when completion events consumed"],
  observe: async (s, call) => {
    const taken = call.ret === -1n ? 0 : Number(call.ret);
    const before = freeSlotsAre(s, taken, "less the requests submitted:");
    // Completions arrive asynchronously; the submitted reads of a cached file have all completed by now or soon.
    const { result, events } = s.ctx.getEvents(taken, taken, EVENT_WAIT_MS);
    const reaped = result.errno ? 0 : events.length;
    const after = countFreeSlots(s.ctx, s.pipe.readFd);
    const holds = before.holds && reaped === taken && after === reaped;
    return {
      holds,
      facts: { ...before.facts, reaped, takenAfterReaping: after },
      detail: `${before.detail}; after reaping ${reaped} completion(s) the full context took ${after} more (expected ${taken})`,
    };
  },
};

export interface PollOnPipe extends SubmitCall {
  pipe: ClosablePipe;
  /** A never-submitted iocb in the same context, to compare cancels with. */
  reference: PlacedIocb;
}
