// SPDX-License-Identifier: GPL-2.0-only
// How user space observes what the io_cancel spec claims: the states a
// request and a poll's cancelled flag can be in, and the side effects a
// cancel can have. None of these reads an errno the spec owns: whether a
// cancel "finds" a request is told by comparing its answer with the answer
// for a never-submitted iocb in the same context.
import { setTimeout as sleep } from "node:timers/promises";
import type { AioContext } from "../../kernel/aio.js";
import { rawIoCancel } from "../../kernel/aio.js";
import type { SyscallResult } from "../../kernel/syscall.js";
import { describeResult } from "../../run/expectation.js";
import type { ClaimProbe, FactObservation, StateModel } from "../scenario.js";
import { IOCB_DATA, makeReadable, type PendingPoll, type PlacedIocb } from "../resources/aio.js";

const POLLIN = 1n;
const EVENT_WAIT_MS = 1000;
/** How long after a request's event is first seen a duplicate still counts as one. */
const DUPLICATE_WINDOW_MS = 20;

/** A pending (or once pending) request, with a never-submitted iocb in the same context to compare with. */
export interface Request extends PendingPoll {
  reference: PlacedIocb;
}

const same = (a: SyscallResult, b: SyscallResult): boolean => a.ret === b.ret && a.errno === b.errno;

/** Whether a cancel of the request finds it: it answers otherwise than a cancel of an iocb that was never submitted. */
export function cancelFinds(s: { ctx: AioContext; iocb: PlacedIocb; reference: PlacedIocb }): FactObservation {
  const mine = rawIoCancel(s.ctx.id, s.iocb.address, 0n);
  const reference = rawIoCancel(s.ctx.id, s.reference.address, 0n);
  const found = !same(mine, reference);
  return {
    holds: found,
    facts: { cancel: describeResult(mine), cancelOfNeverSubmitted: describeResult(reference) },
    detail: `a cancel of it answered ${describeResult(mine)}, a cancel of a never-submitted iocb ${describeResult(reference)}: ${found ? "found" : "not found"}`,
  };
}

const not = (o: FactObservation): FactObservation => ({ ...o, holds: !o.holds });

// When each request's event was first looked for and found (or given up on).
const firstLook = new WeakMap<PendingPoll, number>();

/**
 * Waits (bounded) until the ring holds an event for the request, then lets
 * late duplicates arrive: for DUPLICATE_WINDOW_MS after the first look, so
 * that the second probe of one request does not wait the window again.
 */
async function ringEventsFor(s: PendingPoll): Promise<{ mine: ReturnType<AioContext["ringEvents"]>; all: number; waitedMs: number }> {
  const start = Date.now();
  while (s.ctx.ringEvents().every((e) => e.obj !== s.iocb.address) && Date.now() - start < EVENT_WAIT_MS) await sleep(2);
  const waitedMs = Date.now() - start;
  const first = firstLook.get(s) ?? Date.now();
  firstLook.set(s, first);
  const left = first + DUPLICATE_WINDOW_MS - Date.now();
  if (left > 0) await sleep(left);
  const events = s.ctx.ringEvents();
  return { mine: events.filter((e) => e.obj === s.iocb.address), all: events.length, waitedMs };
}

/** Exactly one completion event for the request reaches the ring, carrying its aio_data. */
async function oneEventInRing(s: PendingPoll): Promise<FactObservation> {
  const { mine, all, waitedMs } = await ringEventsFor(s);
  const [event] = mine;
  const holds = all === 1 && mine.length === 1 && event?.data === IOCB_DATA;
  return {
    holds,
    facts: { ringEvents: all, eventsForRequest: mine.length, data: event ? `0x${event.data.toString(16)}` : "none", waitedMs },
    detail: mine.length === 0 ? `no event for the request reached the ring within ${EVENT_WAIT_MS} ms` : `${mine.length} event(s) for the request (${all} in the ring), data ${event ? `0x${event.data.toString(16)}` : "-"}`,
  };
}

/** The request completes as cancelled: its event reports no readiness while the pipe is still empty. */
async function completesAsCancelled(s: PendingPoll): Promise<FactObservation> {
  const { mine } = await ringEventsFor(s);
  const [event] = mine;
  if (!event) return { holds: false, facts: { events: 0 }, detail: `no event for the request within ${EVENT_WAIT_MS} ms` };
  return { holds: event.res === 0n, facts: { res: event.res.toString() }, detail: `its event has res ${event.res} (0: cancelled, POLLIN ${POLLIN}: ready)` };
}

/** The request is not cancelled: made ready, it completes reporting readiness. */
async function completesAsReady(s: PendingPoll): Promise<FactObservation> {
  makeReadable(s.pipe);
  const { mine } = await ringEventsFor(s);
  const [event] = mine;
  if (!event) return { holds: false, facts: { events: 0 }, detail: `made ready, the request completed with no event within ${EVENT_WAIT_MS} ms` };
  return { holds: (event.res & POLLIN) !== 0n, facts: { res: event.res.toString() }, detail: `made ready, its event has res ${event.res} (POLLIN ${POLLIN}: ready)` };
}

/** A kiocb: in the context's active list (a cancel finds it) or out of it. */
export const KIOCB_STATES: StateModel<Request> = {
  object: "kiocb",
  states: [
    { names: ["in flight", "in active_reqs", "pending"], how: "a cancel of it finds it", observe: cancelFinds },
    { names: ["cancelling", "removed from list", "completed"], how: "a cancel of it no longer finds it", observe: (s) => not(cancelFinds(s)) },
  ],
};

/** A poll request's cancelled flag, seen in how the request completes. */
export const CANCELLED_FLAG_STATES: StateModel<Request> = {
  object: "poll cancelled flag",
  states: [
    { names: [/^\s*false\b/i, "not cancelled"], how: "made ready, the poll completes reporting readiness", observe: completesAsReady },
    { names: [/^\s*true\b/i, /^\s*set\b/i], how: "the poll completes reporting no readiness while its pipe is empty", observe: completesAsCancelled },
  ],
};

export const REMOVED_FROM_LIST: ClaimProbe<Request> = {
  claim: "the request is removed from the active list: a later cancel no longer finds it",
  says: ["removed from active_reqs list", "prevents found subsequent io_cancel"],
  opposite: ["remains in active_reqs list", "stays in active_reqs list", "kept in active_reqs list"],
  observe: (s) => not(cancelFinds(s)),
};

export const EVENT_DELIVERED: ClaimProbe<Request> = {
  claim: "one completion event, carrying the request's aio_data, is delivered to the ring",
  says: ["completion event delivered ring buffer", "deliver completion event ring buffer"],
  opposite: ["no completion event", "event not delivered", "copied into result"],
  observe: oneEventInRing,
};

export const CANCELLED_FLAG_SET: ClaimProbe<Request> = {
  claim: "the poll's cancelled flag is set: it completes reporting no readiness",
  says: ["cancelled flag set"],
  observe: completesAsCancelled,
};

/** For a request with no cancel callback: a cancel answers as for an iocb that was never submitted. */
export const NOT_CANCELLABLE: ClaimProbe<{ ctx: AioContext; iocb: PlacedIocb; reference: PlacedIocb }> = {
  claim: "an operation without a cancel callback is never found by a cancel",
  says: ["never appear active_reqs list", "don't set callback cannot be cancelled"],
  opposite: ["operations without callback can be cancelled"],
  observe: (s) => not(cancelFinds(s)),
};
