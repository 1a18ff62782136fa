// SPDX-License-Identifier: GPL-2.0-only
// One conformance run: plan the cases of a spec, execute them against the
// live kernel, and assemble the results document every report is made from.
import { performance } from "node:perf_hooks";
import { currentArch } from "../kernel/arch.js";
import type { Spec } from "../spec/model.js";
import { loadSuite, type SuiteRef } from "../scenarios/registry.js";
import { coverageOf } from "./coverage.js";
import { detectEnvironment, kernelFacts, type Environment } from "./environment.js";
import { executePlan, type ExecuteOptions } from "./execute-plan.js";
import { planCases } from "./plan.js";
import type { RunResults, Verdict } from "./results.js";
import { TOOL } from "./tool.js";

export const VERDICTS: Verdict[] = ["pass", "fail", "skip", "error", "timeout", "xfail", "xpass"];

export function totalsOf(cases: { verdict: Verdict }[]): Record<Verdict, number> {
  const totals = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of cases) totals[c.verdict] += 1;
  return totals;
}

export interface ConformanceOptions extends Omit<ExecuteOptions, "isolate"> {
  env?: Environment;
  /** Per-case limit in ms (default DEFAULT_CASE_TIMEOUT_MS). */
  caseTimeoutMs?: number;
  /** Run the scenarios in this process: faster to debug, but a crash or hang ends the run. */
  inProcess?: boolean;
}

/** Plans the spec's cases with the suite and runs them, isolated in a worker process unless told otherwise. */
export async function runConformance(spec: Spec, suite: SuiteRef, options: ConformanceOptions = {}): Promise<RunResults> {
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const env = options.env ?? detectEnvironment();
  const arch = currentArch();
  const plan = planCases(spec, await loadSuite(suite));
  const isolate = options.inProcess ? undefined : { suite, ...(options.caseTimeoutMs ? { caseTimeoutMs: options.caseTimeoutMs } : {}) };
  const { cases, observations } = await executePlan(plan, env, { ...options, ...(isolate ? { isolate } : {}) });
  return {
    tool: TOOL,
    startedAt,
    durationMs: Math.round(performance.now() - start),
    kernel: kernelFacts(env, arch),
    spec: { name: spec.name, file: spec.source.file, line: spec.source.line, format: spec.source.format, dialect: spec.source.dialect },
    cases,
    coverage: coverageOf(plan, cases),
    observations,
    totals: totalsOf(cases),
  };
}

/**
 * kselftest exit codes: 0 all conform (skips and expected failures allowed),
 * 1 any deviation (and an unexpected pass when strict), 4 everything skipped.
 * `strict` defaults to what results.gate recorded.
 */
export function exitCodeOf(results: RunResults, options: { strict?: boolean } = {}): number {
  const t = results.totals;
  const strict = options.strict ?? results.gate?.strict ?? false;
  if (t.fail + t.error + t.timeout > 0) return 1;
  if (strict && t.xpass > 0) return 1;
  if (results.cases.length > 0 && t.skip === results.cases.length) return 4;
  return 0;
}
