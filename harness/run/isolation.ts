// SPDX-License-Identifier: GPL-2.0-only
// Runs scenarios in a worker process so that a case which crashes the process
// (SIGSEGV, abort) or hangs in a blocking syscall costs one verdict, not the
// run. One long-lived worker serves every scenario; after a crash or a
// timeout it is replaced for the next one. A per-case limit is needed because
// a synchronous syscall cannot be interrupted from JavaScript.
//
// The worker leads its own process group with the helpers it starts, and dies
// with this process (parent-death.ts). A signal to the CLI ends the group
// (interruptIsolated): no worker starts after that, and a run stops with the
// cases reported so far.
import type { ChildProcess } from "node:child_process";
import type { LibraryClaimRow } from "../drift/library-claims.js";
import type { Spec } from "../spec/model.js";
import type { SuiteRef } from "../scenarios/registry.js";
import { RACE_EXTENSION_FACTOR } from "../scenarios/scenario.js";
import type { Environment } from "./environment.js";
import { caseOf, expectedOfPlanned } from "./execute.js";
import type { Plan, PlannedCheck, PlannedScenario } from "./plan.js";
import type { CaseResult, Observation, Verdict } from "./results.js";
import type { FromWorker, ToWorker } from "./worker.js";
import { forkWorker, takePrestarted, type WorkerInit } from "./worker-fork.js";
import { groupGone, killGroup } from "./process-group.js";

const START_TIMEOUT_MS = 15_000;
/** How long the processes of an ended worker group may take to disappear before that is an error. */
const GROUP_GONE_MS = 5000;

/** Workers of finished runs, ending: each resolves when nothing of its group is left. */
const retiring: Array<Promise<void>> = [];
/** Set by interruptIsolated: signals are per process, and so is this state. */
let interruptedBy: NodeJS.Signals | undefined;
const live = new Set<Worker>();
/**
 * Library claims the run's own worker checked after the last scenario, by
 * spec, so that drift need not start another worker for them (about 0.2 s);
 * only for specs whose claims a command asked for (claimsAfterRun).
 */
const claimsWanted = new WeakSet<Spec>();
const claimsOfRun = new WeakMap<Spec, { suite: SuiteRef; rows: LibraryClaimRow[] | string }>();

/** Asks the next isolated run of `spec` to check its suite's library claims in its worker, after the last scenario. */
export function claimsAfterRun(spec: Spec): void {
  claimsWanted.add(spec);
}

export interface IsolationOptions {
  suite: SuiteRef;
  /** Longest a single case may take before its process is killed. */
  caseTimeoutMs: number;
  iterations: number;
}

/** Time a check may take: races scale with the most iterations they may run (see race.ts). */
function budgetMs(check: PlannedCheck, options: IsolationOptions): number {
  return check.check.kind === "race" ? raceBudgetMs(options.caseTimeoutMs, options.iterations) : options.caseTimeoutMs;
}

function raceBudgetMs(caseTimeoutMs: number, iterations: number): number {
  return caseTimeoutMs + iterations * RACE_EXTENSION_FACTOR * 0.5;
}

/** The most race iterations whose time budget stays within `maxMs` (a timer's limit). */
export function maxIterations(caseTimeoutMs: number, maxMs: number): number {
  return Math.floor((maxMs - caseTimeoutMs) / (raceBudgetMs(0, 1)));
}

type Ending = { kind: "done"; observations: Observation[]; consulted: Array<[string, string]> } | { kind: "died"; verdict: Verdict; reason: string };

type Incoming = FromWorker | { type: "exit"; code: number | null; signal: NodeJS.Signals | null } | { type: "timeout" };

