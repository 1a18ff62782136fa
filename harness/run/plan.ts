// SPDX-License-Identifier: GPL-2.0-only
// Generates the cases of a run: every check of every scenario of the suite
// (plus the generic pointer probes made from the spec's parameters), each
// bound to the spec items it is about and expects from. Binding happens once,
// before anything runs, so a plan can be listed and inspected.
import type { Spec } from "../spec/model.js";
import { pointerProbes } from "../scenarios/probes.js";
import type { Check, EnvironmentOnly, Scenario, SyscallSuite, Target } from "../scenarios/scenario.js";
import { resolveTarget, specItems, type Resolution, type SpecItem } from "../scenarios/target.js";

export interface PlannedCheck {
  id: string;
  title: string;
  check: Check<unknown>;
  about: Resolution;
  /** Where the expected outcome comes from: `expectFrom`, else `about`. Absent for fact checks. */
  expectation?: Resolution;
  /** For precedence checks: each candidate's binding. */
  candidates?: Resolution[];
}

export interface PlannedScenario {
  scenario: Scenario<unknown>;
  /** Generated from parameter metadata rather than written in the suite. */
  generated: boolean;
  checks: PlannedCheck[];
}

export interface PlannedEnvironmentOnly {
  id: string;
  entry: EnvironmentOnly;
  about: Resolution;
}

export interface Plan {
  spec: Spec;
  suite: SyscallSuite;
  items: SpecItem[];
  scenarios: PlannedScenario[];
  environmentOnly: PlannedEnvironmentOnly[];
}

export function planCases(spec: Spec, suite: SyscallSuite): Plan {
  const items = specItems(spec);
  const resolve = (t: Target): Resolution => resolveTarget(items, t);
  const probes = suite.baseline ? pointerProbes(spec, suite.baseline) : [];
  const plan = (scenario: Scenario<unknown>, generated: boolean): PlannedScenario => {
    if (scenario.checks.length === 0) throw new Error(`scenario ${scenario.id} of the ${suite.syscall} suite has no checks`);
    return planScenario(scenario, generated);
  };
  const planScenario = (scenario: Scenario<unknown>, generated: boolean): PlannedScenario => ({
    scenario,
    generated,
    checks: scenario.checks.map((check) => {
      const planned: PlannedCheck = { id: `${spec.name}.${scenario.id}.${check.id}`, title: check.title, check, about: resolve(check.about) };
      if (check.kind === "outcome") planned.expectation = resolve(check.expectFrom ?? check.about);
      if (check.kind === "followup") planned.expectation = resolve(check.expectFrom);
      if (check.kind === "precedence") planned.candidates = check.candidates.map(resolve);
      if (check.kind === "race") planned.candidates = Object.values(check.outcomes).map(resolve);
      return planned;
    }),
  });
  const scenarios = [...probes.map((s) => plan(s, true)), ...suite.scenarios.map((s) => plan(s, false))];
  const ids = new Set<string>();
  for (const c of scenarios.flatMap((s) => s.checks)) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id} in the ${suite.syscall} suite`);
    ids.add(c.id);
  }
  return {
    spec,
    suite,
    items,
    scenarios,
    environmentOnly: suite.environmentOnly.map((entry) => ({ id: `${spec.name}.${entry.id}`, entry, about: resolve(entry.about) })),
  };
}

/** Number of cases the plan will report. */
export function caseCount(plan: Plan): number {
  return plan.scenarios.reduce((n, s) => n + s.checks.length, 0) + plan.environmentOnly.length;
}
