// SPDX-License-Identifier: GPL-2.0-only
// Runs one planned scenario in this process: check its requirements, set up
// fresh resources, make the call the scenario describes, judge each check
// against what its spec items say, then release every resource whatever
// happened. A transition check gets instances of its own: the `from` state is
// observed on a twin made by the same setup, the `to` state after the call.
import { performance } from "node:perf_hooks";
import { asUser, lookupUser } from "../kernel/credentials.js";
import { ResourceScope } from "../kernel/scope.js";
import type { SyscallResult } from "../kernel/syscall.js";
import { errnoNumber } from "../kernel/errno.js";
import type { Spec } from "../spec/model.js";
import { ResourceUnavailable } from "../scenarios/errors.js";
import type { Check, RaceCheck, Scenario, ScenarioContext, StateProbe } from "../scenarios/scenario.js";
import { describeBound, type Bound, type Resolution } from "../scenarios/target.js";
import { issueCall, type IssuedCall } from "./call.js";
import type { Environment } from "./environment.js";
import { describeResult, expectedFrom, judgeOutcome, observedOf, undocumented } from "./expectation.js";
import type { Plan, PlannedCheck, PlannedScenario } from "./plan.js";
import { judgeParamFlags, judgeReturnType } from "./judge-call.js";
import type { CaseResult, Expected, Observation, Observed, SpecRef, Verdict } from "./results.js";

export function specRefOf(resolution: Resolution, fallback: { section: string; spec: Spec; text: string }): SpecRef {
  if (resolution.status === "bound") {
    const { item } = resolution.bound;
    return { section: item.section, index: item.index, summary: item.summary, ...(item.errno ? { errno: item.errno } : {}), file: item.file, line: item.line };
  }
  return { section: fallback.section, index: -1, summary: `(no matching item) ${fallback.text}`, file: fallback.spec.source.file, line: fallback.spec.source.line };
}

/** "Name: message" of a thrown value, for reasons in reports. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Why a scenario could not get as far as its call: a skip (a resource the machine lacks) or an error. */
function setupFailure(err: unknown): { verdict: Verdict; reason: string; detail?: string } {
  if (err instanceof ResourceUnavailable) return { verdict: "skip", reason: err.reason, ...(err.detail ? { detail: err.detail } : {}) };
  return { verdict: "error", reason: `setup failed: ${errorMessage(err)}` };
}

export interface Judged {
  verdict: Verdict;
  expected: Expected;
  observed: Observed;
  reason?: string;
  detail?: string;
  call?: string;
  observation?: Observation;
}

const bound = (rs: Resolution[]): Bound[] => rs.flatMap((r) => (r.status === "bound" ? [r.bound] : []));

/** What a planned check expects, for cases that end before their check runs. */
export function expectedOfPlanned(spec: Spec, p: PlannedCheck): Expected {
  const [first] = bound(p.expectations);
  if (p.check.kind === "outcome" && p.validity?.valid) {
    const success = spec.return?.success;
    return { outcome: "success", ...(success ? { success: success.raw } : {}), text: `accepted: "${p.validity.sentence}"` };
  }
  return first ? expectedFrom(first, spec) : { outcome: "observation", text: p.title };
}

/** The call's result against every item that documents its outcome; the first that disagrees fails the case. */
function judgeCallOutcome(plan: Plan, planned: PlannedCheck, result: SyscallResult, call: string): Judged {
  const { spec } = plan;
  const observed = observedOf(result);
  const expected = expectedOfPlanned(spec, planned);
  const fail = (reason: string): Judged => ({ verdict: "fail", expected, observed, reason: `${call}: ${reason}`, call });
  if (planned.validity?.valid) {
    const ret = plan.items.find((i) => i.section === "return");
    if (!ret) return fail(`the param's text says "${planned.validity.sentence}", and the spec has no return to compare with; observed ${describeResult(result)}`);
    const judged = judgeOutcome({ item: ret }, spec, result);
    return judged.ok ? { verdict: "pass", expected, observed, call } : fail(`the param's text says "${planned.validity.sentence}" (accepted): ${judged.reason}`);
  }
  for (const r of planned.expectations) {
    if (r.status === "unresolved") {
      const closed = undocumented(result, spec);
      return fail(`the spec documents no outcome for this condition (${r.reason}); observed ${describeResult(result)}${closed ? `; ${closed}` : ""}`);
    }
    const judged = judgeOutcome(r.bound, spec, result);
    if (!judged.ok) return fail(judged.reason!);
  }
  return { verdict: "pass", expected, observed, call };
}