class Worker {
  // Messages can arrive several in one tick, so they are queued by one
  // persistent listener rather than caught by per-call listeners.
  private readonly queue: Incoming[] = [];
  private waiter: ((m: Incoming) => void) | undefined;

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (m: FromWorker) => this.deliver(m));
    child.once("exit", (code, signal) => this.deliver({ type: "exit", code, signal }));
    // A send to a worker that just died surfaces as an "error" event; its exit is delivered above.
    child.on("error", () => undefined);
  }

  static async start(plan: Plan, options: IsolationOptions): Promise<Worker> {
    return Worker.launch({ type: "init", spec: plan.spec, label: plan.label, suite: options.suite, iterations: options.iterations });
  }

  static async launch(init: WorkerInit): Promise<Worker> {
    if (interruptedBy) throw new Error(`interrupted by ${interruptedBy}`);
    // A previous run's worker group may still be exiting: its processes' AIO
    // contexts and mappings, visible in global counters (fs.aio-nr) and /proc,
    // would blur what this run's scenarios observe.
    await Promise.all(retiring.splice(0));
    const early = takePrestarted(init);
    const child = early?.child ?? forkWorker();
    const worker = new Worker(child);
    live.add(worker);
    if (!early?.initSent) child.send(init);
    const ready = await worker.next(START_TIMEOUT_MS);
    if (ready.type !== "ready") {
      worker.stop();
      throw new Error(ready.type === "fatal" ? ready.message : `worker did not start (${ready.type})`);
    }
    return worker;
  }

  get alive(): boolean {
    return this.child.connected && this.child.exitCode === null && this.child.signalCode === null;
  }

  private deliver(message: Incoming): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter(message);
    } else {
      this.queue.push(message);
    }
  }

  /** The next message, or a synthetic "timeout" when the worker stays silent for timeoutMs. */
  next(timeoutMs: number): Promise<Incoming> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve({ type: "timeout" });
      }, timeoutMs);
      this.waiter = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
    });
  }

  async run(index: number, checks: PlannedCheck[], options: IsolationOptions, emit: (c: CaseResult) => void): Promise<{ ending: Ending; reported: number }> {
    let reported = 0;
    this.child.send({ type: "run", index, firstCase: checks[0]!.id } satisfies ToWorker);
    for (;;) {
      const check = checks[Math.min(reported, checks.length - 1)]!;
      const message = await this.next(budgetMs(check, options));
      switch (message.type) {
        case "case":
          emit(message.result);
          reported += 1;
          break;
        case "done":
          return { ending: { kind: "done", observations: message.observations, consulted: message.consulted }, reported };
        case "fatal":
          this.stop();
          return { ending: { kind: "died", verdict: "error", reason: `worker failed: ${message.message}` }, reported };
        case "timeout":
          this.stop();
          return { ending: { kind: "died", verdict: "timeout", reason: `no result within ${budgetMs(check, options)} ms (per-case limit); the case's process was killed` }, reported };
        case "exit": {
          const how = message.signal ? `killed by ${message.signal}` : `exited with status ${message.code}`;
          return { ending: { kind: "died", verdict: "error", reason: `the case's process was ${how}` }, reported };
        }
        case "ready":
        case "claims":
          break;
      }
    }
  }

  /** The suite's library claims, checked in the worker under `timeoutMs`; a string says why there are none. */
  async claims(timeoutMs: number): Promise<LibraryClaimRow[] | string> {
    this.child.send({ type: "claims" } satisfies ToWorker);
    const message = await this.next(timeoutMs);
    if (message.type === "claims") return message.rows;
    this.stop();
    if (message.type === "timeout") return `no answer within ${timeoutMs} ms (per-case limit); the process was killed`;
    if (message.type === "fatal") return `worker failed: ${message.message}`;
    if (message.type === "exit") return `the process was ${message.signal ? `killed by ${message.signal}` : `exited with status ${message.code}`}`;
    return `unexpected message '${message.type}' from the worker`;
  }

  /** Ends the worker and every helper in its group. */
  stop(): void {
    if (this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null) killGroup(this.child.pid);
    this.child.disconnect?.();
    live.delete(this);
  }

  /** Resolves when nothing of the worker's group is left; rejects when something outlives the limit. */
  async gone(): Promise<void> {
    this.stop();
    if (this.child.pid !== undefined) await groupGone(this.child.pid, GROUP_GONE_MS);
  }
}

/**
 * Ends every live worker and its helpers (for SIGINT/SIGTERM/SIGHUP), and
 * keeps new ones from starting. Rejects when a process of the run is still
 * there after the limit: a cleanup that hangs is an error.
 */
export async function interruptIsolated(signal: NodeJS.Signals): Promise<void> {
  interruptedBy = signal;
  const early = takePrestarted();
  if (early?.child.pid !== undefined) killGroup(early.child.pid);
  const workers = [...live];
  await Promise.all([...workers.map((w) => w.gone()), ...retiring.splice(0)]);
}

