// SPDX-License-Identifier: GPL-2.0-only
// The io_submit scenario table. Each entry creates one condition and names,
// by its words, the spec item that documents the outcome; errnos, return
// values and effects are read from the spec when the case runs. Every iocb
// starts with aio_key = 7 so that what the kernel took is visible in memory
// (see observe.ts); after each failing call nothing may have been taken.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { AioContext } from "../../kernel/aio.js";
import { IOCB_CMD, type Iocb } from "../../kernel/aio-abi.js";
import { guardPage, mapPages } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { syscall } from "../../kernel/syscall.js";
import { SetupError } from "../errors.js";
import { cancelFinds } from "../io_cancel/observe.js";
import { foreignContext } from "../io_cancel/foreign-context.js";
import { aioNotConfigured, closablePipe, fillWithPolls, IOCB_DATA, liveContext, neverCreatedId, NO_FAULT_INJECTION, placeIocb, placeIocbs, pointerArray, POLLPRI, requestHoldsFile } from "../resources/aio.js";
import { directoryFd, interruptingSignal } from "../resources/fds.js";
import { countFreeSlots, pinToCurrentCpu } from "./slots.js";
import { openFile, readableFile, tempDirectory, tempFile } from "../resources/files.js";
import { defineScenario, type Args, type Check, type ClaimProbe, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";
import { BAD_FD_REFUSED, COMPLETIONS_IN_RING, IOCB_STATES, NO_FSYNC_REFUSED, NO_READ_ITER_REFUSED, KEY_PRESET, KEY_WRITTEN, NR_CAPPED, RETURNS_COUNT_SUBMITTED, RETURNS_ZERO_FOR_NR_ZERO, INTERRUPTED_READ_COMPLETES_EINTR, SLOT_STATES, SLOTS_TAKEN_AND_RECLAIMED, type PollOnPipe, type SlotAccounting, type SubmitCall } from "./observe.js";

const NR_EVENTS = 8;
const CONTENT = "kapi-conform\n";
const POLLIN = 1n;
const IOCB_FLAG_RESFD = 1;
const IOCB_FLAG_IOPRIO = 2;
/** ioprio class in bits 13..15 of aio_reqprio (IOPRIO_CLASS_SHIFT). */
const ioprio = (cls: number, level = 0): number => ((cls << 13) | level) << 16 >> 16;
const IOPRIO_CLASS = { RT: 1, BE: 2, INVALID: 4 } as const;

const submitArgs = (s: SubmitCall): Args => ({ ctx_id: s.ctx.id, nr: s.nr, iocbpp: s.array });

/** A read of a small regular file into a fresh page: a valid operation. */
function readOp(scope: ResourceScope, fd = readableFile(scope, CONTENT)): Partial<Iocb> {
  return { opcode: IOCB_CMD.PREAD, fildes: fd, buf: scope.add(mapPages(1)).address, nbytes: BigInt(CONTENT.length) };
}

/** The iocbs (aio_key preset, distinct aio_data) in one array; `nr` defaults to their count. */
function submission(scope: ResourceScope, ctx: AioContext, ops: Partial<Iocb>[], nr = ops.length): SubmitCall {
  const iocbs = placeIocbs(scope, ops.map((op, i) => ({ data: IOCB_DATA + BigInt(i), key: KEY_PRESET, ...op })));
  return { ctx, iocbs, array: pointerArray(scope, iocbs.map((i) => i.address)), nr };
}

/** One operation, changed by `change`, on a fresh context. */
function single(scope: ResourceScope, change: (op: Partial<Iocb>, scope: ResourceScope) => Partial<Iocb> = (op) => op): SubmitCall {
  const ctx = liveContext(scope, NR_EVENTS);
  return submission(scope, ctx, [change(readOp(scope), scope)]);
}

// Spec items, found by what they say.
const invalid = (condition: string | RegExp): Target => ({ section: "errors", summary: /invalid context or parameter/i, condition });
const fault = (condition: string | RegExp): Target => ({ section: "errors", summary: "invalid memory access", condition });
const badFd = (condition: string | RegExp): Target => ({ section: "errors", summary: "bad file descriptor", condition });
const successReturn: Target = { section: "return" };
const fdConstraint: Check<SubmitCall> = { kind: "claims", id: "fd-constraint", title: "the constraint that each iocb names an open descriptor of the right access", about: { section: "constraints", summary: "valid file descriptor per iocb" }, probes: [BAD_FD_REFUSED] };
const operationConstraint = (probe: ClaimProbe<SubmitCall>): Check<SubmitCall> => ({ kind: "claims", id: "operation-constraint", title: "the constraint that the file implements the operation", about: { section: "constraints", summary: "file must support operation" }, probes: [probe] });

/** Failure atomicity: a failed call took nothing (no aio_key written, no completion). */
const nothingTaken: Check<SubmitCall>[] = [
  { kind: "claims", id: "no-key-written", title: "a failed io_submit writes no aio_key", about: { section: "sideEffects", summary: "aio_key" }, probes: [KEY_WRITTEN] },
  { kind: "claims", id: "no-completion", title: "a failed io_submit queues nothing that completes", about: { section: "sideEffects", summary: "aio_kiocb structures" }, probes: [COMPLETIONS_IN_RING] },
];

/** A scenario with one changed operation, whose call must fail as the error item `about` documents. */
function rejected(id: string, condition: string, about: Target, change: (op: Partial<Iocb>, scope: ResourceScope) => Partial<Iocb>, extra: Check<SubmitCall>[] = [], as?: "nobody") {
  return defineScenario<SubmitCall>({
    id,
    condition,
    ...(as ? { as } : {}),
    setup: ({ scope }) => single(scope, change),
    args: submitArgs,
    checks: [{ kind: "outcome", id: "rejected", title: condition, about }, ...extra, ...nothingTaken],
  });
}

/** Wait before the backstop writer unblocks a read no signal interrupted (the signals come every 50 ms). */
const BACKSTOP_MS = 2000;

/** A writer that puts one byte into the pipe after BACKSTOP_MS: a read no signal interrupts completes (and the case fails) instead of hanging. */
function writeLater(scope: ResourceScope, writeFd: number): void {
  // The sleep holds no end of the pipe (3>&-): when the shell is killed on release, a sleep left over keeps
  // nothing of the scenario's open, and it stays in the worker's process group, which is ended with the worker.
  const child = spawn("/bin/sh", ["-c", `sleep ${BACKSTOP_MS / 1000} 3>&-; printf x >&3`], { stdio: ["ignore", "ignore", "ignore", writeFd] });
  scope.defer(() => void child.kill("SIGKILL"));
}

/**
 * A scenario whose one changed operation must be submitted: the return's
 * success applies, unless the spec has an error item matching `errorIfAny`
 * (an edited spec that documents one makes the case expect it).
 */
function accepted(id: string, condition: string, change: (op: Partial<Iocb>, scope: ResourceScope) => Partial<Iocb>, errorIfAny?: Target, as?: "nobody") {
  return defineScenario<SubmitCall>({
    id,
    condition,
    ...(as ? { as } : {}),
    setup: ({ scope }) => single(scope, change),
    args: submitArgs,
    checks: [
      { kind: "outcome", id: "accepted", title: condition, about: successReturn, ...(errorIfAny ? { expectFrom: errorIfAny, otherwise: successReturn } : {}) },
      { kind: "claims", id: "completes", title: "the operation is submitted and completes into the ring", about: successReturn, probes: [RETURNS_COUNT_SUBMITTED] },
    ],
  });
}

/** A scenario whose return must be the count of the iocbs it took, from the start of the array (all, some or none). */
function counted(id: string, condition: string, ops: (scope: ResourceScope) => Partial<Iocb>[], nr?: number) {
  return defineScenario<SubmitCall>({
    id,
    condition,
    setup: ({ scope }) => submission(scope, liveContext(scope, NR_EVENTS), ops(scope), nr),
    args: submitArgs,
    checks: [
      { kind: "outcome", id: "count", title: `${condition}: a count is returned`, about: successReturn },
      { kind: "claims", id: "returns-count", title: `${condition}: the return counts the iocbs submitted, each completing with its aio_data`, about: successReturn, probes: [RETURNS_COUNT_SUBMITTED] },
    ],
  });
}

/** A scenario whose context id is not a context of this process. */
function badContext(id: string, condition: string, make: (scope: ResourceScope) => bigint | Promise<bigint>, extra: Check<SubmitCall>[] = []) {
  return defineScenario<SubmitCall & { id: bigint }>({
    id,
    condition,
    setup: async ({ scope }) => {
      const s = single(scope);
      // Last: an id made from a freed page must not be reused by the setup.
      return { ...s, id: await make(scope) };
    },
    args: (s) => ({ ...submitArgs(s), ctx_id: s.id }),
    checks: [{ kind: "outcome", id: "rejected", title: condition, about: invalid(/ctx_id is invalid/) }, ...extra, ...nothingTaken],
  });
}

/** The poll is in the context's active list: a cancel finds it (and cancels it). */
const IN_ACTIVE_LIST: ClaimProbe<PollOnPipe> = {
  claim: "a submitted poll is in the context's active list: io_cancel finds it",
  says: ["cancellable operations added active_reqs list", "enabling cancellation via io_cancel"],
  opposite: ["not added active_reqs list"],
  observe: (s) => cancelFinds({ ctx: s.ctx, iocb: s.iocbs[0]!, reference: s.reference }),
};

/** The poll holds a reference to its file: with our fd closed, the pipe still has a reader. */
const HOLDS_FILE: ClaimProbe<PollOnPipe> = {
  claim: "a submitted poll holds a reference to its file until it completes",
  says: ["increments reference count file", "reference released when operation completes"],
  opposite: ["no file reference"],
  observe: (s) => requestHoldsFile(s.pipe),
};

/** A pending poll on a pipe whose read end a probe may close, plus a never-submitted iocb for comparison. */
function pollOnPipe(scope: ResourceScope, events = POLLIN): PollOnPipe {
  const ctx = liveContext(scope, NR_EVENTS);
  const pipe = closablePipe(scope);
  const s = submission(scope, ctx, [{ opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: events }]);
  return { ...s, pipe, reference: placeIocb(scope, { opcode: IOCB_CMD.NOOP }) };
}

/** The written file's content, read after the write completed. */
const FILE_WRITTEN: ClaimProbe<SubmitCall & { path: string; bytes: string }> = {
  claim: "a submitted write stores its bytes in the file",
  says: ["file content modified", "write operations file content"],
  opposite: ["file content not modified"],
  observe: async (s, call, said) => {
    const done = await COMPLETIONS_IN_RING.observe(s, call, said);
    const content = readFileSync(s.path, "utf8");
    return { holds: done.holds && content === s.bytes, facts: { ...done.facts, content }, detail: `${done.detail}; the file holds ${JSON.stringify(content)} (written ${JSON.stringify(s.bytes)})` };
  },
};

export const ioSubmitSuite: SyscallSuite = {
  syscalls: ["io_submit"],

  baseline: defineScenario<SubmitCall>({
    id: "pread",
    condition: "one IOCB_CMD_PREAD of a small regular file on a live context",
    setup: ({ scope }) => single(scope),
    args: submitArgs,
    checks: [
      { kind: "claims", id: "returns-count", title: "the return is the number of iocbs submitted", about: successReturn, probes: [RETURNS_COUNT_SUBMITTED] },
      { kind: "claims", id: "completion-in-ring", title: "the read completes into the ring with its aio_data", about: { section: "sideEffects", summary: "aio_kiocb structures" }, probes: [COMPLETIONS_IN_RING] },
      { kind: "claims", id: "aio-key-written", title: "the kernel writes KIOCB_KEY into the submitted iocb's aio_key", about: { section: "sideEffects", summary: "aio_key" }, probes: [KEY_WRITTEN] },
      { kind: "transition", id: "iocb-submitted", title: "the iocb goes from prepared to submitted", about: { section: "stateTransitions", summary: "iocb state" }, model: IOCB_STATES },
    ],
  }),

  scenarios: [
    defineScenario<SubmitCall>({
      id: "read-interrupted",
      condition: "an IOCB_CMD_PREAD of 1 byte from an empty blocking pipe (io_submit waits inside the read), interrupted by a signal whose handler lacks SA_RESTART",
      setup: ({ scope }) => {
        const pipe = closablePipe(scope);
        writeLater(scope, pipe.writeFd);
        const s = submission(scope, liveContext(scope, NR_EVENTS), [{ opcode: IOCB_CMD.PREAD, fildes: pipe.readFd, buf: scope.add(mapPages(1)).address, nbytes: 1n }]);
        interruptingSignal(scope);
        return s;
      },
      args: submitArgs,
      checks: [
        { kind: "outcome", id: "not-interrupted", title: "io_submit itself is not interrupted: it returns its count", about: successReturn },
        { kind: "claims", id: "eintr-in-event", title: "the interrupted read completes with the errno the signal item names, in its io_event", about: { section: "signals", text: "signal arrives during underlying read write operation" }, probes: [INTERRUPTED_READ_COMPLETES_EINTR] },
      ],
    }),
    defineScenario<SlotAccounting>({
      id: "slot-accounting",
      condition: "one IOCB_CMD_PREAD on a context whose free slots are counted (the thread pinned to one CPU; a fresh context of the same size counted first)",
      setup: ({ scope }) => {
        pinToCurrentCpu(scope);
        const pipe = closablePipe(scope);
        const fresh = countFreeSlots(liveContext(scope, NR_EVENTS), pipe.readFd);
        return { ...single(scope), pipe, fresh };
      },
      args: submitArgs,
      checks: [
        { kind: "transition", id: "slots-taken", title: "the context's free slots fall by the count submitted", about: { section: "stateTransitions", summary: "slot availability" }, model: SLOT_STATES },
        { kind: "claims", id: "request-counters", title: "a submitted request takes a slot; reaping its completion gives it back", about: { section: "sideEffects", summary: "request counters" }, probes: [SLOTS_TAKEN_AND_RECLAIMED] },
      ],
    }),
    counted("three-reads", "three IOCB_CMD_PREADs in one call", (scope) => [readOp(scope), readOp(scope), readOp(scope)]),
    counted("partial", "two iocbs: a valid read, then one whose aio_fildes is -1", (scope) => [readOp(scope), { ...readOp(scope), fildes: -1 }]),
    counted("array-shorter-than-nr", "nr is 2 but iocbpp holds one pointer, followed by an unreadable page", (scope) => [readOp(scope)], 2),
    defineScenario<SubmitCall>({
      id: "nr-above-capacity",
      condition: "nr is one more than the ring's slots, each iocb a poll on an empty pipe (the context takes fewer)",
      setup: ({ scope }) => {
        const ctx = liveContext(scope, 1);
        const pipe = closablePipe(scope);
        return submission(scope, ctx, Array.from({ length: ctx.ringSlots + 1 }, () => ({ opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLIN })));
      },
      args: submitArgs,
      checks: [
        { kind: "outcome", id: "count", title: "more iocbs than the context can take: a count is returned", about: successReturn },
        { kind: "claims", id: "aio-key-written", title: "aio_key is written in exactly the iocbs counted", about: { section: "sideEffects", summary: "aio_key" }, probes: [KEY_WRITTEN] },
        { kind: "claims", id: "nr-capped", title: "nr is capped to the context's capacity", about: { section: "params", summary: /^nr$/ }, probes: [NR_CAPPED] },
      ],
    }),
    defineScenario<SubmitCall>({
      id: "nr-zero",
      condition: "nr is 0 (the array holds one valid iocb)",
      setup: ({ scope }) => {
        const s = single(scope);
        return { ...s, nr: 0 };
      },
      args: submitArgs,
      checks: [
        { kind: "outcome", id: "accepted", title: "nr 0 is accepted", about: { section: "params", summary: /^nr$/ }, expectFrom: successReturn, value: "0" },
        { kind: "claims", id: "returns-zero", title: "nr 0 returns 0 and submits nothing", about: successReturn, probes: [RETURNS_ZERO_FOR_NR_ZERO] },
        { kind: "claims", id: "nr-zero-text", title: "what nr's text says of 0: an immediate return of 0", about: { section: "params", summary: /^nr$/ }, probes: [RETURNS_ZERO_FOR_NR_ZERO] },
      ],
    }),
    defineScenario<SubmitCall>({
      id: "key-preset",
      condition: "the iocb's aio_key holds 7 when it is submitted",
      setup: ({ scope }) => single(scope),
      args: submitArgs,
      checks: [{ kind: "outcome", id: "accepted", title: "aio_key is not checked at submit", about: successReturn }],
    }),
    defineScenario<PollOnPipe>({
      id: "poll-active",
      condition: "an IOCB_CMD_POLL on the read end of an empty pipe (stays pending)",
      setup: ({ scope }) => pollOnPipe(scope),
      args: submitArgs,
      checks: [
        { kind: "outcome", id: "accepted", title: "a poll is submitted", about: successReturn },
        { kind: "claims", id: "in-active-list", title: "the pending poll can be found by io_cancel", about: { section: "sideEffects", summary: "active_reqs" }, probes: [IN_ACTIVE_LIST] },
      ],
    }),
    defineScenario<PollOnPipe>({
      id: "poll-holds-file",
      condition: "an IOCB_CMD_POLL for POLLPRI (never ready) on the read end of a pipe, whose fd is then closed",
      // POLLPRI: the observation's writes to the pipe must not complete it.
      setup: ({ scope }) => pollOnPipe(scope, POLLPRI),
      args: submitArgs,
      checks: [{ kind: "claims", id: "file-reference", title: "the pending poll keeps its file open", about: { section: "sideEffects", summary: "file reference count" }, probes: [HOLDS_FILE] }],
    }),
    defineScenario<SubmitCall & { path: string; bytes: string }>({
      id: "pwrite",
      condition: "an IOCB_CMD_PWRITE of 13 bytes at offset 0 of an empty file",
      setup: ({ scope }) => {
        const ctx = liveContext(scope, NR_EVENTS);
        const path = tempFile(scope, "");
        const page = scope.add(mapPages(1));
        page.write(0, Buffer.from(CONTENT));
        return { ...submission(scope, ctx, [{ opcode: IOCB_CMD.PWRITE, fildes: openFile(scope, path, "r+"), buf: page.address, nbytes: BigInt(CONTENT.length) }]), path, bytes: CONTENT };
      },
      args: submitArgs,
      checks: [{ kind: "claims", id: "file-written", title: "the write reaches the file", about: { section: "sideEffects", summary: "target file" }, probes: [FILE_WRITTEN] }],
    }),
    defineScenario<SubmitCall>({
      id: "fsync",
      condition: "an IOCB_CMD_FSYNC of a regular file opened for writing",
      setup: ({ scope }) => {
        const ctx = liveContext(scope, NR_EVENTS);
        return submission(scope, ctx, [{ opcode: IOCB_CMD.FSYNC, fildes: openFile(scope, tempFile(scope), "r+") }]);
      },
      args: submitArgs,
      checks: [
        { kind: "outcome", id: "accepted", title: "an fsync is submitted", about: successReturn },
        { kind: "claims", id: "completes-via-ring", title: "the fsync runs asynchronously and completes into the ring", about: { section: "sideEffects", summary: "fsync work queue" }, probes: [COMPLETIONS_IN_RING] },
      ],
    }),
    defineScenario<SubmitCall>({
      id: "ring-full",
      condition: "the context's request slots are all taken by pending polls; one more poll is submitted",
      setup: ({ scope }) => {
        const ctx = liveContext(scope, 1);
        const pipe = closablePipe(scope);
        fillWithPolls(scope, ctx, pipe, 0);
        return submission(scope, ctx, [{ opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLIN }]);
      },
      args: submitArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "no slot is free", about: { section: "errors", summary: "resource temporarily unavailable" } },
        { kind: "outcome", id: "slot-constraint", title: "the constraint on ring slots", about: { section: "constraints", summary: "ring buffer slot availability" } },
        { kind: "claims", id: "no-key-written", title: "the refused iocb is not marked submitted", about: { section: "sideEffects", summary: "aio_key" }, probes: [KEY_WRITTEN] },
      ],
    }),
    defineScenario<SubmitCall>({
      id: "as-nobody",
      condition: "an unprivileged user (nobody) submits a read on its process's context",
      as: "nobody",
      setup: ({ scope }) => single(scope),
      args: submitArgs,
      checks: [
        { kind: "outcome", id: "accepted", title: "io_submit needs no privilege", about: successReturn },
        { kind: "claims", id: "returns-count", title: "the read is submitted and completes", about: successReturn, probes: [RETURNS_COUNT_SUBMITTED] },
      ],
    }),

    // Invalid contexts.
    badContext("ctx-zero", "ctx_id is 0", () => 0n, [
      { kind: "outcome", id: "param-constraint", title: "ctx_id 0 breaks the ctx_id constraint", about: { section: "params", summary: /^ctx_id$/ }, expectFrom: invalid(/ctx_id is invalid/), value: "0" },
    ]),
    badContext("ctx-never-created", "ctx_id is an address at which no context was ever created", () => neverCreatedId()),
    badContext("ctx-other-process", "ctx_id is a live context of another process", (scope) => foreignContext(scope)),
    badContext("ctx-destroyed", "ctx_id is a context of this process that was destroyed", (scope) => {
      const gone = scope.add(AioContext.setup(1));
      const result = gone.destroy();
      if (result.ret !== 0n) throw new SetupError(`io_destroy in setup failed: ${result.errno}`);
      return gone.id;
    }),

    // The iocb pointers and the iocbs themselves.
    defineScenario<SubmitCall>({
      id: "iocb-pointer-null",
      condition: "the array's one pointer is NULL",
      setup: ({ scope }) => ({ ...single(scope), array: pointerArray(scope, [0n]), iocbs: [] }),
      args: submitArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "a NULL iocb pointer", about: fault("pointer in the iocbpp array is invalid") }],
    }),
    defineScenario<SubmitCall>({
      id: "iocb-unreadable",
      condition: "the array's one pointer points to an unreadable (PROT_NONE) page",
      setup: ({ scope }) => ({ ...single(scope), array: pointerArray(scope, [scope.add(guardPage()).address]), iocbs: [] }),
      args: submitArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "an unreadable iocb", about: fault("iocb data cannot be copied") }],
    }),
    defineScenario<SubmitCall>({
      id: "iocb-read-only",
      condition: "the iocb is in a read-only page, so aio_key cannot be written back",
      setup: ({ scope }) => {
        const s = single(scope);
        s.iocbs[0]!.mapping.protect("read");
        return s;
      },
      args: submitArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "aio_key cannot be written", about: fault("cannot write the aio_key") },
        { kind: "claims", id: "no-completion", title: "the iocb whose key could not be written is not queued", about: { section: "sideEffects", summary: "aio_kiocb structures" }, probes: [COMPLETIONS_IN_RING] },
      ],
    }),
    rejected("aio-buf-kernel-address", "aio_buf is a kernel address", fault("aio_buf points to invalid memory"), (op) => ({ ...op, buf: 0xffff888000000000n })),
    rejected("aio-buf-unmapped", "aio_buf is an unmapped (PROT_NONE) user page", fault("aio_buf points to invalid memory"), (op, scope) => ({ ...op, buf: scope.add(guardPage()).address })),
    rejected("aio-nbytes-overflow", "aio_nbytes is 2^63 (negative as ssize_t)", invalid("aio_buf/aio_nbytes overflow"), (op) => ({ ...op, nbytes: 1n << 63n })),
    rejected("reserved2-set", "aio_reserved2 is non-zero", invalid("aio_reserved2 is non-zero"), (op) => ({ ...op, reserved2: 1n })),
    rejected("opcode-unused", "aio_lio_opcode is 4, a number no command has", invalid("aio_lio_opcode is invalid"), (op) => ({ ...op, opcode: 4 })),
    rejected("opcode-out-of-range", "aio_lio_opcode is 99", invalid("aio_lio_opcode is invalid"), (op) => ({ ...op, opcode: 99 })),
    accepted("opcode-noop", "aio_lio_opcode is IOCB_CMD_NOOP (6), which the spec lists as supported", (op) => ({ ...op, opcode: IOCB_CMD.NOOP })),
    rejected("fd-negative", "aio_fildes is -1", badFd("does not refer to an open file"), (op) => ({ ...op, fildes: -1 }), [fdConstraint]),
    rejected("fd-closed", "aio_fildes is a descriptor that was closed", badFd("does not refer to an open file"), (op) => {
      const fd = syscall("dup", 0);
      syscall("close", fd.ret);
      return { ...op, fildes: Number(fd.ret) };
    }, [fdConstraint]),
    rejected("read-on-write-only", "an IOCB_CMD_PREAD on a descriptor opened write-only", badFd("read on write-only file"), (op, scope) => ({ ...op, fildes: openFile(scope, tempFile(scope), "w") }), [fdConstraint]),
    rejected("write-on-read-only", "an IOCB_CMD_PWRITE on a descriptor opened read-only", badFd("appropriate mode for the operation"), (op) => ({ ...op, opcode: IOCB_CMD.PWRITE }), [fdConstraint]),
    // A directory is open for reading but has no read_iter.
    rejected("pread-no-read-iter", "an IOCB_CMD_PREAD on a directory descriptor, a file without read_iter", invalid("file lacks required operation support"), (op, scope) => ({ ...op, fildes: directoryFd(scope, tempDirectory(scope)) }), [operationConstraint(NO_READ_ITER_REFUSED)]),
    // A pipe has no fsync operation.
    rejected("fsync-no-fsync", "an IOCB_CMD_FSYNC on a pipe's read end, a file without fsync", invalid("file lacks required operation support"), (_op, scope) => ({ opcode: IOCB_CMD.FSYNC, fildes: closablePipe(scope).readFd }), [operationConstraint(NO_FSYNC_REFUSED)]),
    rejected("resfd-bad", "IOCB_FLAG_RESFD with aio_resfd -1", badFd("aio_resfd does not refer to a valid file descriptor"), (op) => ({ ...op, flags: IOCB_FLAG_RESFD, resfd: -1 })),
    rejected("resfd-not-eventfd", "IOCB_FLAG_RESFD with aio_resfd a regular file", invalid("aio_resfd is not an eventfd"), (op) => ({ ...op, flags: IOCB_FLAG_RESFD, resfd: op.fildes ?? 0 })),
    accepted("resfd-eventfd", "IOCB_FLAG_RESFD with aio_resfd an eventfd", (op, scope) => {
      const efd = syscall("eventfd2", 0, 0);
      if (efd.ret < 0n) throw new SetupError(`eventfd2 failed: ${efd.errno}`);
      scope.defer(() => syscall("close", efd.ret));
      return { ...op, flags: IOCB_FLAG_RESFD, resfd: Number(efd.ret) };
    }),
    accepted("aio-flags-unknown-bit", "aio_flags has bit 2 set, which no IOCB_FLAG_ names", (op) => ({ ...op, flags: 1 << 2 }), { section: "errors", text: /\baio_flags\b/ }),
    rejected("rw-flags-unknown", "aio_rw_flags has bit 31 set, which no RWF_ flag names", { section: "errors", summary: "operation not supported", condition: "unsupported aio_rw_flags" }, (op) => ({ ...op, rwFlags: 0x80000000 })),
    rejected("offset-plus-nbytes-overflows", "aio_offset + aio_nbytes overflows loff_t on a regular file", { section: "errors", summary: "value too large" }, (op) => ({ ...op, offset: (1n << 63n) - 5n })),
    // The spec reads aio_reqprio only "if IOCB_FLAG_IOPRIO set" (long-desc): without the flag it is ignored.
    accepted("reqprio-without-flag", "aio_reqprio holds an invalid class but IOCB_FLAG_IOPRIO is not set", (op) => ({ ...op, reqprio: ioprio(IOPRIO_CLASS.INVALID) })),
    rejected("reqprio-invalid-class", "IOCB_FLAG_IOPRIO with an aio_reqprio of class 4 (no such class)", invalid("invalid aio_reqprio class"), (op) => ({ ...op, flags: IOCB_FLAG_IOPRIO, reqprio: ioprio(IOPRIO_CLASS.INVALID) })),
    rejected("reqprio-rt-unprivileged", "IOCB_FLAG_IOPRIO with IOPRIO_CLASS_RT, as nobody (no CAP_SYS_ADMIN or CAP_SYS_NICE)", { section: "errors", summary: "operation not permitted", condition: "IOPRIO_CLASS_RT" }, (op) => ({ ...op, flags: IOCB_FLAG_IOPRIO, reqprio: ioprio(IOPRIO_CLASS.RT) }), [
      { kind: "outcome", id: "capability", title: "without CAP_SYS_NICE the RT class is refused", about: { section: "capabilities", summary: "CAP_SYS_NICE" } },
      // nobody lacks both: the spec names each as the other's alternative.
      { kind: "outcome", id: "capability-sys-admin", title: "without CAP_SYS_ADMIN (nor its alternative CAP_SYS_NICE) the RT class is refused", about: { section: "capabilities", summary: "CAP_SYS_ADMIN" } },
    ], "nobody"),
    accepted("reqprio-rt-root", "IOCB_FLAG_IOPRIO with IOPRIO_CLASS_RT, as root (CAP_SYS_ADMIN and CAP_SYS_NICE)", (op) => ({ ...op, flags: IOCB_FLAG_IOPRIO, reqprio: ioprio(IOPRIO_CLASS.RT) })),

    aioNotConfigured({ ctx_id: 0n, nr: 0, iocbpp: 0n }),
  ],

  environmentOnly: [
    {
      id: "no-kernel-memory",
      title: "the kernel cannot allocate an fsync's credentials or a large iovec array",
      about: { section: "errors", summary: "out of memory" },
      reason: () => ({ reason: NO_FAULT_INJECTION }),
    },
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