function precedence(spec: Spec, planned: PlannedCheck, result: SyscallResult, call: string): Judged {
  const observed = observedOf(result);
  const candidates = planned.candidates ?? [];
  const found = bound(candidates);
  const missing = candidates.flatMap((r) => (r.status === "unresolved" ? [r.reason] : []));
  const expected: Expected = { outcome: "error", text: `one of: ${[...found.map(describeBound), ...missing.map((m) => `(${m})`)].join("; ")}` };
  const closed = undocumented(result, spec);
  if (closed) return { verdict: "fail", expected, observed, call, reason: `${call}: ${missing.length ? `${closed}; ${missing.join("; ")}` : closed}` };
  const chosen = found.filter((b) => b.item.errno !== undefined && b.item.errno === result.errno);
  if (chosen.length === 0) return { verdict: "fail", expected, observed, call, reason: `${call}: expected ${expected.text}, observed ${describeResult(result)}` };
  const text =
    chosen.length === 1
      ? `the kernel reported ${result.errno}: ${describeBound(chosen[0]!)} takes precedence`
      : `the kernel reported ${result.errno}, which ${chosen.length} candidates share; precedence cannot be told apart`;
  return { verdict: "pass", expected, observed, call, observation: { id: planned.id, title: planned.title, text } };
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
  if (unresolved?.status === "unresolved") return { verdict: "fail", expected, observed: {}, reason: `the spec documents no outcome for part of this race: ${unresolved.reason}` };
  const outcomes = bound(resolutions);
  const classify = (result: SyscallResult): string | undefined => keys.find((_, i) => judgeOutcome(outcomes[i]!, spec, result).ok);
  const seen = await check.observe(state, classify);
  const counts = keys.map((k) => `${k} ${seen.counts[k] ?? 0}`).join(", ");
  const observed: Observed = { facts: { iterations: seen.iterations, ...Object.fromEntries(Object.entries(seen.counts)), ...seen.facts } };
  const observation: Observation = { id: planned.id, title: planned.title, text: `${seen.iterations} iterations: ${counts}${seen.counts.unexpected ? `, unexpected ${seen.counts.unexpected}` : ""}; ${seen.detail}` };
  const judged = (verdict: Verdict, reason?: string, detail?: string): Judged => ({ verdict, expected, observed, observation, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}) });
  if (seen.unexpected.length > 0) return judged("fail", `${seen.counts.unexpected ?? seen.unexpected.length} of ${seen.iterations} iterations ended outside the documented outcomes (${described.join("; ")}); first: ${seen.unexpected.join("; ")}`);
  if (!seen.holds) return judged("fail", `${check.claim}: ${seen.detail}`);
  const missing = keys.filter((k) => !seen.counts[k]);
  if (missing.length > 0) return judged("skip", `race not exercised: an outcome never occurred; try run --stress N`, `${missing.join(", ")} never occurred in ${seen.iterations} iterations (${counts})`);
  return judged("pass");
}

/** The errno names a sentence mentions ("returns -EINTR or -ERESTARTSYS"), in order, each once. */
function errnosNamed(sentence: string): string[] {
  return [...new Set(sentence.match(/\bE[A-Z0-9]{2,}\b/g) ?? [])].filter((name) => errnoNumber(name) !== undefined);
}

async function claims(planned: PlannedCheck, state: unknown, first: SyscallResult, call: string): Promise<Judged> {
  const claims = planned.claims ?? [];
  const item = planned.about.status === "bound" ? describeBound(planned.about.bound) : "";
  const expected: Expected = { outcome: "observation", text: claims.map((c) => `${c.expected ? "" : "not: "}${c.probe.claim}`).join("; ") || planned.title };
  if (claims.length === 0) {
    const known = planned.check.kind === "claims" ? planned.check.probes.map((p) => p.claim).join("; ") : "";
    return { verdict: "skip", expected, observed: {}, call, reason: "bound, content not checked: the item makes no claim the suite can observe", detail: `${item}; observable claims: ${known}` };
  }
  const facts: Record<string, string | number | boolean> = {};
  const wrong: string[] = [];
  for (const c of claims) {
    const seen = await c.probe.observe(state, first, { sentence: c.sentence, errnos: errnosNamed(c.sentence) });
    Object.assign(facts, seen.facts);
    if (seen.holds !== c.expected) wrong.push(`the spec says "${c.sentence}" (${c.expected ? "" : "not: "}${c.probe.claim}); observed: ${seen.detail}`);
  }
  if (wrong.length === 0) return { verdict: "pass", expected, observed: { facts }, call };
  return { verdict: "fail", expected, observed: { facts }, call, reason: `${call}: per ${item}: ${wrong.join("; ")}` };
}

