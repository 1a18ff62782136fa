// SPDX-License-Identifier: GPL-2.0-only
// Runs scenarios in a worker process so that a case which crashes the process
// (SIGSEGV, abort) or hangs in a blocking syscall costs one verdict, not the
// run. One long-lived worker serves every scenario; after a crash or a
// timeout it is replaced for the next one. A per-case limit is needed because
// a synchronous syscall cannot be interrupted from JavaScript.
import { fork, type ChildProcess } from "node:child_process";
import { Socket } from "node:net";
import { fileURLToPath } from "node:url";
import type { SuiteRef } from "../scenarios/registry.js";
import { RACE_EXTENSION_FACTOR } from "../scenarios/scenario.js";
import type { Environment } from "./environment.js";
import { caseOf, expectedOfPlanned } from "./execute.js";
import type { Plan, PlannedCheck, PlannedScenario } from "./plan.js";
import type { CaseResult, Observation, Verdict } from "./results.js";
import type { FromWorker, ToWorker } from "./worker.js";

const WORKER = fileURLToPath(new URL("./worker.js", import.meta.url));
const START_TIMEOUT_MS = 15_000;

export interface IsolationOptions {
  suite: SuiteRef;
  /** Longest a single case may take before its process is killed. */
  caseTimeoutMs: number;
  iterations: number;
}

/** Time a check may take: races scale with the most iterations they may run (see race.ts). */
function budgetMs(check: PlannedCheck, options: IsolationOptions): number {
  return check.check.kind === "race" ? options.caseTimeoutMs + options.iterations * RACE_EXTENSION_FACTOR * 0.5 : options.caseTimeoutMs;
}

function forkWorker(): ChildProcess {
  const child = fork(WORKER, [], { serialization: "advanced", stdio: ["ignore", "pipe", "inherit", "ipc"] });
  // The worker's stdout must never reach ours: stdout is KTAP only.
  child.stdout?.pipe(process.stderr);
  return child;
}

let prestarted: ChildProcess | undefined;

/**
 * Forks the first worker now, so that its start-up (Node, the kernel layer,
 * the suite) overlaps the caller's own (loading and planning the spec).
 * Until a run adopts it, it keeps no one waiting: unref'd, and it exits when
 * this process does (its IPC channel closes).
 */
export function prestartWorker(): void {
  if (prestarted) return;
  prestarted = forkWorker();
  prestarted.on("error", () => undefined);
  setRef(prestarted, false);
}

/** Whether the child (its process, IPC channel and stdout pipe) keeps this process's event loop alive. */
function setRef(child: ChildProcess, on: boolean): void {
  for (const handle of [child, child.channel, child.stdout instanceof Socket ? child.stdout : undefined]) {
    if (on) handle?.ref();
    else handle?.unref();
  }
}

function takePrestarted(): ChildProcess | undefined {
  const child = prestarted;
  prestarted = undefined;
  if (!child || !child.connected || child.exitCode !== null || child.signalCode !== null) return undefined;
  setRef(child, true);
  return child;
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
    const child = takePrestarted() ?? forkWorker();
    const worker = new Worker(child);
    child.send({ type: "init", spec: plan.spec, label: plan.label, suite: options.suite, iterations: options.iterations } satisfies ToWorker);
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
    this.child.send({ type: "run", index } satisfies ToWorker);
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
          break;
      }
    }
  }

  stop(): void {
    if (this.alive) this.child.kill("SIGKILL");
    this.child.disconnect?.();
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
      if (!worker?.alive) {
        try {
          worker = await Worker.start(plan, options);
        } catch (err) {
          failRemaining(plan, planned, 0, "error", `could not start the worker process: ${err instanceof Error ? err.message : String(err)}`, emit);
          worker = undefined;
          continue;
        }
      }
      const { ending, reported } = await worker.run(index, planned.checks, options, emit);
      if (ending.kind === "done") {
        observations.push(...ending.observations);
        for (const [option, value] of ending.consulted) env.consulted.set(option, value);
      } else if (reported < planned.checks.length) {
        failRemaining(plan, planned, reported, ending.verdict, ending.reason, emit);
      } else {
        // Every case was reported, but the scenario never finished: its cleanup crashed or hung.
        observations.push({ id: `${plan.spec.name}.${planned.scenario.id}.cleanup`, title: `cleanup of ${planned.scenario.id}`, text: ending.reason });
      }
    }
  } finally {
    worker?.stop();
  }
}

/** The checks a dead worker never reported: the first gets the verdict, the rest were never reached. */
function failRemaining(plan: Plan, planned: PlannedScenario, reported: number, verdict: Verdict, reason: string, emit: (c: CaseResult) => void): void {
  planned.checks.slice(reported).forEach((p, i) => {
    const why = i === 0 ? reason : `not run: an earlier case of this scenario ended its process (${reason})`;
    emit(caseOf(p, planned.scenario, plan, { verdict: i === 0 ? verdict : "error", expected: expectedOfPlanned(plan.spec, p), observed: {}, reason: why }, 0));
  });
}
