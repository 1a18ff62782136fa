// SPDX-License-Identifier: GPL-2.0-only
// Runs one planned scenario in this process: check its requirements, set up
// fresh resources, make the call, run each check and judge it against what
// the bound spec item says, then release every resource whatever happened.
import { performance } from "node:perf_hooks";
import { ResourceScope } from "../kernel/scope.js";
import type { SyscallResult } from "../kernel/syscall.js";
import { SyscallError } from "../kernel/syscall.js";
import { aioMaxNr, aioNr } from "../kernel/procfs.js";
import type { Spec } from "../spec/model.js";
import type { FactObservation, RaceCheck, Scenario } from "../scenarios/scenario.js";
import { describeBound, type Resolution } from "../scenarios/target.js";
import type { Environment } from "./environment.js";
import { describeResult, expectedFrom, judgeOutcome, observedOf, undocumented, type Judgement } from "./expectation.js";
import type { Plan, PlannedCheck, PlannedScenario } from "./plan.js";
import { reasonFields, type CaseResult, type Expected, type Observation, type Observed, type ReasonText, type SpecRef, type Verdict } from "./results.js";

export function specRefOf(resolution: Resolution, fallback: { section: string; spec: Spec; text: string }): SpecRef {
  if (resolution.status === "bound") {
    const { item } = resolution.bound;
    return {
      section: item.section,
      index: item.index,
      summary: item.summary,
      ...(item.errno ? { errno: item.errno } : {}),
      file: item.file,
      line: item.line,
    };
  }
  return { section: fallback.section, index: -1, summary: `(no matching item) ${fallback.text}`, file: fallback.spec.source.file, line: fallback.spec.source.line };
}

/** Why a scenario could not get as far as its call: a skip (resource exhaustion) or an error. */
function setupFailure(err: unknown): { verdict: Verdict; reason: ReasonText } {
  if (err instanceof SyscallError && err.syscall === "io_setup" && (err.errno === "EAGAIN" || err.errno === "ENOMEM")) {
    return {
      verdict: "skip",
      reason: { reason: `cannot create an AIO context: io_setup failed with ${err.errno}`, detail: `fs.aio-nr ${aioNr()} of fs.aio-max-nr ${aioMaxNr()}` },
    };
  }
  return { verdict: "error", reason: `setup failed: ${errorMessage(err)}` };
}

/** "Name: message" of a thrown value, for reasons in reports. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Verdict of a check whose expectation is a call outcome. */
function judgeCall(spec: Spec, planned: PlannedCheck, result: SyscallResult): Judgement {
  const expectation = planned.expectation;
  if (!expectation || expectation.status !== "bound") {
    const closed = undocumented(result, spec);
    const why = expectation?.status === "unresolved" ? expectation.reason : "no expectation";
    return { ok: false, reason: `the spec documents no outcome for this condition (${why}); observed ${describeResult(result)}${closed ? `; ${closed}` : ""}` };
  }
  return judgeOutcome(expectation.bound, spec, result);
}

interface Judged {
  verdict: Verdict;
  expected: Expected;
  observed: Observed;
  reason?: string;
  /** What varies behind a skip reason (counts), for a diagnostic line. */
  detail?: string;
  observation?: Observation;
}

function precedence(spec: Spec, planned: PlannedCheck, result: SyscallResult): Judged {
  const observed = observedOf(result);
  const candidates = planned.candidates ?? [];
  const bound = candidates.flatMap((r) => (r.status === "bound" ? [r.bound] : []));
  const missing = candidates.flatMap((r) => (r.status === "unresolved" ? [r.reason] : []));
  const expected: Expected = { outcome: "error", text: `one of: ${[...bound.map(describeBound), ...missing.map((m) => `(${m})`)].join("; ")}` };
  const closed = undocumented(result, spec);
  if (closed) return { verdict: "fail", expected, observed, reason: missing.length ? `${closed}; ${missing.join("; ")}` : closed };
  const chosen = bound.filter((b) => b.item.errno !== undefined && b.item.errno === result.errno);
  if (chosen.length === 0) {
    return { verdict: "fail", expected, observed, reason: `expected ${expected.text}, observed ${describeResult(result)}` };
  }
  const text =
    chosen.length === 1
      ? `the kernel reported ${result.errno}: ${describeBound(chosen[0]!)} takes precedence`
      : `the kernel reported ${result.errno}, which ${chosen.length} candidates share; precedence cannot be told apart`;
  return { verdict: "pass", expected, observed, observation: { id: planned.id, title: planned.title, text } };
}

