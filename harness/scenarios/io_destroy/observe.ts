// SPDX-License-Identifier: GPL-2.0-only
// How user space observes what the io_destroy spec claims: the context can no
// longer be found (by io_submit, as a never-created id is not), its ring is
// unmapped, fs.aio-nr falls by the nr_events it was set up with, and pending
// requests are cancelled and release their files. After a failing call the
// context of the scenario is still there, untouched (failure atomicity).
import type { AioContext } from "../../kernel/aio.js";
import { isReadable } from "../../kernel/peek.js";
import type { SyscallResult } from "../../kernel/syscall.js";
import { aioFootprint, contextFound, requestHoldsFile, ringMappedAt, type AioFootprint, type ClosablePipe } from "../resources/aio.js";
import type { ClaimProbe, FactObservation, StateModel } from "../scenario.js";

/** One io_destroy call: the context of this process the scenario watches, and the footprint just before the call. */
export interface DestroyCall {
  ctx: AioContext;
  before: AioFootprint;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;
const succeeded = (call: SyscallResult): boolean => call.ret !== -1n && call.errno === undefined;
const not = (o: FactObservation): FactObservation => ({ ...o, holds: !o.holds });

function found(s: DestroyCall): FactObservation {
  const { found, mine, reference } = contextFound(s.ctx.id);
  return { holds: found, facts: { found }, detail: `io_submit(${hex(s.ctx.id)}, 0, NULL) answered ${mine.errno ?? mine.ret}, for a never-created id ${reference.errno ?? reference.ret}: ${found ? "found" : "not found"}` };
}

function ringMapped(s: DestroyCall): FactObservation {
  const mapped = ringMappedAt(s.ctx.id);
  const readable = isReadable(s.ctx.id, 4);
  return { holds: mapped && readable, facts: { ringMapping: mapped, ringReadable: readable }, detail: `the ring at ${hex(s.ctx.id)} is ${mapped ? "" : "not "}an /[aio] mapping and ${readable ? "readable" : "unreadable"}` };
}

function aioNrMoved(s: DestroyCall, delta: number, why: string): FactObservation {
  const now = aioFootprint().aioNr;
  const moved = now - s.before.aioNr;
  return { holds: moved === delta, facts: { aioNrBefore: s.before.aioNr, aioNrAfter: now, nrEvents: s.ctx.nrEvents }, detail: `fs.aio-nr ${s.before.aioNr} -> ${now} (${moved >= 0 ? "+" : ""}${moved}; ${why} ${delta >= 0 ? "+" : ""}${delta})` };
}

/** The context is gone on success and still found after a failed call. */
export const CONTEXT_GONE: ClaimProbe<DestroyCall> = {
  claim: "the context can no longer be looked up after a successful call (io_submit on it answers as on a never-created id); after a failed call it still can",
  says: ["no longer find context", "removes context table", "context handle invalid", "cannot be used any operations", "prevents new submissions"],
  opposite: ["context remains in table", "context can still be used"],
  observe: (s, call) => (succeeded(call) ? not(found(s)) : found(s)),
};

export const RING_UNMAPPED: ClaimProbe<DestroyCall> = {
  claim: "the ring is unmapped from the process after a successful call; after a failed call it is still mapped",
  says: ["unmaps ring buffer", "memory region ctx becomes invalid"],
  opposite: ["ring buffer remains mapped"],
  observe: (s, call) => (succeeded(call) ? not(ringMapped(s)) : ringMapped(s)),
};

export const AIO_NR_FALLS: ClaimProbe<DestroyCall> = {
  claim: "fs.aio-nr falls by the nr_events the context was set up with after a successful call, and is unchanged after a failed one",
  says: ["decrements counter max_reqs", "decrements counter nr_events"],
  opposite: ["counter unchanged"],
  observe: (s, call) => (succeeded(call) ? aioNrMoved(s, -s.ctx.nrEvents, "success: minus nr_events") : aioNrMoved(s, 0, "failed call: unchanged")),
};

/** The context: alive (a lookup finds it) or dead (it does not). */
export const CONTEXT_STATES: StateModel<DestroyCall> = {
  object: "AIO context state",
  states: [
    { names: [/^\s*alive\b/i, /^\s*usable\b/i], how: "io_submit(ctx, 0, NULL) finds it", observe: found },
    { names: [/^\s*dead\b/i, /^\s*destroyed\b/i], how: "io_submit(ctx, 0, NULL) answers as for a never-created id", observe: (s) => not(found(s)) },
  ],
};

/** The process's contexts, seen as the ring mapping of the scenario's context. */
export const PROCESS_AIO_STATES: StateModel<DestroyCall> = {
  object: "process AIO state",
  states: [
    { names: [/^\s*has AIO context/i], how: "its ring is mapped and a lookup finds it", observe: (s) => both(ringMapped(s), found(s)) },
    { names: ["context removed", "no contexts"], how: "its ring is unmapped and a lookup no longer finds it", observe: (s) => both(not(ringMapped(s)), not(found(s))) },
  ],
};

function both(a: FactObservation, b: FactObservation): FactObservation {
  return { holds: a.holds && b.holds, facts: { ...a.facts, ...b.facts }, detail: `${a.detail}; ${b.detail}` };
}

export const SYSTEM_AIO_STATES: StateModel<DestroyCall> = {
  object: "system AIO resources",
  states: [
    { names: [/^\s*aio_nr\s*=\s*N\s*$/i], how: "fs.aio-nr is what it was when the setup ended", observe: (s) => aioNrMoved(s, 0, "unchanged:") },
    { names: [/N\s*-\s*(?:max_reqs|nr_events)/i], how: "fs.aio-nr fell by the nr_events the context was set up with", observe: (s) => aioNrMoved(s, -s.ctx.nrEvents, "minus nr_events:") },
  ],
};

/** A pending poll on a pipe whose read end the probe may close. */
export interface PendingOnPipe extends DestroyCall {
  pipe: ClosablePipe;
}

/** Outstanding requests are cancelled and released when io_destroy returns; a failed call leaves them pending. */
export const OUTSTANDING_CANCELLED: ClaimProbe<PendingOnPipe> = {
  claim: "a pending poll is cancelled and released (its file reference dropped) by a successful call; a failed call leaves it pending",
  says: ["cancels outstanding operations", "outstanding operations have completed", "cancel outstanding operations"],
  opposite: ["outstanding operations continue", "not cancelled"],
  observe: async (s, call) => (succeeded(call) ? not(await requestHoldsFile(s.pipe)) : requestHoldsFile(s.pipe)),
};
