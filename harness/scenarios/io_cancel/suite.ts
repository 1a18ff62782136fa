// SPDX-License-Identifier: GPL-2.0-only
// The io_cancel scenario table. Each entry creates one condition and names,
// by its words, the spec item that documents the outcome; no entry states an
// errno or return value: those are read from the spec when the case runs.
import { IO_EVENT_SIZE, IOCB_CMD, IOCB_SIZE } from "../../kernel/aio-abi.js";
import { AioContext } from "../../kernel/aio.js";
import { mapPages, type Mapping } from "../../kernel/memory.js";
import type { Environment } from "../../run/environment.js";
import { SetupError } from "../errors.js";
import { kernelConfig } from "../requirements.js";
import { copyIocb, IOCB_DATA, liveContext, makeReadable, pendingPoll, placeIocb, reap, submitOne, type PendingPoll, type PlacedIocb } from "../resources/aio.js";
import { readableFile } from "../resources/files.js";
import { defineScenario, userMemory, type Args, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";
import { foreignContext } from "./foreign-context.js";
import { ioCancelLibraryClaims } from "./library-claims.js";
import {
  CANCELLED_FLAG_SET,
  CANCELLED_FLAG_STATES,
  EVENT_DELIVERED,
  KIOCB_STATES,
  NOT_CANCELLABLE,
  REMOVED_FROM_LIST,
  type Request,
} from "./observe.js";
import { RACE_OUTCOME, raceSetup, runRace, type RaceState } from "./race.js";

/** io_cancel's arguments by the spec's parameter names. */
const cancelArgs = (ctx: bigint, iocb: Args[string], result: Args[string] = 0n): Args => ({ ctx_id: ctx, iocb, result });

// Spec items, found by what they say.
const cannotReadIocb: Target = { section: "errors", summary: "cannot read iocb" };
const notSubmitted: Target = { section: "errors", summary: "iocb not submitted" };
const invalidContext = (condition: string | RegExp): Target => ({ section: "errors", summary: "invalid AIO context", condition });
const notFound = (condition?: string | RegExp): Target => ({ section: "errors", summary: /not found|not cancellable/i, ...(condition ? { condition } : {}) });
const notImplemented: Target = { section: "errors", summary: "AIO not implemented" };
const callbackFailed: Target = { section: "errors", summary: "callback failed" };
const successReturn: Target = { section: "return" };
const timingWindow: Target = { section: "constraints", summary: "timing window" };
/** The two ends the timing-window constraint allows a raced cancel: the success value, or the errno the constraint names. */
const RACE_OUTCOMES = { [RACE_OUTCOME.cancelled]: successReturn, [RACE_OUTCOME.completedFirst]: timingWindow };

/** A context plus a well-formed iocb (aio_key 0) that was never submitted. */
interface Unsubmitted {
  ctx: AioContext;
  iocb: PlacedIocb;
}

const unsubmitted = (scope: Parameters<typeof liveContext>[0]): Unsubmitted => ({
  ctx: liveContext(scope),
  iocb: placeIocb(scope, { data: IOCB_DATA, opcode: IOCB_CMD.NOOP }),
});

/** A pending poll, with a never-submitted iocb in the same context to compare cancels with. */
function request(scope: Parameters<typeof liveContext>[0]): Request {
  const poll = pendingPoll(scope);
  return { ...poll, reference: placeIocb(scope, { opcode: IOCB_CMD.NOOP }) };
}

/** A context id that names no context of this process: an address nothing is mapped at (until the next mmap). */
function neverCreatedId(): bigint {
  const page = mapPages(1);
  page.release();
  return page.address;
}

interface PollCancelled extends Request {
  result: Mapping;
}

const RESULT_SENTINEL = 0xa5;

/** Why the USB gadget's cancel path is a skip: only a gadget driver registers that callback. */
function usbGadgetNeeded(env: Environment): { reason: string; detail: string } {
  const gadget = env.config.get("CONFIG_USB_GADGET");
  return {
    reason: "needs a USB gadget function (FunctionFS or gadgetfs) bound to a UDC, with I/O queued on an endpoint; kapi-conform does not create gadgets",
    detail: gadget === "n" ? "CONFIG_USB_GADGET is not set on this kernel" : `CONFIG_USB_GADGET=${gadget} on this kernel`,
  };
}

export const ioCancelSuite: SyscallSuite = {
  syscalls: ["io_cancel"],
  libraryClaims: ioCancelLibraryClaims,

  // The success path, and everything the spec says follows from it.
  baseline: defineScenario<PollCancelled>({
    id: "poll-cancel",
    condition: "a pending IOCB_CMD_POLL on an empty pipe is cancelled",
    setup: ({ scope }) => {
      const result = scope.add(mapPages(1));
      result.write(0, Buffer.alloc(IO_EVENT_SIZE * 2, RESULT_SENTINEL));
      return { ...request(scope), result };
    },
    args: (s) => cancelArgs(s.ctx.id, userMemory(s.iocb.mapping, IOCB_SIZE), userMemory(s.result, IO_EVENT_SIZE * 2)),
    checks: [
      {
        kind: "transition",
        id: "removed-at-once",
        title: "the request leaves the active list at cancel time",
        about: { section: "stateTransitions", summary: "kiocb" },
        model: KIOCB_STATES,
      },
      {
        kind: "claims",
        id: "event-in-ring",
        title: "the scheduled work delivers a completion event to the ring",
        about: { section: "sideEffects", summary: /work ?queue/i },
        probes: [EVENT_DELIVERED],
      },
      {
        kind: "transition",
        id: "cancelled-flag",
        title: "the poll completes as cancelled, not as ready",
        about: { section: "stateTransitions", summary: "cancelled flag" },
        model: CANCELLED_FLAG_STATES,
      },
      {
        kind: "claims",
        id: "one-event",
        title: "the pending operation completes once, as cancelled, through the ring",
        about: { section: "sideEffects", summary: "pending I/O operation" },
        probes: [EVENT_DELIVERED, CANCELLED_FLAG_SET],
      },
      {
        kind: "claims",
        id: "gone-after-completion",
        title: "once cancelled, the request cannot be found again",
        about: { section: "sideEffects", summary: "active_reqs" },
        probes: [REMOVED_FROM_LIST],
      },
      { kind: "outcome", id: "notes-unusual-return", title: "the notes: -EINPROGRESS is successful cancellation initiation, not an error", about: { section: "claims", text: "return value semantics unusual EINPROGRESS indicates successful cancellation initiation" } },
      { kind: "outcome", id: "notes-poll-async-return", title: "the notes: for a poll, -EINPROGRESS reflects the asynchronous completion", about: { section: "claims", text: "EINPROGRESS return value reflects asynchronous completion model" } },
    ],
  }),

  scenarios: [
    defineScenario<Unsubmitted>({
      id: "aio-key-nonzero",
      condition: "the iocb's aio_key is not KIOCB_KEY (0): it was never submitted",
      setup: ({ scope }) => ({ ctx: liveContext(scope), iocb: placeIocb(scope, { key: 7, opcode: IOCB_CMD.NOOP }) }),
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [
        { kind: "outcome", id: "rejected", title: "iocb with aio_key != 0 is rejected", about: notSubmitted },
        { kind: "outcome", id: "notes-claim", title: "the notes' claim about cancelling before submitting", about: { section: "claims", text: "cancel iocb before submitting" } },
      ],
    }),

    // Invalid context, one scenario per condition user space can create.
    defineScenario<{ id: bigint; iocb: PlacedIocb }>({
      id: "ctx-never-created",
      condition: "ctx_id is an address at which no context was ever created",
      setup: ({ scope }) => {
        const iocb = placeIocb(scope, { opcode: IOCB_CMD.NOOP });
        // Last: a later mapping of the setup could land on the freed page.
        return { id: neverCreatedId(), iocb };
      },
      args: (s) => cancelArgs(s.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "context never created", about: invalidContext("never created") }],
    }),
    defineScenario<Unsubmitted>({
      id: "ctx-destroyed",
      condition: "the context was destroyed with io_destroy",
      setup: ({ scope }) => {
        const s = unsubmitted(scope);
        const destroyed = s.ctx.destroy();
        if (destroyed.errno) throw new SetupError(`io_destroy failed: ${destroyed.errno}`);
        return s;
      },
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "context destroyed", about: invalidContext("destroyed") }],
    }),
    defineScenario<{ iocb: PlacedIocb }>({
      id: "ctx-zero",
      condition: "ctx_id is 0",
      setup: ({ scope }) => ({ iocb: placeIocb(scope, { opcode: IOCB_CMD.NOOP }) }),
      args: (s) => cancelArgs(0n, s.iocb.address),
      checks: [
        { kind: "outcome", id: "rejected", title: "ctx_id 0", about: invalidContext(/\bis 0\b|\bzero\b/i) },
        {
          kind: "outcome",
          id: "param-constraint",
          title: "ctx_id 0 breaks the ctx_id constraint",
          about: { section: "params", summary: /^ctx_id$/ },
          expectFrom: invalidContext(/\bis 0\b|\bzero\b/i),
          value: "0",
        },
      ],
    }),
    defineScenario<Unsubmitted>({
      id: "ctx-ring-unmapped",
      condition: "the ring buffer header cannot be read: the ring was unmapped",
      setup: ({ scope }) => {
        const s = unsubmitted(scope);
        const unmapped = s.ctx.unmapRing();
        if (unmapped.errno) throw new SetupError(`replacing the ring failed: ${unmapped.errno}`);
        // The context's release() puts a readable header back before io_destroy.
        return s;
      },
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "ring header unreadable", about: invalidContext("header cannot be read") }],
    }),
    defineScenario<{ id: bigint; iocb: PlacedIocb }>({
      id: "ctx-other-process",
      condition: "ctx_id is a live context of another process",
      setup: async ({ scope }) => ({ id: await foreignContext(scope), iocb: placeIocb(scope, { opcode: IOCB_CMD.NOOP }) }),
      args: (s) => cancelArgs(s.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "context of another process", about: invalidContext(/different process|another process/i) }],
    }),
    defineScenario<Unsubmitted>({
      id: "ctx-ring-id-mismatch",
      condition: "the ring header's id field was overwritten so it no longer matches the context",
      setup: ({ scope }) => {
        const s = unsubmitted(scope);
        s.ctx.writeRingHeaderField("id", s.ctx.ringHeader().id + 1000);
        // The context's release() restores the id before io_destroy.
        return s;
      },
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "ring id does not match", about: invalidContext(/internal id|id doesn't match|id does not match/i) }],
    }),

    // Not found, one scenario per way an iocb can be absent from active_reqs.
    defineScenario<Unsubmitted>({
      id: "never-submitted",
      condition: "a well-formed iocb (aio_key 0) that was never submitted",
      setup: ({ scope }) => unsubmitted(scope),
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "iocb never submitted", about: notFound("never submitted to this context") }],
    }),
    defineScenario<PendingPoll>({
      id: "poll-completed",
      condition: "a poll request that completed; its event is still in the ring",
      setup: ({ scope }) => {
        const poll = pendingPoll(scope);
        makeReadable(poll.pipe);
        return poll;
      },
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "completed request, event unreaped", about: notFound("already completed") }],
    }),
    defineScenario<PendingPoll>({
      id: "poll-completed-reaped",
      condition: "a poll request that completed and whose event was reaped",
      setup: ({ scope }) => {
        const poll = pendingPoll(scope);
        makeReadable(poll.pipe);
        const events = reap(poll.ctx, 1, 1, 2000);
        if (events.length !== 1) throw new SetupError(`expected the completed poll's event, reaped ${events.length}`);
        return poll;
      },
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "completed and reaped request", about: notFound("already completed") }],
    }),
    defineScenario<{ ctx: AioContext; iocb: PlacedIocb; reference: PlacedIocb }>({
      id: "pread-no-cancel-callback",
      // A buffered read of a regular file completes inside io_submit, so this is also
      // "already completed"; it is bound to the no-cancel-callback condition it was made for.
      condition: "an IOCB_CMD_PREAD of a regular file, submitted: it registers no cancel callback (and, buffered, has completed)",
      setup: ({ scope }) => {
        const ctx = liveContext(scope);
        const fd = readableFile(scope);
        const buffer = scope.add(mapPages(1));
        const iocb = placeIocb(scope, { data: IOCB_DATA, opcode: IOCB_CMD.PREAD, fildes: fd, buf: buffer.address, nbytes: 13n });
        submitOne(ctx, iocb);
        return { ctx, iocb, reference: placeIocb(scope, { opcode: IOCB_CMD.NOOP }) };
      },
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [
        { kind: "outcome", id: "rejected", title: "read without cancel callback", about: notFound("did not register cancellation callback") },
        { kind: "outcome", id: "notes-not-cancelled", title: "the notes: an iocb that was not cancelled gets EINVAL, not the man page's EAGAIN", about: { section: "claims", text: "man page documents EAGAIN iocb specified was not cancelled" } },
        {
          kind: "claims",
          id: "not-cancellable",
          title: "only operations with a cancel callback can be cancelled",
          about: { section: "constraints", summary: "support cancellation" },
          probes: [NOT_CANCELLABLE],
        },
      ],
    }),
    defineScenario<PendingPoll>({
      id: "poll-second-cancel",
      condition: "a poll request that was already cancelled once and has completed",
      setup: ({ scope }) => {
        const poll = pendingPoll(scope);
        poll.ctx.cancel(poll.iocb.address, 0n);
        // Judged by its effect, not by a return value the spec owns: the request completed.
        const events = reap(poll.ctx, 1, 1, 2000);
        if (events.length !== 1) throw new SetupError("the first cancel did not complete the pending poll (no completion event within 2 s)");
        return poll;
      },
      args: (s) => cancelArgs(s.ctx.id, s.iocb.address),
      checks: [{ kind: "outcome", id: "rejected", title: "second cancel of the same request", about: notFound() }],
    }),
    defineScenario<PendingPoll & { copy: PlacedIocb }>({
      id: "iocb-copied-elsewhere",
      condition: "the bytes of a pending iocb copied to another address, which is then cancelled",
      setup: ({ scope }) => {
        const poll = pendingPoll(scope);
        return { ...poll, copy: copyIocb(scope, poll.iocb) };
      },
      args: (s) => cancelArgs(s.ctx.id, s.copy.address),
      checks: [{ kind: "outcome", id: "rejected", title: "same iocb bytes at another address", about: notFound("does not match any pending operation") }],
    }),

    // Two documented conditions at once: which the kernel reports is an observation.
    defineScenario<null>({
      id: "check-order-ctx0-iocb-null",
      condition: "ctx_id is 0 and iocb is NULL",
      setup: () => null,
      args: () => cancelArgs(0n, 0n),
      checks: [
        {
          kind: "precedence",
          id: "reported",
          title: "invalid context and unreadable iocb at once",
          about: cannotReadIocb,
          candidates: [cannotReadIocb, invalidContext(/\bis 0\b|\bzero\b/i)],
        },
      ],
    }),

    defineScenario<RaceState>({
      id: "cancel-race",
      condition: "a pending poll is cancelled while another process makes its pipe readable at a random moment",
      setup: ({ scope, iterations }) => raceSetup(scope, iterations),
      checks: [
        {
          kind: "race",
          id: "one-outcome-each",
          title: "each raced cancel ends in a documented outcome, with exactly one completion event",
          about: timingWindow,
          outcomes: RACE_OUTCOMES,
          claim: "every iteration either cancels (success value) or finds the request already completed (the errno the timing-window constraint names), and each request completes exactly once",
          observe: (s, classify) => runRace(s, classify, Object.keys(RACE_OUTCOMES)),
        },
      ],
    }),

    defineScenario<null>({
      id: "aio-not-configured",
      condition: "the kernel was built without CONFIG_AIO",
      requires: [kernelConfig("CONFIG_AIO", ["n"], "only a kernel built without AIO support lacks the AIO syscalls")],
      setup: () => null,
      args: () => cancelArgs(0n, 0n),
      checks: [
        { kind: "outcome", id: "enosys", title: "io_cancel without AIO support", about: notImplemented },
        { kind: "outcome", id: "config-required", title: "CONFIG_AIO is required", about: { section: "constraints", summary: "CONFIG_AIO required" } },
      ],
    }),
  ],

  environmentOnly: [
    { id: "usb-gadget-cancel-error", title: "a driver's cancel callback fails", about: callbackFailed, reason: usbGadgetNeeded },
    { id: "usb-gadget-dequeue-econnreset", title: "a cancelled USB gadget request completes with -ECONNRESET (long-desc)", about: { section: "claims", text: "USB endpoint dequeue function called triggers completion callback ECONNRESET" }, reason: usbGadgetNeeded },
    { id: "usb-gadget-sync-econnreset", title: "usb_ep_dequeue completes the request synchronously with -ECONNRESET (notes)", about: { section: "claims", text: "usb_ep_dequeue called typically completes request synchronously ECONNRESET" }, reason: usbGadgetNeeded },
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
