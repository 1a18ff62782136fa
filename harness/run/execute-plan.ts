// SPDX-License-Identifier: GPL-2.0-only
// Runs a whole plan: every scenario, isolated in a worker process (default) or
// in this process, then the items only another environment could exercise.
import { DEFAULT_RACE_ITERATIONS } from "../scenarios/scenario.js";
import type { SuiteRef } from "../scenarios/registry.js";
import type { Environment } from "./environment.js";
import { runScenario, specRefOf } from "./execute.js";
import { expectedFrom } from "./expectation.js";
import { executeIsolated } from "./isolation.js";
import { caseCount, type Plan } from "./plan.js";
import type { CaseResult, Expected, Observation } from "./results.js";

/** Per-case limit in isolated runs. */
export const DEFAULT_CASE_TIMEOUT_MS = 5000;

export interface ExecuteOptions {
  /** Called after each case, for progress output. */
  onCase?: (result: CaseResult, done: number, total: number) => void;
  /** Iterations of race checks (`run --stress N`). */
  iterations?: number;
  /** Run scenarios in a worker process loaded from this suite module; in this process when absent. */
  isolate?: { suite: SuiteRef; caseTimeoutMs?: number };
}

export interface ExecutionResult {
  cases: CaseResult[];
  observations: Observation[];
}

export async function executePlan(plan: Plan, env: Environment, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  const cases: CaseResult[] = [];
  const observations: Observation[] = [];
  const total = caseCount(plan);
  const emit = (c: CaseResult): void => {
    cases.push(c);
    options.onCase?.(c, cases.length, total);
  };
  const iterations = options.iterations ?? DEFAULT_RACE_ITERATIONS;
  if (options.isolate) {
    const { suite, caseTimeoutMs = DEFAULT_CASE_TIMEOUT_MS } = options.isolate;
    await executeIsolated(plan, env, { suite, caseTimeoutMs, iterations }, emit, observations);
  } else {
    for (const planned of plan.scenarios) await runScenario(plan, planned, env, iterations, emit, observations);
  }
  for (const e of plan.environmentOnly) {
    const { reason, detail } = e.entry.reason(env);
    const expected: Expected = e.about.status === "bound" ? expectedFrom(e.about.bound, plan.spec) : { outcome: "error", text: e.entry.title };
    emit({
      id: e.id,
      syscall: plan.label,
      title: e.entry.title,
      scenario: e.entry.title,
      specRef: specRefOf(e.about, { section: e.entry.about.section, spec: plan.spec, text: e.entry.title }),
      verdict: "skip",
      expected,
      observed: {},
      reason,
      ...(detail ? { detail } : {}),
      durationMs: 0,
    });
  }
  return { cases, observations };
}