async function observeState(probe: StateProbe<unknown>, state: unknown, label: string, text: string | undefined) {
  const seen = await probe.observe(state);
  return { holds: seen.holds, facts: Object.fromEntries(Object.entries(seen.facts).map(([k, v]) => [`${label}.${k}`, v])), text: `${label} "${text}" (${probe.how}): ${seen.detail}` };
}

/** from: observed on a twin before any call, to: after the call on a fresh instance. */
async function transition(plan: Plan, planned: PlannedCheck, scenario: Scenario<unknown>, ctx: Omit<ScenarioContext, "scope">): Promise<Judged> {
  const t = planned.transition!;
  const item = planned.about.status === "bound" ? describeBound(planned.about.bound) : "";
  const expected: Expected = { outcome: "observation", text: `${t.fromText ?? "?"} -> ${t.toText ?? "?"}` };
  const { from, to } = t;
  if (from.status !== "found" || to.status !== "found") {
    const why = [from, to].flatMap((l) => (l.status === "unobservable" ? [l.reason] : []));
    return { verdict: "skip", expected, observed: {}, reason: "not observable: no probe for a state of this transition", detail: `${item}: ${why.join("; ")}` };
  }
  const before = await withInstance(scenario, ctx, (state) => observeState(from.probe, state, "from", t.fromText));
  const after = await withInstance(scenario, ctx, async (state) => {
    const issued = issue(plan.spec, scenario, state);
    return { issued, seen: await observeState(to.probe, state, "to", t.toText) };
  });
  const observed: Observed = { ...(after.issued ? observedOf(after.issued.result) : {}), facts: { ...before.facts, ...after.seen.facts } };
  const call = after.issued?.text;
  if (before.holds && after.seen.holds) return { verdict: "pass", expected, observed, ...(call ? { call } : {}) };
  const wrong = [before.holds ? undefined : `before the call (on a twin) ${before.text}`, after.seen.holds ? undefined : `after the call ${after.seen.text}`].filter(Boolean);
  return { verdict: "fail", expected, observed, ...(call ? { call } : {}), reason: `${call ? `${call}: ` : ""}per ${item}: ${wrong.join("; ")}` };
}

/** Runs `fn` on a fresh instance of the scenario, then releases it (release failures are thrown). */
async function withInstance<T>(scenario: Scenario<unknown>, ctx: Omit<ScenarioContext, "scope">, fn: (state: unknown) => Promise<T>): Promise<T> {
  const scope = new ResourceScope();
  try {
    return await fn(await scenario.setup({ ...ctx, scope }));
  } finally {
    const failures = scope.releaseAll();
    if (failures.length > 0) throw new Error(`release failed: ${failures.map(errorMessage).join("; ")}`);
  }
}

function issue(spec: Spec, scenario: Scenario<unknown>, state: unknown): IssuedCall | undefined {
  if (!scenario.args) return undefined;
  const args = scenario.args(state);
  if (!scenario.as) return issueCall(spec, args);
  const user = lookupUser(scenario.as);
  if (!user) throw new Error(`no user ${scenario.as} in /etc/passwd`);
  const issued = asUser(user, () => issueCall(spec, args));
  return { ...issued, text: `${issued.text} as ${user.name}` };
}

/** A scenario that acts as another user needs root and that user. */
function unprivilegedUnmet(scenario: Scenario<unknown>): { reason: string; detail?: string } | undefined {
  if (!scenario.as) return undefined;
  if (process.geteuid?.() !== 0) return { reason: `acting as ${scenario.as} needs root`, detail: `euid ${process.geteuid?.()}` };
  if (!lookupUser(scenario.as)) return { reason: `no user ${scenario.as} on this machine`, detail: "/etc/passwd" };
  return undefined;
}

/**
 * Whether a check still judges when the item it is about is not in the spec:
 * an outcome with nothing documenting it fails as undocumented; one read from
 * another item would say nothing about the missing one, so it skips.
 */
function judgesWithoutAbout(planned: PlannedCheck): boolean {
  const { kind } = planned.check;
  return kind === "precedence" || ((kind === "outcome" || kind === "again") && bound(planned.expectations).length === 0);
}

async function judgeCheck(plan: Plan, planned: PlannedCheck, scenario: Scenario<unknown>, ctx: Omit<ScenarioContext, "scope">, state: unknown, issued: IssuedCall | undefined): Promise<Judged> {
  const { check } = planned;
  const { spec } = plan;
  if (planned.about.status !== "bound" && !judgesWithoutAbout(planned)) {
    return { verdict: "skip", expected: expectedOfPlanned(spec, planned), observed: issued ? observedOf(issued.result) : {}, reason: "nothing to check: the item is not in the spec", detail: planned.about.reason };
  }
  if (check.kind === "race") return race(spec, planned, check, state);
  if (check.kind === "transition") return transition(plan, planned, scenario, ctx);
  if (issued === undefined) throw new Error(`check ${planned.id} needs the scenario's call, and the scenario defines none`);
  return judgeAfterCall(plan, planned, check, state, issued);
}

