// SPDX-License-Identifier: GPL-2.0-only
// `run -t GLOB`: the subset of a plan whose cases match any of the globs
// (the expectations file's globs: `*` any run of characters, `?` one). A
// scenario's checks build on each other (a later one reads the ring an
// earlier one waited for), so a matching case brings its whole scenario: the
// scenario's other cases run and are reported too, never judged out of order.
import { compileGlob } from "../gate/glob.js";
import type { Plan } from "./plan.js";

/** The plan restricted to the scenarios and environment-only entries with a case matching a glob; all of it without globs. */
export function selectCases(plan: Plan, globs: readonly string[]): Plan {
  if (globs.length === 0) return plan;
  const matchers = globs.map(compileGlob);
  const wanted = (id: string): boolean => matchers.some((m) => m.test(id));
  return {
    ...plan,
    scenarios: plan.scenarios.filter((s) => s.checks.some((c) => wanted(c.id))),
    environmentOnly: plan.environmentOnly.filter((e) => wanted(e.id)),
  };
}

/** Every case id of the plan, in the order a run reports them. */
export function caseIds(plan: Plan): string[] {
  return [...plan.scenarios.flatMap((s) => s.checks.map((c) => c.id)), ...plan.environmentOnly.map((e) => e.id)];
}

/** The globs that match no case of the plan (a typo, or a case that no longer exists). */
export function unmatchedGlobs(plan: Plan, globs: readonly string[]): string[] {
  const ids = caseIds(plan);
  return globs.filter((g) => !ids.some((id) => compileGlob(g).test(id)));
}