async function race(spec: Spec, planned: PlannedCheck, check: RaceCheck<unknown>, state: unknown): Promise<Judged> {
  const keys = Object.keys(check.outcomes);
  const resolutions = planned.candidates ?? [];
  const described = keys.map((k, i) => {
    const r = resolutions[i];
    return `${k}: ${r?.status === "bound" ? describeBound(r.bound) : "no matching spec item"}`;
  });
  const expected: Expected = { outcome: "observation", text: `${check.claim}; documented outcomes: ${described.join("; ")}` };
  const unresolved = resolutions.find((r) => r.status === "unresolved");
  if (unresolved?.status === "unresolved") {
    return { verdict: "fail", expected, observed: {}, reason: `the spec documents no outcome for part of this race: ${unresolved.reason}` };
  }
  const bound = resolutions.flatMap((r) => (r.status === "bound" ? [r.bound] : []));
  const classify = (result: SyscallResult): string | undefined => keys.find((_, i) => judgeOutcome(bound[i]!, spec, result).ok);
  const seen = await check.observe(state, classify);
  const counts = keys.map((k) => `${k} ${seen.counts[k] ?? 0}`).join(", ");
  const observed: Observed = { facts: { iterations: seen.iterations, ...Object.fromEntries(Object.entries(seen.counts)), ...seen.facts } };
  const observation: Observation = { id: planned.id, title: planned.title, text: `${seen.iterations} iterations: ${counts}${seen.counts.unexpected ? `, unexpected ${seen.counts.unexpected}` : ""}; ${seen.detail}` };
  const judged = (verdict: Verdict, reason?: string): Judged => ({ verdict, expected, observed, observation, ...(reason ? { reason } : {}) });
  if (seen.unexpected.length > 0) return judged("fail", `${seen.counts.unexpected ?? seen.unexpected.length} of ${seen.iterations} iterations ended outside the documented outcomes (${described.join("; ")}); first: ${seen.unexpected.join("; ")}`);
  if (!seen.holds) return judged("fail", `${check.claim}: ${seen.detail}`);
  const missing = keys.filter((k) => !seen.counts[k]);
  if (missing.length > 0) return { ...judged("skip", `race not exercised: ${missing.join(", ")} never occurred; try run --stress N`), detail: `${seen.iterations} iterations: ${counts}` };
  return judged("pass");
}

async function judgeCheck(spec: Spec, planned: PlannedCheck, state: unknown, first: SyscallResult | undefined): Promise<Judged> {
  const { check } = planned;
  // A check about an item the spec does not have verifies nothing, unless that
  // item was also to document the kernel's answer: then judgeCall fails it.
  const ownsNoExpectation = check.kind === "fact" || check.kind === "race" || planned.expectation?.status === "bound";
  if (planned.about.status !== "bound" && check.kind !== "precedence" && ownsNoExpectation) {
    return { verdict: "skip", expected: expectedOfPlanned(spec, planned), observed: first ? observedOf(first) : {}, reason: `nothing to check: ${planned.about.reason}` };
  }
  if (check.kind === "race") return race(spec, planned, check, state);
  if (first === undefined) throw new Error(`check ${planned.id} needs the scenario's call, and the scenario defines none`);
  switch (check.kind) {
    case "outcome": {
      const judged = judgeCall(spec, planned, first);
      const expected = planned.expectation?.status === "bound" ? expectedFrom(planned.expectation.bound, spec) : { outcome: "error" as const, text: "undocumented" };
      return { verdict: judged.ok ? "pass" : "fail", expected, observed: observedOf(first), reason: judged.reason };
    }
    case "precedence":
      return precedence(spec, planned, first);
    case "followup": {
      const result = await check.observe(state, first);
      const judged = judgeCall(spec, planned, result);
      const expected = planned.expectation?.status === "bound" ? expectedFrom(planned.expectation.bound, spec) : { outcome: "error" as const, text: "undocumented" };
      return {
        verdict: judged.ok ? "pass" : "fail",
        expected: { ...expected, text: check.call },
        observed: observedOf(result),
        reason: judged.ok ? undefined : `${check.call}: ${judged.reason}`,
      };
    }
    case "fact": {
      if (planned.about.status !== "bound") throw new Error("unreachable: unbound fact checks are skipped above");
      const fact: FactObservation = await check.observe(state, first);
      return {
        verdict: fact.holds ? "pass" : "fail",
        expected: { outcome: "observation", text: check.claim },
        observed: { facts: fact.facts },
        reason: fact.holds ? undefined : `${check.claim}, per ${describeBound(planned.about.bound)}: ${fact.detail}`,
      };
    }
  }
}

