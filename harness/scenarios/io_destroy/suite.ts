// SPDX-License-Identifier: GPL-2.0-only
// The io_destroy scenario table. Each entry creates one condition and names,
// by its words, the spec item that documents the outcome; errnos, return
// values and effects are read from the spec when the case runs. Every failing
// call is made while a live context of this process is watched, so failure
// atomicity (the context, its ring and fs.aio-nr untouched) is checked too.
// io_destroy waits ~31 ms for RCU: contexts stay few.
import { IOCB_CMD, IOCB_SIZE } from "../../kernel/aio-abi.js";
import { mapPages } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { SetupError } from "../errors.js";
import { foreignContext } from "../io_cancel/foreign-context.js";
import { aioNotConfigured, KMEM_TRACING, settledFootprint, closablePipe, destroyableContext, IOCB_DATA, neverCreatedId, placeIocb, POLLPRI, submitOne } from "../resources/aio.js";
import { readableFile } from "../resources/files.js";
import { defineScenario, type Args, type Check, type ClaimProbe, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";
import { DESTROY_RACE_OUTCOME, destroyRaceSetup, runDestroyRace, type DestroyRace } from "./destroy-race.js";
import { AIO_NR_FALLS, CONTEXT_GONE, CONTEXT_STATES, OUTSTANDING_CANCELLED, PROCESS_AIO_STATES, RING_UNMAPPED, SYSTEM_AIO_STATES, type DestroyCall, type PendingOnPipe } from "./observe.js";

const NR_EVENTS = 8;

/** Another process's context: the call, which names it, does not destroy it (it fails). */
const NOT_DESTROYED: ClaimProbe<Other> = {
  claim: "io_destroy of another process's context does not succeed",
  says: ["cannot be destroyed by another process"],
  opposite: [/\bcan be destroyed by (?:any|another) process/i],
  observe: (_s, call) => ({ holds: call.ret === -1n, facts: { ret: call.ret.toString() }, detail: call.ret === -1n ? `the call failed (${call.errno})` : `the call returned ${call.ret}` }),
};

/** A live context of this process to destroy or to watch, and the footprint taken last. */
async function watched(scope: ResourceScope): Promise<DestroyCall> {
  const ctx = destroyableContext(scope, NR_EVENTS);
  return { ctx, before: await settledFootprint() };
}

interface Other extends DestroyCall {
  id: bigint;
}

const destroyArgs = (id: bigint): Args => ({ ctx: id });

// Spec items, found by what they say.
const invalidContext = (condition: string | RegExp): Target => ({ section: "errors", summary: "invalid context", condition });
const successReturn: Target = { section: "return" };

/** After a failed call the watched context is still there, its ring mapped, fs.aio-nr unchanged. */
const unchangedAfterFailure: Check<DestroyCall>[] = [
  { kind: "claims", id: "context-kept", title: "a failed io_destroy leaves the process's context in its table", about: { section: "sideEffects", summary: "ioctx_table" }, probes: [CONTEXT_GONE] },
  { kind: "claims", id: "ring-kept", title: "a failed io_destroy leaves the process's ring mapped", about: { section: "sideEffects", summary: "process virtual memory" }, probes: [RING_UNMAPPED] },
  { kind: "claims", id: "aio-nr-unchanged", title: "a failed io_destroy leaves fs.aio-nr as it was", about: { section: "sideEffects", summary: "aio_nr" }, probes: [AIO_NR_FALLS] },
];

/** A scenario whose call names `id` (not the watched context) and must fail as the invalid-context condition says. */
function rejected(id: string, condition: string, matches: string | RegExp, make: (scope: ResourceScope) => bigint | Promise<bigint>, extra: Check<Other>[] = []) {
  return defineScenario<Other>({
    id,
    condition,
    setup: async ({ scope }) => {
      const s = await watched(scope);
      // Last: an id made from a freed page must not be reused by the setup.
      const other = await make(scope);
      return { ...s, id: other, before: await settledFootprint() };
    },
    args: (s) => destroyArgs(s.id),
    checks: [{ kind: "outcome", id: "rejected", title: condition, about: invalidContext(matches) }, ...extra, ...(unchangedAfterFailure as Check<Other>[])],
  });
}

export const ioDestroySuite: SyscallSuite = {
  syscalls: ["io_destroy"],

  baseline: defineScenario<DestroyCall>({
    id: "destroy",
    condition: `a live context of this process (nr_events ${NR_EVENTS}, nothing pending) is destroyed`,
    setup: ({ scope }) => watched(scope),
    args: (s) => destroyArgs(s.ctx.id),
    checks: [
      { kind: "transition", id: "alive-to-dead", title: "the context goes from alive to dead", about: { section: "stateTransitions", summary: "AIO context state" }, model: CONTEXT_STATES },
      { kind: "transition", id: "process-loses-context", title: "the process's context is removed", about: { section: "stateTransitions", summary: "process AIO state" }, model: PROCESS_AIO_STATES },
      { kind: "transition", id: "aio-nr-transition", title: "aio_nr goes from N to what the transition says", about: { section: "stateTransitions", summary: "system AIO resources" }, model: SYSTEM_AIO_STATES },
      { kind: "claims", id: "removed-from-table", title: "a lookup no longer finds the context", about: { section: "sideEffects", summary: "ioctx_table" }, probes: [CONTEXT_GONE] },
      { kind: "claims", id: "dead-flag", title: "a dead context takes no new submissions", about: { section: "sideEffects", summary: "dead flag" }, probes: [CONTEXT_GONE] },
      { kind: "claims", id: "ring-unmapped", title: "the ring is unmapped", about: { section: "sideEffects", summary: "process virtual memory" }, probes: [RING_UNMAPPED] },
      { kind: "claims", id: "aio-nr-falls", title: "fs.aio-nr falls by the context's nr_events", about: { section: "sideEffects", summary: "aio_nr" }, probes: [AIO_NR_FALLS] },
      { kind: "claims", id: "handle-invalid", title: "after a successful return the handle is invalid", about: successReturn, probes: [CONTEXT_GONE] },
      {
        kind: "again",
        id: "destroy-again",
        title: "a second io_destroy of the same context",
        about: { section: "sideEffects", summary: "dead flag" },
        expectFrom: invalidContext("already destroyed"),
        call: "io_destroy of the context just destroyed",
        args: (s) => destroyArgs(s.ctx.id),
      },
      {
        kind: "again",
        id: "dead-flag-claim",
        title: "the dead flag's claim about later io_destroy calls",
        about: { section: "claims", text: /subsequent io_destroy calls/i },
        expectFrom: { section: "claims", text: /subsequent io_destroy calls/i },
        call: "io_destroy of the context just destroyed",
        args: (s) => destroyArgs(s.ctx.id),
      },
    ],
  }),

  scenarios: [
    defineScenario<PendingOnPipe>({
      id: "pending-poll",
      condition: "the context has a pending IOCB_CMD_POLL (POLLPRI, never ready) on a pipe",
      setup: async ({ scope }) => {
        const s = await watched(scope);
        const pipe = closablePipe(scope);
        // POLLPRI: the observation's writes to the pipe must not complete it.
        const iocb = placeIocb(scope, { data: IOCB_DATA, opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLPRI });
        submitOne(s.ctx, iocb);
        return { ...s, pipe, before: await settledFootprint() };
      },
      args: (s) => destroyArgs(s.ctx.id),
      checks: [
        { kind: "outcome", id: "destroyed", title: "a context with a pending request is destroyed", about: successReturn },
        { kind: "claims", id: "outstanding-cancelled", title: "the pending request is cancelled and released", about: { section: "sideEffects", summary: "outstanding AIO operations" }, probes: [OUTSTANDING_CANCELLED] },
        { kind: "claims", id: "completed-on-return", title: "all outstanding operations have completed when io_destroy returns", about: successReturn, probes: [OUTSTANDING_CANCELLED] },
      ],
    }),
    defineScenario<DestroyCall>({
      id: "completed-unreaped",
      condition: "the context holds the unreaped completion event of a read",
      setup: async ({ scope }) => {
        const s = await watched(scope);
        const buffer = scope.add(mapPages(1));
        submitOne(s.ctx, placeIocb(scope, { data: IOCB_DATA, opcode: IOCB_CMD.PREAD, fildes: readableFile(scope), buf: buffer.address, nbytes: 13n }));
        if (s.ctx.ringEvents().length !== 1) throw new SetupError(`the buffered read did not complete into the ring (${s.ctx.ringEvents().length} events)`);
        return { ...s, before: await settledFootprint() };
      },
      args: (s) => destroyArgs(s.ctx.id),
      checks: [
        { kind: "outcome", id: "destroyed", title: "a context with an unreaped event is destroyed", about: successReturn },
        { kind: "claims", id: "ring-unmapped", title: "the ring, with its event, is unmapped", about: { section: "sideEffects", summary: "process virtual memory" }, probes: [RING_UNMAPPED] },
        { kind: "claims", id: "aio-nr-falls", title: "fs.aio-nr falls by the context's nr_events", about: { section: "sideEffects", summary: "aio_nr" }, probes: [AIO_NR_FALLS] },
      ],
    }),
    defineScenario<DestroyCall>({
      id: "as-nobody",
      condition: "an unprivileged user (nobody) destroys a context of its own process",
      as: "nobody",
      setup: ({ scope }) => watched(scope),
      args: (s) => destroyArgs(s.ctx.id),
      checks: [
        { kind: "outcome", id: "destroyed", title: "io_destroy needs no privilege", about: successReturn },
        { kind: "claims", id: "removed-from-table", title: "a lookup no longer finds the context", about: { section: "sideEffects", summary: "ioctx_table" }, probes: [CONTEXT_GONE] },
      ],
    }),

    rejected("ctx-zero", "ctx is 0", /\bis 0\b/, () => 0n, [
      { kind: "outcome", id: "param-constraint", title: "ctx 0 breaks the ctx constraint", about: { section: "params", summary: /^ctx$/ }, expectFrom: invalidContext(/\bis 0\b/), value: "0" },
    ]),
    rejected("ctx-never-created", "ctx is an address at which no context was ever created", "never returned by io_setup", () => neverCreatedId()),
    rejected("ctx-arbitrary", "ctx is an arbitrary value (all ones)", "arbitrary invalid value", () => 0xffffffffffffffffn),
    rejected("ctx-other-process", "ctx is a live context of another process", /different process|another process/i, (scope) => foreignContext(scope), [
      { kind: "claims", id: "not-destroyed", title: "a context cannot be destroyed from another process", about: { section: "constraints", summary: "belong to calling process" }, probes: [NOT_DESTROYED] },
    ]),
    rejected("ctx-destroyed", "ctx is a context of this process that was already destroyed", "already destroyed", (scope) => {
      const gone = destroyableContext(scope, 1);
      const result = gone.destroy();
      if (result.ret !== 0n) throw new SetupError(`io_destroy in setup failed: ${result.errno}`);
      return gone.id;
    }),
    rejected("ctx-ring-id-mismatch", "the ring header's id field of a live context was overwritten", /id field no longer matches|corrupted/, (scope) => {
      const victim = destroyableContext(scope, 1);
      victim.writeRingHeaderField("id", victim.ringHeader().id + 1000);
      // The scope's release restores the id before destroying it.
      return victim.id;
    }),
    rejected("ctx-ring-unmapped", "the ring of a live context was unmapped, so its header cannot be read", /corrupted/, (scope) => {
      const victim = destroyableContext(scope, 1);
      const unmapped = victim.unmapRing();
      if (unmapped.errno) throw new SetupError(`replacing the ring failed: ${unmapped.errno}`);
      return victim.id;
    }, [
      { kind: "outcome", id: "notes-claim", title: "the notes: an unreadable ring header gives EINVAL, not EFAULT", about: { section: "claims", text: /invalid ring buffer pointer/i } },
    ]),
    rejected("ctx-inside-ring", "ctx is an address inside a live context's ring, past its header", "arbitrary invalid value", (scope) => destroyableContext(scope, 1).id + BigInt(IOCB_SIZE)),

    defineScenario<DestroyRace>({
      id: "destroy-race",
      condition: "two threads of the process call io_destroy on the same context at the same moment, round after round",
      setup: ({ scope, iterations }) => destroyRaceSetup(scope, iterations),
      checks: [
        {
          kind: "race",
          id: "one-succeeds",
          title: "of two simultaneous io_destroy calls on one context, one succeeds and the other fails as the long-desc says",
          about: { section: "claims", text: "two threads call io_destroy same context simultaneously" },
          outcomes: { [DESTROY_RACE_OUTCOME.first]: successReturn, [DESTROY_RACE_OUTCOME.later]: { section: "claims", text: "two threads call io_destroy same context simultaneously" } },
          claim: "in every round exactly one of the two calls returns the success value; the other returns the errno the long-desc names",
          observe: (s, classify) => runDestroyRace(s, classify),
        },
      ],
    }),

    aioNotConfigured(destroyArgs(0n)),
  ],

  environmentOnly: [
    { id: "kioctx-freed", title: "the kioctx, per-CPU data, ring pages and ring file are freed after RCU", about: { section: "sideEffects", summary: "kioctx structure and associated resources" }, reason: () => ({ reason: KMEM_TRACING, detail: "freed from an RCU work item after the call returns; the unmapped ring and fs.aio-nr are checked by their own items" }) },
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
