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
import type { RunResults } from "./results.js";
import { totalsOf } from "./verdicts.js";
import { TOOL } from "./tool.js";

export interface ConformanceOptions extends Omit<ExecuteOptions, "isolate"> {
  env?: Environment;
  /** Per-case limit in ms (default DEFAULT_CASE_TIMEOUT_MS). */
  caseTimeoutMs?: number;
  /** Run the scenarios in this process: faster to debug, but a crash or hang ends the run. */
  inProcess?: boolean;
  /** Case ids' first part when the spec's name alone is ambiguous in a run (see planCases). */
  label?: string;
}

/** Plans the spec's cases with the suite and runs them, isolated in a worker process unless told otherwise. */
export async function runConformance(spec: Spec, suite: SuiteRef, options: ConformanceOptions = {}): Promise<RunResults> {
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const env = options.env ?? detectEnvironment();
  const arch = currentArch();
  const plan = planCases(spec, await loadSuite(suite), options.label);
  const isolate = options.inProcess ? undefined : { suite, ...(options.caseTimeoutMs ? { caseTimeoutMs: options.caseTimeoutMs } : {}) };
  const { cases, observations } = await executePlan(plan, env, { ...options, ...(isolate ? { isolate } : {}) });
  return {
    tool: TOOL,
    startedAt,
    durationMs: Math.round(performance.now() - start),
    kernel: kernelFacts(env, arch),
    status: "complete",
    specs: [{ name: plan.label, file: spec.source.file, line: spec.source.line, format: spec.source.format, dialect: spec.source.dialect }],
    unsuited: [],
    cases,
    coverage: coverageOf(plan, cases),
    observations,
    totals: totalsOf(cases),
  };
}

