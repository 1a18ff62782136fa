// SPDX-License-Identifier: GPL-2.0-only
// The io_cancel scenario table. Each entry creates one condition and names,
// by its words, the spec item that documents the outcome; no entry states an
// errno or return value: those are read from the spec when the case runs.
import { setTimeout as sleep } from "node:timers/promises";
import { IO_EVENT_SIZE, IOCB_CMD } from "../../kernel/aio-abi.js";
import { AioContext } from "../../kernel/aio.js";
import { mapPages, type Mapping } from "../../kernel/memory.js";
import { syscall, type SyscallResult } from "../../kernel/syscall.js";
import { kernelConfig } from "../requirements.js";
import { defineBaseline, defineScenario, type FactObservation, type SyscallSuite, type Target } from "../scenario.js";
import { foreignContext } from "./foreign-context.js";
import { ioCancelLibraryClaims } from "./library-claims.js";
import { RACE_OUTCOME, raceSetup, runRace, type RaceState } from "./race.js";
import {
  copyIocb,
  IOCB_DATA,
  liveContext,
  makeReadable,
  pendingPoll,
  placeIocb,
  reap,
  SetupError,
  readableFile,
  submitOne,
  type PendingPoll,
  type PlacedIocb,
} from "./fixtures.js";

const cancel = (ctx: bigint, iocb: bigint, result: bigint): SyscallResult => syscall("io_cancel", ctx, iocb, result);

// Spec items, found by what they say.
const cannotReadIocb: Target = { section: "errors", summary: /cannot read|unreadable/i };
const notSubmitted: Target = { section: "errors", summary: /not submitted/i };
const invalidContext = (condition: RegExp): Target => ({ section: "errors", summary: /invalid .*context/i, condition });
const notFound = (condition?: RegExp): Target => ({ section: "errors", summary: /not found|not cancellable/i, ...(condition ? { condition } : {}) });
const notImplemented: Target = { section: "errors", summary: /not implemented/i };
const callbackFailed: Target = { section: "errors", summary: /callback failed/i };
const successReturn: Target = { section: "return" };
/** The two ends the timing-window constraint allows a raced cancel. */
const RACE_OUTCOMES = { [RACE_OUTCOME.cancelled]: successReturn, [RACE_OUTCOME.completedFirst]: notFound() };

/** A context plus a well-formed iocb (aio_key 0) that was never submitted. */
interface Unsubmitted {
  ctx: AioContext;
  iocb: PlacedIocb;
}

const unsubmitted = (scope: Parameters<typeof liveContext>[0]): Unsubmitted => ({
  ctx: liveContext(scope),
  iocb: placeIocb(scope, { data: IOCB_DATA, opcode: IOCB_CMD.NOOP }),
});

/** A context id that names no context of this process: an address nothing is mapped at (until the next mmap). */
function neverCreatedId(): bigint {
  const page = mapPages(1);
  page.release();
  return page.address;
}

interface PollCancelled extends PendingPoll {
  result: Mapping;
}

const RESULT_SENTINEL = 0xa5;

async function waitForRingEvent(ctx: AioContext, timeoutMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const header = ctx.ringHeader();
    if (header.tail !== header.head) return Date.now() - start;
    if (Date.now() - start > timeoutMs) return -1;
    await sleep(2);
  }
}

function sentinelIntact(result: Mapping): FactObservation {
  const bytes = result.read(0, IO_EVENT_SIZE * 2);
  const changed = [...bytes].findIndex((b) => b !== RESULT_SENTINEL);
  return {
    holds: changed < 0,
    facts: { bytesChecked: bytes.length, firstChangedByte: changed },
    detail: changed < 0 ? `all ${bytes.length} sentinel bytes at result are unchanged` : `byte ${changed} at result was overwritten`,
  };
}

