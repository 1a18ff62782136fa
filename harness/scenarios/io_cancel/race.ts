// SPDX-License-Identifier: GPL-2.0-only
// The cancellation race of the "Timing window for cancellation" constraint:
// a poll request on a pipe that another process makes readable at a random
// moment, cancelled at another random moment. Each iteration must end in one
// of the outcomes the spec allows, and every request must produce exactly one
// completion event: none lost, none duplicated.
import { fileURLToPath } from "node:url";
import { prestartHelper, startHelper } from "./helper-process.js";
import { registerPrestart } from "../../run/prestart.js";
import { performance } from "node:perf_hooks";
import { encodeIocb, IOCB_CMD, iocbOffsets } from "../../kernel/aio-abi.js";
import type { AioContext } from "../../kernel/aio.js";
import { mapPages, type Mapping } from "../../kernel/memory.js";
import { openPipe, type Pipe } from "../../kernel/pipe.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { syscall, type SyscallResult } from "../../kernel/syscall.js";
import { RACE_EXTENSION_FACTOR, type RaceObservation } from "../scenario.js";
import { describeResult } from "../../run/expectation.js";
import { SetupError } from "../errors.js";
import { getEventsUninterrupted, liveContext } from "../resources/aio.js";

const WRITER = fileURLToPath(new URL("./pipe-writer.child.js", import.meta.url));
const O_NONBLOCK = 0o4000;
// Not inherited by other helpers; the writer gets its end as fd 3 all the same.
const O_CLOEXEC = 0o2000000;
const POLLIN = 1n;
const MAX_UNEXPECTED_SHOWN = 3;
const IOCB_DATA_OFFSET = iocbOffsets().data;

/** The outcome keys a race check classifies into; the suite binds each to its spec item. */
export const RACE_OUTCOME = { cancelled: "cancelled", completedFirst: "completed-first" } as const;

export interface RaceState {
  ctx: AioContext;
  pipe: Pipe;
  iocb: Mapping;
  drain: Mapping;
  iterations: number;
}

// The writer's Node start-up (about 100 ms) is the largest part of the race's
// setup: a worker starts it, with its pipe, ahead of the scenario.
let warmPipe: Pipe | undefined;
registerPrestart(WRITER, () => {
  warmPipe = openPipe(O_NONBLOCK | O_CLOEXEC);
  prestartHelper(WRITER, [warmPipe.writeFd]);
});

/** A context, a non-blocking pipe, and a writer process feeding it at random moments. */
export async function raceSetup(scope: ResourceScope, iterations: number): Promise<RaceState> {
  const ctx = liveContext(scope);
  const pipe = warmPipe ?? openPipe(O_NONBLOCK | O_CLOEXEC);
  warmPipe = undefined;
  scope.add(pipe);
  const iocb = mapPages(1);
  scope.add(iocb);
  const drain = mapPages(1);
  scope.add(drain);
  // Written once: the kernel only reads an iocb (and writes aio_key 0, already
  // 0), so each iteration rewrites aio_data alone.
  iocb.write(0, encodeIocb({ data: 0n, opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLIN }));
  if ((await startHelper(scope, WRITER, { extraFds: [pipe.writeFd], go: "go\n" })) !== "ready") throw new SetupError("the pipe writer process did not start");
  return { ctx, pipe, iocb, drain, iterations };
}

function drainPipe(s: RaceState): void {
  while (syscall("read", s.pipe.readFd, s.drain.address, s.drain.length).ret > 0n);
}

function spin(maxUs: number): void {
  const until = performance.now() + (Math.random() * maxUs) / 1000;
  while (performance.now() < until);
}

/**
 * Runs the race; `classify` names the documented outcome a cancel result
 * matches. The outcomes are timing-dependent, so a short run can miss one by
 * chance: it continues past `s.iterations` until each of `wanted` occurred,
 * which keeps verdicts repeatable without a long default run.
 */
export async function runRace(s: RaceState, classify: (r: SyscallResult) => string | undefined, wanted: readonly string[]): Promise<RaceObservation> {
  const counts: Record<string, number> = {};
  const unexpected: string[] = [];
  let lost = 0;
  let duplicated = 0;
  let cancelledButReady = 0;
  let completedNotReady = 0;
  const limit = s.iterations * RACE_EXTENSION_FACTOR;
  const iocbs = [s.iocb.address];
  let i = 0;
  for (; i < s.iterations || (i < limit && wanted.some((w) => !counts[w])); i++) {
    drainPipe(s);
    const data = BigInt(i + 1);
    s.iocb.writeU64(IOCB_DATA_OFFSET, data);
    const submitted = s.ctx.submit(iocbs);
    if (submitted.ret !== 1n) throw new SetupError(`iteration ${i}: io_submit returned ${describeResult(submitted)}`);
    spin(30);
    const result = s.ctx.cancel(s.iocb.address, 0n);
    const outcome = classify(result) ?? "unexpected";
    counts[outcome] = (counts[outcome] ?? 0) + 1;
    if (outcome === "unexpected" && unexpected.length < MAX_UNEXPECTED_SHOWN) unexpected.push(`iteration ${i}: ${describeResult(result)}`);
    const { events } = getEventsUninterrupted(s.ctx, 1, 4, 1000);
    const mine = events.filter((e) => e.data === data && e.obj === s.iocb.address);
    if (mine.length === 0) lost += 1;
    duplicated += Math.max(0, events.length - 1);
    const event = mine[0];
    // A cancelled poll reports readiness only if the pipe became readable before its work ran.
    if (event && outcome !== RACE_OUTCOME.cancelled && event.res === 0n) completedNotReady += 1;
    if (event && outcome === RACE_OUTCOME.cancelled && event.res !== 0n) cancelledButReady += 1;
    if (i % 256 === 255) await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 20));
  const late = s.ctx.getEvents(0, 64, 0).events.length;
  duplicated += late;
  const holds = lost === 0 && duplicated === 0 && completedNotReady === 0;
  return {
    iterations: i,
    counts,
    unexpected,
    holds,
    facts: { lostEvents: lost, duplicatedEvents: duplicated, cancelledAfterReadiness: cancelledButReady, completedWithoutReadiness: completedNotReady },
    detail: `${lost} lost and ${duplicated} duplicated events; ${completedNotReady} uncancelled completions reported no readiness; ${cancelledButReady} cancelled polls saw the pipe become readable before their completion work ran`,
  };
}