/** The signal that interrupted isolated work in this process, if one did. */
export function interruption(): NodeJS.Signals | undefined {
  return interruptedBy;
}

/** Runs the suite's `libraryClaims` hook in a worker under the per-case limit; a string says why there are no rows. */
export async function libraryClaimsIsolated(spec: Spec, suite: SuiteRef, timeoutMs: number): Promise<LibraryClaimRow[] | string> {
  const checked = claimsOfRun.get(spec);
  if (checked && checked.suite.module === suite.module && checked.suite.exportName === suite.exportName) {
    claimsOfRun.delete(spec);
    return checked.rows;
  }
  let worker: Worker;
  try {
    worker = await Worker.launch({ type: "init", spec, label: spec.name, suite, iterations: 1 });
  } catch (err) {
    return `could not start the worker process: ${err instanceof Error ? err.message : String(err)}`;
  }
  try {
    return await worker.claims(timeoutMs);
  } finally {
    worker.stop();
  }
}

/** Runs every scenario of the plan in a worker process, replacing the worker after a crash or timeout. */
export async function executeIsolated(
  plan: Plan,
  env: Environment,
  options: IsolationOptions,
  emit: (c: CaseResult) => void,
  observations: Observation[],
): Promise<void> {
  let worker: Worker | undefined;
  try {
    for (const [index, planned] of plan.scenarios.entries()) {
      if (interruptedBy) break;
      if (!worker?.alive) {
        try {
          worker = await Worker.start(plan, options);
        } catch (err) {
          if (interruptedBy) break;
          failRemaining(plan, planned, 0, "error", `could not start the worker process: ${err instanceof Error ? err.message : String(err)}`, emit);
          worker = undefined;
          continue;
        }
      }
      const { ending, reported } = await worker.run(index, planned.checks, options, emit);
      // Interrupted: what the worker reported stands; the rest was not run, which is not a verdict.
      if (interruptedBy) break;
      if (ending.kind === "done") {
        observations.push(...ending.observations);
        for (const [option, value] of ending.consulted) env.consulted.set(option, value);
      } else if (reported < planned.checks.length) {
        failRemaining(plan, planned, reported, ending.verdict, ending.reason, emit);
      } else {
        // Every case was reported, but the scenario never finished: its cleanup crashed or hung. That fails the run.
        emit(cleanupCase(plan, planned, ending.reason));
      }
    }
    if (worker?.alive && plan.suite.libraryClaims && claimsWanted.delete(plan.spec) && !interruptedBy) claimsOfRun.set(plan.spec, { suite: options.suite, rows: await worker.claims(options.caseTimeoutMs) });
  } finally {
    // Killed now; the next worker waits until nothing of this one is left (see Worker.launch).
    if (worker) {
      const ended = worker.gone();
      // Awaited by the next launch; after the last run nobody may, and a rejection must not go unhandled.
      ended.catch(() => undefined);
      retiring.push(ended);
    }
  }
}

/** An error case for a scenario whose cleanup (resource release) hung or crashed after its checks. */
function cleanupCase(plan: Plan, planned: PlannedScenario, reason: string): CaseResult {
  const last = planned.checks[planned.checks.length - 1]!;
  const base = caseOf(last, planned.scenario, plan, { verdict: "error", expected: { outcome: "observation", text: "the scenario's resources are released" }, observed: {}, reason: `cleanup did not finish: ${reason}` }, 0);
  return { ...base, id: `${plan.label}.${planned.scenario.id}.cleanup`, title: `cleanup of ${planned.scenario.id}` };
}

/** The checks a dead worker never reported: the first gets the verdict, the rest were never reached. */
function failRemaining(plan: Plan, planned: PlannedScenario, reported: number, verdict: Verdict, reason: string, emit: (c: CaseResult) => void): void {
  planned.checks.slice(reported).forEach((p, i) => {
    const why = i === 0 ? reason : `not run: an earlier case of this scenario ended its process (${reason})`;
    emit(caseOf(p, planned.scenario, plan, { verdict: i === 0 ? verdict : "error", expected: expectedOfPlanned(plan.spec, p), observed: {}, reason: why }, 0));
  });
}
