// SPDX-License-Identifier: GPL-2.0-only
// How user space observes what the io_setup spec claims: the id the call
// writes at *ctxp names a ring mapped at that address (with the ring's magic),
// the context is usable, the global aio-nr moves by nr_events, and after a
// failing call none of that happened (failure atomicity). Every observation
// is relative to the footprint taken when the scenario's setup ended.
import { readFileSync } from "node:fs";
import { AIO_RING_HEADER_SIZE, AIO_RING_MAGIC, decodeRingHeader, IO_EVENT_SIZE } from "../../kernel/aio-abi.js";
import type { Mapping } from "../../kernel/memory.js";
import { isReadable, peek } from "../../kernel/peek.js";
import type { SyscallResult } from "../../kernel/syscall.js";
import { aioFootprint, contextFound, ringMappedAt, ringMappingSize, type AioFootprint } from "../resources/aio.js";
import type { ClaimProbe, FactObservation, StateModel } from "../scenario.js";
import { ResourceUnavailable } from "../errors.js";

/** One io_setup call: the ctxp cell, the nr_events passed, and the footprint just before the call. */
export interface SetupCall {
  cell: Mapping;
  initial: bigint;
  nrEvents: number;
  before: AioFootprint;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;
const succeeded = (call: SyscallResult): boolean => call.ret !== -1n && call.errno === undefined;

/** The id at *ctxp now, if it changed from what the scenario put there. */
function writtenId(s: SetupCall): bigint | undefined {
  if (s.cell.protection === "none") return undefined;
  const id = s.cell.readU64(0);
  return id === s.initial ? undefined : id;
}

/** A ring with the AIO magic is mapped at the id *ctxp holds. */
function ringAtId(s: SetupCall): FactObservation {
  const id = writtenId(s);
  if (id === undefined) return { holds: false, facts: { ctxp: hex(s.initial) }, detail: `*ctxp still holds ${hex(s.initial)}: no id was written` };
  const mapped = ringMappedAt(id);
  const header = isReadable(id, AIO_RING_HEADER_SIZE) ? decodeRingHeader(peek(id, AIO_RING_HEADER_SIZE)) : undefined;
  const holds = mapped && header?.magic === AIO_RING_MAGIC;
  return {
    holds,
    facts: { id: hex(id), ringMapping: mapped, magic: header ? `0x${header.magic.toString(16)}` : "unreadable", ringSlots: header?.nr ?? 0 },
    detail: `*ctxp = ${hex(id)}: ${mapped ? "an /[aio] mapping starts there" : "no /[aio] mapping starts there"}, header magic ${header ? `0x${header.magic.toString(16)}` : "unreadable"} (expected 0x${AIO_RING_MAGIC.toString(16)}), ${header?.nr ?? 0} event slots`,
  };
}

/** The id *ctxp holds names a live context: a lookup finds it. */
function idUsable(s: SetupCall): FactObservation {
  const id = writtenId(s);
  if (id === undefined) return { holds: false, facts: { ctxp: hex(s.initial) }, detail: `*ctxp still holds ${hex(s.initial)}: no id was written` };
  const { found, mine, reference } = contextFound(id);
  return { holds: found, facts: { id: hex(id), found }, detail: `io_submit(${hex(id)}, 0, NULL) answered ${mine.errno ?? mine.ret}, for a never-created id ${reference.errno ?? reference.ret}: ${found ? "found" : "not found"}` };
}

/** aio-nr moved by `delta` since the setup ended (and the call's own outcome says which delta applies). */
function aioNrMoved(s: SetupCall, delta: number, why: string): FactObservation {
  const now = aioFootprint();
  const moved = now.aioNr - s.before.aioNr;
  return { holds: moved === delta, facts: { aioNrBefore: s.before.aioNr, aioNrAfter: now.aioNr, nrEvents: s.nrEvents }, detail: `fs.aio-nr ${s.before.aioNr} -> ${now.aioNr} (${moved >= 0 ? "+" : ""}${moved}; ${why} ${delta >= 0 ? "+" : ""}${delta})` };
}

/** This process's ring mappings changed by `delta`. */
function ringsMoved(s: SetupCall, delta: number, why: string): FactObservation {
  const now = aioFootprint();
  const moved = now.rings - s.before.rings;
  return { holds: moved === delta, facts: { ringsBefore: s.before.rings, ringsAfter: now.rings }, detail: `/[aio] mappings of this process ${s.before.rings} -> ${now.rings} (${why} ${delta >= 0 ? "+" : ""}${delta})` };
}

/** The global counter rises by nr_events when the call succeeds and stays put when it fails. */
export const AIO_NR_RISES: ClaimProbe<SetupCall> = {
  claim: "fs.aio-nr rises by nr_events when the call succeeds, and is unchanged when it fails",
  says: ["increments counter nr_events", "adds nr_events aio_nr"],
  opposite: ["counter unchanged", "does not change aio_nr"],
  observe: (s, call) => (succeeded(call) ? aioNrMoved(s, s.nrEvents, "success: nr_events") : aioNrMoved(s, 0, "failed call: unchanged")),
};

/** A new ring mapping appears at the returned id on success; none appears when the call fails. */
export const RING_MAPPED: ClaimProbe<SetupCall> = {
  claim: "a ring with magic 0xa10a10a1 is mapped at the returned id on success; no ring mapping is left when the call fails",
  says: ["creates memory mapping ring buffer", "memory-mapped into process address space", "mmap address ring buffer", "back ring buffer mapping"],
  opposite: ["no memory mapping"],
  observe: (s, call) => (succeeded(call) ? ringAtId(s) : ringsMoved(s, 0, "failed call: unchanged")),
};

/** The new context is in the process's table: a lookup finds it. On failure *ctxp is untouched. */
export const CONTEXT_ADDED: ClaimProbe<SetupCall> = {
  claim: "the context whose id *ctxp receives can be looked up on success; on failure *ctxp keeps its value",
  says: ["adds context table", "contains new context handle", "receives context handle"],
  observe: (s, call) => {
    if (succeeded(call)) return idUsable(s);
    const id = writtenId(s);
    return { holds: id === undefined, facts: { ctxp: hex(s.cell.protection === "none" ? s.initial : s.cell.readU64(0)) }, detail: id === undefined ? `*ctxp still holds ${hex(s.initial)}` : `the failed call wrote ${hex(id)} at *ctxp` };
  },
};

/** The system-wide counter: aio_nr = N before the call, N + nr_events after it. */
export const SYSTEM_AIO_STATES: StateModel<SetupCall> = {
  object: "system AIO resources",
  states: [
    { names: [/^\s*aio_nr\s*=\s*N\s*$/i], how: "fs.aio-nr is what it was when the setup ended", observe: (s) => aioNrMoved(s, 0, "unchanged:") },
    { names: [/N\s*\+\s*nr_events/i], how: "fs.aio-nr rose by nr_events", observe: (s) => aioNrMoved(s, s.nrEvents, "nr_events:") },
    { names: [/N\s*\+\s*2\s*\*\s*nr_events/i], how: "fs.aio-nr rose by twice nr_events", observe: (s) => aioNrMoved(s, 2 * s.nrEvents, "twice nr_events:") },
  ],
};

/** The process's contexts, counted as its ring mappings. */
export const PROCESS_AIO_STATES: StateModel<SetupCall> = {
  object: "process AIO state",
  states: [
    { names: ["no AIO context", "fewer contexts"], how: "this process has the ring mappings it had when the setup ended", observe: (s) => ringsMoved(s, 0, "unchanged:") },
    { names: [/^\s*has AIO context\s*$/i], how: "one more ring mapping, at the id *ctxp received", observe: (s) => {
      const more = ringsMoved(s, 1, "one more:");
      const ring = ringAtId(s);
      return { holds: more.holds && ring.holds, facts: { ...more.facts, ...ring.facts }, detail: `${more.detail}; ${ring.detail}` };
    } },
  ],
};

/** For the constraint that a process may hold several contexts: the call succeeded while another context of the process was live. */
export const SEVERAL_CONTEXTS: ClaimProbe<SetupCall & { other: bigint }> = {
  claim: "a process that already has a context gets another one",
  says: ["can have multiple AIO contexts"],
  opposite: ["only one AIO context", "single context per process"],
  observe: (s, call) => {
    const other = contextFound(s.other).found;
    const mine = succeeded(call) ? idUsable(s) : { holds: false, detail: `the call failed: ${call.errno}`, facts: {} };
    return { holds: other && mine.holds, facts: { otherFound: other, ...mine.facts }, detail: `the earlier context is ${other ? "still found" : "gone"}; ${mine.detail}` };
  },
};

/** The ring at the id *ctxp received: its event slots (header nr) and its mapping's size; or why there is none to measure. */
function ringShape(s: SetupCall, call: SyscallResult): { slots: number; bytes: number } | FactObservation {
  const none = (detail: string): FactObservation => ({ holds: false, facts: { errno: call.errno ?? "none" }, detail });
  if (!succeeded(call)) return none(`the call failed (${call.errno}): no ring to measure`);
  const id = writtenId(s);
  if (id === undefined) return none(`*ctxp still holds ${hex(s.initial)}: no id was written`);
  const bytes = ringMappingSize(id);
  if (bytes === undefined || !isReadable(id, AIO_RING_HEADER_SIZE)) return none(`no readable /[aio] mapping starts at ${hex(id)}`);
  return { slots: decodeRingHeader(peek(id, AIO_RING_HEADER_SIZE)).nr, bytes };
}

/** For nr_events: the context can hold at least nr_events events; the kernel may give more. */
export const CAPACITY_AT_LEAST: ClaimProbe<SetupCall> = {
  claim: "the ring at the returned id has at least nr_events event slots, and its mapping holds the header and every slot",
  says: ["may allocate more capacity than requested"],
  observe: (s, call): FactObservation => {
    const ring = ringShape(s, call);
    if ("holds" in ring) return ring;
    const needed = AIO_RING_HEADER_SIZE + ring.slots * IO_EVENT_SIZE;
    return {
      holds: ring.slots >= s.nrEvents && ring.bytes >= needed,
      facts: { nrEvents: s.nrEvents, slots: ring.slots, mappingBytes: ring.bytes },
      detail: `nr_events ${s.nrEvents}: the ring header counts ${ring.slots} slots, the /[aio] mapping is ${ring.bytes} bytes (${needed} needed for the header and the slots)`,
    };
  },
};

/** How many CPUs the kernel counts as possible (/sys/devices/system/cpu/possible: "0-3,5"). */
function possibleCpus(): number {
  return readFileSync("/sys/devices/system/cpu/possible", "utf8")
    .trim()
    .split(",")
    .reduce((n: number, range: string) => {
      const [from, to] = range.split("-").map(Number);
      return n + (to === undefined ? 1 : to - from! + 1);
    }, 0);
}

/** A call with a small context made beside it, to compare ring sizes with. */
export interface SetupBeside extends SetupCall {
  small: { nrEvents: number; id: bigint };
}

/** For the ring-memory constraint: a larger nr_events takes a larger ring mapping. */
export const MORE_MEMORY_FOR_MORE_EVENTS: ClaimProbe<SetupBeside> = {
  claim: "the ring of a context with many events is a larger mapping than the ring of a context with few",
  says: ["large nr_events values require more memory"],
  observe: (s, call): FactObservation => {
    const ring = ringShape(s, call);
    if ("holds" in ring) return ring;
    // ioctx_alloc raises nr_events to 4 per possible CPU first: with that many CPUs both rings are the same size.
    const cpus = possibleCpus();
    if (cpus * 4 >= s.nrEvents) throw new ResourceUnavailable("io_setup rounds every context up to 4 events per possible CPU: both rings are that size here", `${cpus} possible CPUs, nr_events ${s.nrEvents}`);
    const small = ringMappingSize(s.small.id);
    if (small === undefined) return { holds: false, facts: {}, detail: `the ${s.small.nrEvents}-event context's ring is not mapped` };
    return {
      holds: ring.bytes > small,
      facts: { nrEvents: s.nrEvents, mappingBytes: ring.bytes, smallNrEvents: s.small.nrEvents, smallMappingBytes: small },
      detail: `nr_events ${s.nrEvents}: a ${ring.bytes}-byte ring mapping; nr_events ${s.small.nrEvents}: ${small} bytes`,
    };
  },
};