async function judgeAfterCall(plan: Plan, planned: PlannedCheck, check: Check<unknown>, state: unknown, issued: IssuedCall): Promise<Judged> {
  const { spec } = plan;
  switch (check.kind) {
    case "outcome":
      return judgeCallOutcome(plan, planned, issued.result, issued.text);
    case "precedence":
      return precedence(spec, planned, issued.result, issued.text);
    case "again": {
      await check.before?.(state);
      const again = issueCall(spec, check.args(state));
      const judged = judgeCallOutcome(plan, planned, again.result, again.text);
      return { ...judged, expected: { ...judged.expected, text: check.call } };
    }
    case "claims":
      return claims(planned, state, issued.result, issued.text);
    case "return-type":
      return judgeReturnType(plan, planned, issued);
    case "param-flags":
      return judgeParamFlags(plan, planned, check.param, issued);
    case "race":
    case "transition":
      throw new Error(`unreachable: ${check.kind} checks are judged before the call`);
  }
}

export function caseOf(planned: PlannedCheck, scenario: Scenario<unknown>, plan: Pick<Plan, "spec" | "label">, judged: Omit<Judged, "observation">, durationMs: number): CaseResult {
  const ref = specRefOf(planned.about, { section: planned.check.about.section, spec: plan.spec, text: planned.title });
  return {
    id: planned.id,
    syscall: plan.label,
    title: planned.title,
    scenario: scenario.condition,
    specRef: ref,
    verdict: judged.verdict,
    expected: judged.expected,
    observed: judged.observed,
    ...(judged.reason ? { reason: judged.reason } : {}),
    ...(judged.detail ? { detail: judged.detail } : {}),
    ...(judged.call ? { call: judged.call } : {}),
    durationMs: Math.round(durationMs * 1000) / 1000,
  };
}

export async function runScenario(plan: Plan, planned: PlannedScenario, env: Environment, iterations: number, emit: (c: CaseResult) => void, observations: Observation[]): Promise<void> {
  const { scenario } = planned;
  const { spec } = plan;
  const allAs = (verdict: Verdict, reason: string, detail?: string): void => {
    for (const p of planned.checks) emit(caseOf(p, scenario, plan, { verdict, expected: expectedOfPlanned(spec, p), observed: {}, reason, ...(detail ? { detail } : {}) }, 0));
  };

  const unmet = unprivilegedUnmet(scenario) ?? (scenario.requires ?? []).map((r) => r.unmet(env)).find((r) => r !== undefined);
  if (unmet) return allAs("skip", unmet.reason, unmet.detail);

  const ctx = { env, iterations, spec };
  const scope = new ResourceScope();
  try {
    let start = performance.now();
    let state: unknown;
    try {
      state = await scenario.setup({ ...ctx, scope });
    } catch (err) {
      const failure = setupFailure(err);
      return allAs(failure.verdict, failure.reason, failure.detail);
    }
    let issued: IssuedCall | undefined;
    try {
      issued = issue(spec, scenario, state);
    } catch (err) {
      return allAs("error", `the call under test could not be made: ${errorMessage(err)}`);
    }
    try {
      scenario.afterCall?.(state);
    } catch (err) {
      const failure = setupFailure(err);
      return allAs(failure.verdict, failure.reason, failure.detail);
    }
    for (const p of planned.checks) {
      let judged: Judged;
      try {
        judged = await judgeCheck(plan, p, scenario, ctx, state, issued);
      } catch (err) {
        const failure = setupFailure(err);
        judged = { ...failure, verdict: failure.verdict === "skip" ? "skip" : "error", expected: expectedOfPlanned(spec, p), observed: issued ? observedOf(issued.result) : {}, reason: failure.verdict === "skip" ? failure.reason : `check threw: ${errorMessage(err)}` };
      }
      if (judged.observation) observations.push(judged.observation);
      emit(caseOf(p, scenario, plan, judged, performance.now() - start));
      start = performance.now();
    }
  } finally {
    const failures = scope.releaseAll();
    for (const f of failures) observations.push({ id: `${spec.name}.${scenario.id}.cleanup`, title: `cleanup of ${scenario.id}`, text: `release failed: ${errorMessage(f)}` });
  }
}