export const ioCancelSuite: SyscallSuite = {
  syscall: "io_cancel",
  libraryClaims: ioCancelLibraryClaims,

  baseline: defineBaseline<PendingPoll & { result: Mapping }>({
    condition: "cancel a pending IOCB_CMD_POLL on an empty pipe",
    setup: ({ scope }) => {
      const poll = pendingPoll(scope);
      const result = mapPages(1);
      scope.add(result);
      return { ...poll, result };
    },
    args: (s) => [s.ctx.id, s.iocb.address, s.result.address],
    invoke: ([ctx, iocb, result]) => cancel(ctx!, iocb!, result!),
  }),

  scenarios: [
    defineScenario<Unsubmitted>({
      id: "aio-key-nonzero",
      condition: "the iocb's aio_key is not KIOCB_KEY (0): it was never submitted",
      setup: ({ scope }) => ({ ctx: liveContext(scope), iocb: placeIocb(scope, { key: 7, opcode: IOCB_CMD.NOOP }) }),
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "iocb with aio_key != 0 is rejected", about: notSubmitted }],
    }),

    // Invalid context, one scenario per enumerated condition user space can create.
    defineScenario<{ id: bigint; iocb: PlacedIocb }>({
      id: "ctx-never-created",
      condition: "ctx_id is an address at which no context was ever created",
      setup: ({ scope }) => {
        const iocb = placeIocb(scope, { opcode: IOCB_CMD.NOOP });
        // Last: a later mapping of the setup could land on the freed page.
        return { id: neverCreatedId(), iocb };
      },
      call: (s) => cancel(s.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "context never created", about: invalidContext(/never created/i) }],
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
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "context destroyed", about: invalidContext(/destroyed/i) }],
    }),
    defineScenario<{ iocb: PlacedIocb }>({
      id: "ctx-zero",
      condition: "ctx_id is 0",
      setup: ({ scope }) => ({ iocb: placeIocb(scope, { opcode: IOCB_CMD.NOOP }) }),
      call: (s) => cancel(0n, s.iocb.address, 0n),
      checks: [
        { kind: "outcome", id: "rejected", title: "ctx_id 0", about: invalidContext(/\bis 0\b|\bzero\b/i) },
        {
          kind: "outcome",
          id: "param-constraint",
          title: "ctx_id 0 breaks the ctx_id constraint",
          about: { section: "params", summary: /^ctx_id$/ },
          expectFrom: invalidContext(/\bis 0\b|\bzero\b/i),
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
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "ring header unreadable", about: invalidContext(/header cannot be read|cannot be read/i) }],
    }),
    defineScenario<{ id: bigint; iocb: PlacedIocb }>({
      id: "ctx-other-process",
      condition: "ctx_id is a live context of another process",
      setup: async ({ scope }) => ({ id: await foreignContext(scope), iocb: placeIocb(scope, { opcode: IOCB_CMD.NOOP }) }),
      call: (s) => cancel(s.id, s.iocb.address, 0n),
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
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "ring id does not match", about: invalidContext(/internal id|id doesn't match|id does not match/i) }],
    }),

    // Not found, one scenario per way an iocb can be absent from active_reqs.
    defineScenario<Unsubmitted>({
      id: "never-submitted",
      condition: "a well-formed iocb (aio_key 0) that was never submitted",
      setup: ({ scope }) => unsubmitted(scope),
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "iocb never submitted", about: notFound(/never submitted/i) }],
    }),
    defineScenario<PendingPoll>({
      id: "poll-completed",
      condition: "a poll request that completed; its event is still in the ring",
      setup: ({ scope }) => {
        const poll = pendingPoll(scope);
        makeReadable(poll.pipe);
        return poll;
      },
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "completed request, event unreaped", about: notFound(/already completed/i) }],
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
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "completed and reaped request", about: notFound(/already completed/i) }],
    }),
    defineScenario<{ ctx: AioContext; iocb: PlacedIocb }>({
      id: "pread-no-cancel-callback",
      // A buffered read of a regular file completes inside io_submit, so this is also
      // "already completed"; it is bound to the no-cancel-callback condition it was made for.
      condition: "an IOCB_CMD_PREAD of a regular file, submitted: it registers no cancel callback (and, buffered, has completed)",
      setup: ({ scope }) => {
        const ctx = liveContext(scope);
        const fd = readableFile(scope);
        const buffer = mapPages(1);
        scope.add(buffer);
        const iocb = placeIocb(scope, { data: IOCB_DATA, opcode: IOCB_CMD.PREAD, fildes: fd, buf: buffer.address, nbytes: 13n });
        submitOne(ctx, iocb);
        return { ctx, iocb };
      },
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [
        { kind: "outcome", id: "rejected", title: "read without cancel callback", about: notFound(/did not register|no cancel/i) },
        {
          kind: "outcome",
          id: "not-cancellable",
          title: "only operations with a cancel callback can be cancelled",
          about: { section: "constraints", summary: /support cancellation/i },
          expectFrom: notFound(/did not register|no cancel/i),
        },
      ],
    }),
    defineScenario<PendingPoll>({
      id: "poll-second-cancel",
      condition: "a poll request that was already cancelled once and has completed",
      setup: ({ scope }) => {
        const poll = pendingPoll(scope);
        cancel(poll.ctx.id, poll.iocb.address, 0n);
        // Judged by its effect, not by a return value the spec owns: the request completed.
        const events = reap(poll.ctx, 1, 1, 2000);
        if (events.length !== 1) throw new SetupError("the first cancel did not complete the pending poll (no completion event within 2 s)");
        return poll;
      },
      call: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "second cancel of the same request", about: notFound() }],
    }),
    defineScenario<PendingPoll & { copy: PlacedIocb }>({
      id: "iocb-copied-elsewhere",
      condition: "the bytes of a pending iocb copied to another address, which is then cancelled",
      setup: ({ scope }) => {
        const poll = pendingPoll(scope);
        return { ...poll, copy: copyIocb(scope, poll.iocb) };
      },
      call: (s) => cancel(s.ctx.id, s.copy.address, 0n),
      checks: [{ kind: "outcome", id: "rejected", title: "same iocb bytes at another address", about: notFound(/pointer value|does not match any pending/i) }],
    }),

    // Two documented conditions at once: which the kernel reports is an observation.
    defineScenario<null>({
      id: "check-order-ctx0-iocb-null",
      condition: "ctx_id is 0 and iocb is NULL",
      setup: () => null,
      call: () => cancel(0n, 0n, 0n),
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

    // The success path and everything the spec says follows from it.
    defineScenario<PollCancelled>({
      id: "poll-cancel",
      condition: "a pending IOCB_CMD_POLL on an empty pipe is cancelled",
      setup: ({ scope }) => {
        const poll = pendingPoll(scope);
        const result = mapPages(1);
        scope.add(result);
        result.write(0, Buffer.alloc(IO_EVENT_SIZE * 2, RESULT_SENTINEL));
        return { ...poll, result };
      },
      call: (s) => cancel(s.ctx.id, s.iocb.address, s.result.address),
      checks: [
        { kind: "outcome", id: "returns-success", title: "cancelling a pending poll returns the documented success value", about: successReturn },
        {
          kind: "followup",
          id: "removed-at-once",
          title: "the request leaves the active list at cancel time",
          about: { section: "stateTransitions", summary: /kiocb/i },
          expectFrom: notFound(),
          call: "io_cancel of the same iocb right after the successful cancel",
          observe: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
        },
        {
          kind: "fact",
          id: "event-in-ring",
          title: "the scheduled work delivers a completion event to the ring",
          about: { section: "sideEffects", summary: /work ?queue/i },
          claim: "a completion event appears in the ring (tail advances) without io_getevents",
          observe: async (s) => {
            const waited = await waitForRingEvent(s.ctx, 1000);
            const header = s.ctx.ringHeader();
            return {
              holds: waited >= 0,
              facts: { waitedMs: waited, head: header.head, tail: header.tail },
              detail: waited >= 0 ? `ring tail advanced to ${header.tail} after ${waited} ms` : "no event reached the ring within 1000 ms",
            };
          },
        },
        {
          kind: "fact",
          id: "cancelled-flag",
          title: "the poll completes as cancelled, not as ready",
          about: { section: "stateTransitions", summary: /cancelled flag/i },
          claim: "the event reports no poll readiness (res 0) while the pipe is still empty",
          observe: (s): FactObservation => {
            const [event] = s.ctx.ringEvents();
            if (!event) return { holds: false, facts: { events: 0 }, detail: "no event in the ring to inspect" };
            return {
              holds: event.res === 0n,
              facts: { res: event.res.toString(), res2: event.res2.toString() },
              detail: `event res ${event.res} (POLLIN would be 1)`,
            };
          },
        },
        {
          kind: "fact",
          id: "one-event",
          title: "exactly one completion event, carrying the iocb's data and address",
          about: { section: "sideEffects", summary: /pending i\/o/i },
          claim: "io_getevents returns exactly one event with data = aio_data and obj = the iocb address",
          observe: async (s) => {
            const events = reap(s.ctx, 1, 8, 1000);
            await sleep(20);
            const late = reap(s.ctx, 0, 8, 0);
            const [event] = events;
            const holds = events.length === 1 && late.length === 0 && event?.data === IOCB_DATA && event.obj === s.iocb.address;
            return {
              holds,
              facts: {
                events: events.length,
                lateEvents: late.length,
                data: event ? `0x${event.data.toString(16)}` : "none",
                obj: event ? `0x${event.obj.toString(16)}` : "none",
              },
              detail: `${events.length} event(s), then ${late.length} more; data ${event ? `0x${event.data.toString(16)}` : "-"} obj ${event ? `0x${event.obj.toString(16)}` : "-"} (iocb at 0x${s.iocb.address.toString(16)})`,
            };
          },
        },
        {
          kind: "followup",
          id: "gone-after-completion",
          title: "after completion the request cannot be found again",
          about: { section: "sideEffects", summary: /active_reqs/i },
          expectFrom: notFound(),
          call: "io_cancel of the same iocb after its event was reaped",
          observe: (s) => cancel(s.ctx.id, s.iocb.address, 0n),
        },
        {
          kind: "fact",
          id: "result-untouched",
          title: "result is neither read nor written",
          about: { section: "params", summary: /^result$/ },
          claim: "a sentinel-filled buffer passed as result is unchanged",
          observe: (s) => sentinelIntact(s.result),
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
          about: { section: "constraints", summary: /timing window/i },
          outcomes: RACE_OUTCOMES,
          claim: "every iteration either cancels (success value) or finds the request already completed (not found), and each request completes exactly once",
          observe: (s, classify) => runRace(s, classify, Object.keys(RACE_OUTCOMES)),
        },
      ],
    }),

    defineScenario<null>({
      id: "aio-not-configured",
      condition: "the kernel was built without CONFIG_AIO",
      requires: [kernelConfig("CONFIG_AIO", ["n"], "only a kernel built without AIO support lacks the AIO syscalls")],
      setup: () => null,
      call: () => cancel(0n, 0n, 0n),
      checks: [
        { kind: "outcome", id: "enosys", title: "io_cancel without AIO support", about: notImplemented },
        {
          kind: "outcome",
          id: "config-required",
          title: "CONFIG_AIO is required",
          about: { section: "constraints", summary: /CONFIG_AIO/ },
          expectFrom: notImplemented,
        },
      ],
    }),
  ],

  environmentOnly: [
    {
      id: "usb-gadget-cancel-error",
      title: "a driver's cancel callback fails",
      about: callbackFailed,
      reason: (env) => {
        const gadget = env.config.get("CONFIG_USB_GADGET");
        const state = gadget === "n" ? "CONFIG_USB_GADGET is not set" : `CONFIG_USB_GADGET=${gadget}`;
        return `needs a USB gadget function (FunctionFS or gadgetfs) bound to a UDC, with I/O queued on an endpoint; ${state} on this kernel and kapi-conform does not create gadgets`;
      },
    },
  ],

  unobservableSections: {
    locks: "locks are taken and released inside the call; user space cannot observe them (lockdep can)",
    contexts: "execution contexts describe the kernel side of the call; user space cannot observe them",
  },
};
