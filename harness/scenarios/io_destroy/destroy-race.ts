// SPDX-License-Identifier: GPL-2.0-only
// The io_destroy race the long-desc describes: two threads of one process
// destroy the same context at the same moment. A worker thread (same mm) and
// the main thread are released together through a shared cell; each round
// uses a fresh context, and exactly one of the two calls may succeed.
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { ResourceScope } from "../../kernel/scope.js";
import type { SyscallResult } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { setupContext } from "../resources/aio.js";
import type { RaceObservation } from "../scenario.js";

/** Layout of the shared cells: Int32 flags (round, go, stop, armed), then the context id. */
export const RACER = { round: 0, go: 1, stop: 2, armed: 3, flagCount: 4, idOffset: 16, bytes: 24 } as const;

export interface RacerResult {
  round: number;
  ret: string;
  errno?: string;
}

/** The outcome keys: the call that wins, and the one that finds the context already dead. */
export const DESTROY_RACE_OUTCOME = { first: "first", later: "later" } as const;

/** Each round waits for the winner's RCU grace period (~30 ms): few rounds. */
const ROUNDS_PER_ITERATIONS = 50;
const MIN_ROUNDS = 20;
/** Up to this long the main thread waits after the release: longer than the worker's wake-up to call. */
const MAX_HEAD_START_US = 40;
const WORKER = fileURLToPath(new URL("./destroy-racer.worker.js", import.meta.url));

export interface DestroyRace {
  worker: Worker;
  flags: Int32Array;
  ids: BigInt64Array;
  rounds: number;
}

/** The worker's next message; its error or exit rejects instead of leaving the round waiting. */
function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = (): void => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (m: T): void => (done(), resolve(m));
    const onError = (e: Error): void => (done(), reject(new SetupError(`the io_destroy racer thread failed: ${e.message}`)));
    const onExit = (code: number): void => (done(), reject(new SetupError(`the io_destroy racer thread exited (${code})`)));
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}

export async function destroyRaceSetup(scope: ResourceScope, iterations: number): Promise<DestroyRace> {
  const shared = new SharedArrayBuffer(RACER.bytes);
  const flags = new Int32Array(shared, 0, RACER.flagCount);
  const worker = new Worker(WORKER, { workerData: shared });
  scope.defer(async () => {
    Atomics.store(flags, RACER.stop, 1);
    Atomics.add(flags, RACER.round, 1);
    Atomics.notify(flags, RACER.round);
    await worker.terminate();
  });
  const ready = await nextMessage<unknown>(worker);
  if (ready !== "ready") throw new SetupError(`the io_destroy racer thread did not start: ${String(ready)}`);
  return { worker, flags, ids: new BigInt64Array(shared, RACER.idOffset, 1), rounds: Math.max(MIN_ROUNDS, Math.ceil(iterations / ROUNDS_PER_ITERATIONS)) };
}

/** How long the main thread waits for the racer to arm a round (it arms in microseconds). */
const ARM_TIMEOUT_MS = 2000;

function spin(us: number): void {
  const until = performance.now() + us / 1000;
  while (performance.now() < until);
}

const asResult = (r: RacerResult): SyscallResult => ({ ret: BigInt(r.ret), ...(r.errno ? { errno: r.errno } : {}) });
const describe = (r: SyscallResult): string => (r.ret === -1n ? `-1 ${r.errno}` : String(r.ret));

/** Runs the rounds; `classify` names the documented outcome each of the two results matches. */
export async function runDestroyRace(s: DestroyRace, classify: (r: SyscallResult) => string | undefined): Promise<RaceObservation> {
  const counts: Record<string, number> = {};
  const unexpected: string[] = [];
  let notOneWinner = 0;
  let mainWon = 0;
  let round = 1;
  // Past s.rounds while one thread has won every round so far (at most ten times as many): the calls must be seen to meet.
  const oneSided = (): boolean => mainWon === 0 || mainWon === round - 1;
  for (; round <= s.rounds || (oneSided() && round <= s.rounds * 10); round++) {
    // Not the scope's: once destroyed, its address may hold another mapping by release time.
    const ctx = setupContext(1);
    s.ids[0] = BigInt.asIntN(64, ctx.id);
    const reply = nextMessage<RacerResult>(s.worker);
    Atomics.store(s.flags, RACER.round, round);
    Atomics.notify(s.flags, RACER.round);
    // Released together: once the worker is awake and spinning on `go`. Bounded: a racer that died never arms.
    const deadline = performance.now() + ARM_TIMEOUT_MS;
    while (Atomics.load(s.flags, RACER.armed) !== round) {
      if (performance.now() > deadline) {
        ctx.destroy();
        throw new SetupError(`the io_destroy racer thread did not arm for round ${round} within ${ARM_TIMEOUT_MS} ms`);
      }
    }
    Atomics.store(s.flags, RACER.go, round);
    // A random head start for the worker, so that either thread can be first.
    spin(Math.random() * MAX_HEAD_START_US);
    const mine = ctx.destroy();
    let theirs: SyscallResult;
    try {
      theirs = asResult(await reply);
    } catch (err) {
      // The racer failed: whatever it did, this round's context must not outlive the scenario.
      if (mine.ret !== 0n) ctx.destroy();
      throw err;
    }
    // Neither call destroyed it (the kernel broke the claim): destroy it now.
    if (mine.ret !== 0n && theirs.ret !== 0n) ctx.destroy();
    let winners = 0;
    for (const result of [mine, theirs]) {
      const outcome = classify(result) ?? "unexpected";
      counts[outcome] = (counts[outcome] ?? 0) + 1;
      if (outcome === "unexpected" && unexpected.length < 3) unexpected.push(`round ${round}: ${describe(result)}`);
      if (result.ret === 0n) winners += 1;
    }
    if (winners !== 1) notOneWinner += 1;
    if (mine.ret === 0n) mainWon += 1;
  }
  // Both outcomes occur every round whoever wins; the calls met only if each thread won some rounds.
  const rounds = round - 1;
  if (notOneWinner === 0 && oneSided()) {
    throw new ResourceUnavailable("race not exercised: one thread won every round; try run --stress N", `the main thread's destroy succeeded in ${mainWon} of ${rounds} rounds`);
  }
  return {
    iterations: rounds * 2,
    counts,
    unexpected,
    holds: notOneWinner === 0,
    facts: { rounds, roundsWithoutExactlyOneSuccess: notOneWinner, mainThreadSucceeded: mainWon },
    detail: `${rounds} rounds of two threads destroying one context at once (the main thread's call succeeded in ${mainWon}); ${notOneWinner} rounds did not have exactly one successful call`,
  };
}