/** What a planned check expects, for cases that end before their check runs. */
export function expectedOfPlanned(spec: Spec, p: PlannedCheck): Expected {
  return p.expectation?.status === "bound" ? expectedFrom(p.expectation.bound, spec) : { outcome: "observation", text: p.title };
}

export function caseOf(planned: PlannedCheck, scenario: Scenario<unknown>, spec: Spec, judged: Omit<Judged, "observation">, durationMs: number): CaseResult {
  const ref = specRefOf(planned.about, { section: planned.check.about.section, spec, text: planned.title });
  return {
    id: planned.id,
    syscall: spec.name,
    title: planned.title,
    scenario: scenario.condition,
    specRef: ref,
    verdict: judged.verdict,
    expected: judged.expected,
    observed: judged.observed,
    ...(judged.reason ? { reason: judged.reason } : {}),
    ...(judged.detail ? { detail: judged.detail } : {}),
    durationMs: Math.round(durationMs * 1000) / 1000,
  };
}

export async function runScenario(plan: Plan, planned: PlannedScenario, env: Environment, iterations: number, emit: (c: CaseResult) => void, observations: Observation[]): Promise<void> {
  const { scenario } = planned;
  const { spec } = plan;
  const allAs = (verdict: Verdict, reason: ReasonText, expectedOf: (p: PlannedCheck) => Expected): void => {
    for (const p of planned.checks) emit(caseOf(p, scenario, spec, { verdict, expected: expectedOf(p), observed: {}, ...reasonFields(reason) }, 0));
  };
  const expectedOf = (p: PlannedCheck): Expected => expectedOfPlanned(spec, p);

  const unmet = (scenario.requires ?? []).map((r) => r.unmetReason(env)).find((r) => r !== undefined);
  if (unmet) return allAs("skip", unmet, expectedOf);

  const scope = new ResourceScope();
  try {
    let start = performance.now();
    let state: unknown;
    try {
      state = await scenario.setup({ scope, env, iterations });
    } catch (err) {
      const { verdict, reason } = setupFailure(err);
      return allAs(verdict, reason, expectedOf);
    }
    let first: SyscallResult | undefined;
    try {
      first = scenario.call?.(state);
    } catch (err) {
      return allAs("error", `the call under test threw: ${errorMessage(err)}`, expectedOf);
    }
    for (const p of planned.checks) {
      let judged: Judged;
      try {
        judged = await judgeCheck(spec, p, state, first);
      } catch (err) {
        judged = { verdict: "error", expected: expectedOf(p), observed: first ? observedOf(first) : {}, reason: `check threw: ${errorMessage(err)}` };
      }
      if (judged.observation) observations.push(judged.observation);
      emit(caseOf(p, scenario, spec, judged, performance.now() - start));
      start = performance.now();
    }
  } finally {
    const failures = scope.releaseAll();
    for (const f of failures) {
      observations.push({ id: `${spec.name}.${scenario.id}.cleanup`, title: `cleanup of ${scenario.id}`, text: `release failed: ${errorMessage(f)}` });
    }
  }
}

