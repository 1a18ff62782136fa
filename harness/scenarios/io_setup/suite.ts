// SPDX-License-Identifier: GPL-2.0-only
// The io_setup scenario table. Each entry creates one condition and names,
// by its words, the spec item that documents the outcome; the errno, return
// value and effects are read from the spec when the case runs. Contexts are
// few and small (io_destroy waits ~31 ms for RCU on release).
import { readlinkSync } from "node:fs";
import { aioMaxNr, aioNr } from "../../kernel/procfs.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { ResourceUnavailable } from "../errors.js";
import { aioNotConfigured, KMEM_TRACING, settledFootprint, contextCell, destroyableContext, liveContext, NO_FAULT_INJECTION } from "../resources/aio.js";
import { defineScenario, userMemory, type Args, type Check, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";
import { AIO_NR_RISES, CAPACITY_AT_LEAST, CONTEXT_ADDED, MORE_MEMORY_FOR_MORE_EVENTS, PROCESS_AIO_STATES, RING_MAPPED, SEVERAL_CONTEXTS, SYSTEM_AIO_STATES, type SetupBeside, type SetupCall } from "./observe.js";

/** A small context: the ring is one page whatever the value up to ~60. */
const NR_EVENTS = 8;
/** A context whose ring spans many pages (about 2 * 4096 events of 32 bytes), well under the default fs.aio-max-nr. */
const LARGE_NR_EVENTS = 4096;
/** Why EINTR is never seen: the only signal that interrupts io_setup kills its caller. */
const FATAL_SIGNAL_ONLY = "only a fatal signal interrupts io_setup, and it kills the caller: user space never sees the -EINTR return";

/** Above this the kernel's doubled count overflows its ring-size limit (0x10000000 / 32 / 2). */
const OVERFLOW_FREE_MAX = 0x10000000 / 32 / 2;

const setupArgs = (s: SetupCall): Args => ({ nr_events: s.nrEvents, ctxp: userMemory(s.cell, 8) });

/** A ctxp cell holding `initial`, and the footprint taken last, just before the call. */
async function call(scope: ResourceScope, nrEvents: number, initial = 0n, writable = true): Promise<SetupCall> {
  const cell = contextCell(scope, initial, writable);
  return { cell, initial, nrEvents, before: await settledFootprint() };
}

// Spec items, found by what they say.
const invalidParameter = (condition: string | RegExp): Target => ({ section: "errors", summary: "invalid parameter", condition });
const badPointer = (condition: string | RegExp): Target => ({ section: "errors", summary: "invalid pointer", condition });
const limitExceeded = (condition: string | RegExp): Target => ({ section: "errors", summary: "resource limit exceeded", condition });
const successReturn: Target = { section: "return" };

/** Failure atomicity: after a failing call, nothing the spec says io_setup changes has changed. */
const unchangedAfterFailure: Check<SetupCall>[] = [
  {
    kind: "claims",
    id: "aio-nr-unchanged",
    title: "a failed io_setup leaves fs.aio-nr as it was",
    about: { section: "sideEffects", summary: "aio_nr" },
    probes: [AIO_NR_RISES],
  },
  {
    kind: "claims",
    id: "no-ring-left",
    title: "a failed io_setup leaves no ring mapped in the process",
    about: { section: "sideEffects", summary: "process virtual memory" },
    probes: [RING_MAPPED],
  },
  {
    kind: "claims",
    id: "ctxp-untouched",
    title: "a failed io_setup leaves *ctxp as it was",
    about: { section: "sideEffects", summary: "ioctx_table" },
    probes: [CONTEXT_ADDED],
  },
];

const withAtomicity = (checks: Check<SetupCall>[]): Check<SetupCall>[] => [...checks, ...unchangedAfterFailure];

/** Where the slab cache lives on this kernel: SLUB merges caches of one size under a shared name. */
function slabDetail(cache: string): string {
  try {
    const target = readlinkSync(`/sys/kernel/slab/${cache}`);
    return `/sys/kernel/slab/${cache} is an alias of ${target}: its counts are shared with every cache merged there`;
  } catch {
    return `/sys/kernel/slab/${cache} is not an alias here; SLUB still counts per-CPU slabs as fully used`;
  }
}

export const ioSetupSuite: SyscallSuite = {
  syscalls: ["io_setup"],

  baseline: defineScenario<SetupCall>({
    id: "create",
    condition: `io_setup(${NR_EVENTS}, &ctx) with ctx initialised to 0`,
    setup: ({ scope }) => call(scope, NR_EVENTS),
    args: setupArgs,
    checks: [
      { kind: "claims", id: "ring-mapped", title: "the id written at *ctxp is a mapped ring with the AIO magic", about: { section: "sideEffects", summary: "process virtual memory" }, probes: [RING_MAPPED] },
      { kind: "claims", id: "ring-pages-mapped", title: "the ring's pages are mapped into the process", about: { section: "sideEffects", summary: "ring buffer pages" }, probes: [RING_MAPPED] },
      { kind: "claims", id: "ring-file-backed", title: "an aio-filesystem file backs the ring mapping (/[aio] in the process's maps)", about: { section: "sideEffects", summary: "anonymous inode and file" }, probes: [RING_MAPPED] },
      { kind: "claims", id: "context-usable", title: "the context is added to the process's table: a lookup finds it", about: { section: "sideEffects", summary: "ioctx_table" }, probes: [CONTEXT_ADDED] },
      { kind: "claims", id: "handle-in-ctxp", title: "on success *ctxp holds the new context's handle", about: successReturn, probes: [CONTEXT_ADDED] },
      { kind: "claims", id: "handle-is-ring-address", title: "the handle is the address of the ring mapping", about: { section: "params", summary: /^ctxp$/ }, probes: [RING_MAPPED] },
      { kind: "claims", id: "capacity-at-least", title: "the ring holds at least nr_events events", about: { section: "params", summary: /^nr_events$/ }, probes: [CAPACITY_AT_LEAST] },
      { kind: "claims", id: "aio-nr-rises", title: "fs.aio-nr rises by nr_events", about: { section: "sideEffects", summary: "aio_nr" }, probes: [AIO_NR_RISES] },
      { kind: "transition", id: "aio-nr-transition", title: "aio_nr goes from N to what the transition says", about: { section: "stateTransitions", summary: "system AIO resources" }, model: SYSTEM_AIO_STATES },
      { kind: "transition", id: "process-gains-context", title: "the process gains a context", about: { section: "stateTransitions", summary: "process AIO state" }, model: PROCESS_AIO_STATES },
    ],
  }),

  scenarios: [
    defineScenario<SetupCall>({
      id: "nr-events-zero",
      condition: "nr_events is 0",
      setup: ({ scope }) => call(scope, 0),
      args: setupArgs,
      checks: withAtomicity([{ kind: "outcome", id: "rejected", title: "nr_events 0 is rejected", about: invalidParameter(/nr_events is 0/) }]),
    }),
    defineScenario<SetupCall>({
      id: "nr-events-uint-max",
      condition: "nr_events is (unsigned)-1, far beyond the ring-size limit",
      setup: ({ scope }) => call(scope, 0xffffffff),
      args: setupArgs,
      checks: withAtomicity([{ kind: "outcome", id: "rejected", title: "nr_events = 2^32 - 1 overflows the ring size", about: invalidParameter("too large internal overflow") }]),
    }),
    defineScenario<SetupCall>({
      id: "nr-events-above-aio-max-nr",
      condition: "nr_events is fs.aio-max-nr + 1 (and below the ring-size limit)",
      setup: ({ scope }) => {
        const max = aioMaxNr();
        if (max + 1 > OVERFLOW_FREE_MAX) throw new ResourceUnavailable("fs.aio-max-nr is at or above the ring-size limit: no nr_events exceeds it without overflowing", `fs.aio-max-nr ${max}, limit ${OVERFLOW_FREE_MAX}`);
        return call(scope, max + 1);
      },
      args: setupArgs,
      checks: withAtomicity([{ kind: "outcome", id: "rejected", title: "nr_events above fs.aio-max-nr", about: limitExceeded("exceeds the current aio-max-nr value") }]),
    }),
    defineScenario<SetupCall>({
      // The range the spec documents ends at 0x10000000 / 32; above fs.aio-max-nr, so the limit's errno applies.
      id: "nr-events-range-max",
      condition: "nr_events is 8388608, the maximum of the documented range (and above fs.aio-max-nr)",
      setup: ({ scope }) => {
        const max = aioMaxNr();
        if (max >= 8388608) throw new ResourceUnavailable("fs.aio-max-nr is not below the documented range maximum", `fs.aio-max-nr ${max}`);
        return call(scope, 8388608);
      },
      args: setupArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "nr_events at the documented maximum, above fs.aio-max-nr", about: limitExceeded("exceeds the current aio-max-nr value") }],
    }),
    defineScenario<SetupBeside>({
      id: "large-context",
      condition: `io_setup(${LARGE_NR_EVENTS}, &ctx), beside a context of 1 event`,
      setup: async ({ scope }) => {
        if (aioMaxNr() - aioNr() < LARGE_NR_EVENTS + 1) throw new ResourceUnavailable("fs.aio-max-nr leaves too few events for a large context", `fs.aio-max-nr ${aioMaxNr()}, fs.aio-nr ${aioNr()}`);
        const small = liveContext(scope, 1);
        return { ...(await call(scope, LARGE_NR_EVENTS)), small: { nrEvents: 1, id: small.id } };
      },
      args: setupArgs,
      checks: [
        { kind: "outcome", id: "accepted", title: "a large context is created", about: successReturn },
        { kind: "claims", id: "capacity-at-least", title: "the ring holds at least nr_events events", about: { section: "params", summary: /^nr_events$/ }, probes: [CAPACITY_AT_LEAST] },
        { kind: "claims", id: "ring-memory-grows", title: "more events take a larger ring mapping", about: { section: "constraints", summary: "memory for ring buffer" }, probes: [MORE_MEMORY_FOR_MORE_EVENTS] },
        { kind: "claims", id: "aio-nr-rises", title: "fs.aio-nr rises by nr_events", about: { section: "sideEffects", summary: "aio_nr" }, probes: [AIO_NR_RISES] },
      ],
    }),
    defineScenario<SetupCall>({
      id: "ctxp-read-only",
      condition: "ctxp points to a read-only page holding 0: it can be read, not written",
      setup: ({ scope }) => call(scope, NR_EVENTS, 0n, false),
      args: setupArgs,
      checks: withAtomicity([{ kind: "outcome", id: "rejected", title: "*ctxp cannot be written", about: badPointer(/cannot be read or written|put_user/) }]),
    }),
    defineScenario<SetupCall & { other: bigint }>({
      id: "ctxp-holds-live-context",
      condition: "*ctxp holds the id of a live context of this process",
      setup: async ({ scope }) => {
        const other = liveContext(scope, 1).id;
        return { ...(await call(scope, NR_EVENTS, other)), other };
      },
      args: setupArgs,
      checks: withAtomicity([{ kind: "outcome", id: "rejected", title: "*ctxp not 0: an existing context", about: invalidParameter("not initialized to 0") }]),
    }),
    defineScenario<SetupCall>({
      id: "ctxp-holds-garbage",
      condition: "*ctxp holds an arbitrary non-zero value (uninitialised memory)",
      setup: ({ scope }) => call(scope, NR_EVENTS, 0x5a5a5a5a5a5a5a5an),
      args: setupArgs,
      checks: withAtomicity([{ kind: "outcome", id: "rejected", title: "*ctxp not 0: uninitialised memory", about: invalidParameter("not initialized to 0") }]),
    }),
    defineScenario<SetupCall>({
      id: "aio-max-nr-reached",
      condition: "a context of this process holds every event fs.aio-max-nr leaves, then a context of 1 event is asked for",
      setup: ({ scope }) => {
        const left = aioMaxNr() - aioNr();
        if (left < 1 || left > OVERFLOW_FREE_MAX) throw new ResourceUnavailable("cannot fill fs.aio-max-nr with one context", `fs.aio-max-nr ${aioMaxNr()}, fs.aio-nr ${aioNr()}`);
        const filler = destroyableContext(scope, left);
        // Destroyed at once on release, not in the background: the next scenario needs fs.aio-nr back.
        scope.defer(() => void filler.destroy());
        return call(scope, 1);
      },
      args: setupArgs,
      checks: withAtomicity([
        { kind: "outcome", id: "rejected", title: "the system-wide limit would be exceeded", about: limitExceeded("system-wide limit") },
        { kind: "outcome", id: "limit-constraint", title: "aio_nr + nr_events > aio_max_nr", about: { section: "constraints", summary: "aio-max-nr" } },
      ]),
    }),
    defineScenario<SetupCall & { other: bigint }>({
      id: "second-context",
      condition: "the process already has a context and asks for another",
      setup: async ({ scope }) => {
        const other = liveContext(scope, 1).id;
        return { ...(await call(scope, NR_EVENTS)), other };
      },
      args: setupArgs,
      checks: [
        { kind: "outcome", id: "accepted", title: "a second context is created", about: successReturn },
        { kind: "claims", id: "several-contexts", title: "a process can hold several contexts", about: { section: "constraints", summary: "per-process context limit" }, probes: [SEVERAL_CONTEXTS] },
      ],
    }),
    defineScenario<SetupCall>({
      id: "as-nobody",
      condition: "an unprivileged user (nobody) creates a context: no capability is needed",
      as: "nobody",
      setup: ({ scope }) => call(scope, NR_EVENTS),
      args: setupArgs,
      checks: [
        { kind: "outcome", id: "accepted", title: "io_setup needs no privilege", about: successReturn },
        { kind: "claims", id: "ring-mapped", title: "the unprivileged caller gets a mapped ring", about: { section: "sideEffects", summary: "process virtual memory" }, probes: [RING_MAPPED] },
      ],
    }),
    aioNotConfigured({ nr_events: 1, ctxp: 0n }),
  ],

  environmentOnly: [
    {
      id: "no-kernel-memory",
      title: "the kernel cannot allocate the context, its ring or its mapping",
      about: { section: "errors", summary: "insufficient memory" },
      reason: () => ({ reason: NO_FAULT_INJECTION }),
    },
    {
      id: "fatal-signal-during-mmap",
      title: "a fatal signal arrives while the ring's mmap lock is taken",
      about: { section: "errors", summary: "interrupted by signal" },
      reason: () => ({ reason: FATAL_SIGNAL_ONLY }),
    },
    { id: "eintr-where", title: "the mmap lock is where EINTR can occur", about: { section: "claims", text: "This is where EINTR can occur" }, reason: () => ({ reason: FATAL_SIGNAL_ONLY }) },
    { id: "eintr-killable-lock", title: "mmap_write_lock_killable returns -EINTR for a pending fatal signal", about: { section: "claims", text: "mmap_write_lock_killable checks fatal signals returns EINTR pending" }, reason: () => ({ reason: FATAL_SIGNAL_ONLY }) },
    { id: "large-ring-no-memory", title: "a large ring fails with ENOMEM on a memory-constrained system", about: { section: "claims", text: "Large nr_events values require more memory may fail ENOMEM" }, reason: () => ({ reason: NO_FAULT_INJECTION }) },
    { id: "kioctx-allocated", title: "the kioctx is allocated from kioctx_cachep", about: { section: "sideEffects", summary: "kioctx structure" }, reason: () => ({ reason: KMEM_TRACING, detail: slabDetail("kioctx") }) },
    { id: "percpu-allocated", title: "the per-CPU kioctx_cpu structures are allocated", about: { section: "sideEffects", summary: "percpu kioctx_cpu" }, reason: () => ({ reason: KMEM_TRACING, detail: "alloc_percpu of a few bytes per CPU; /proc/meminfo Percpu counts whole populated chunks" }) },
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
    signals: "only a fatal signal interrupts io_setup; the caller dies and never sees the return",
  },
};
