// SPDX-License-Identifier: GPL-2.0-only
// Generates the cases of a run: every check of every scenario of the suite,
// the checks generated for its baseline (return check-type, user pointers'
// flags) and the probe families made from the spec's parameters. Each check
// is bound, once and before anything runs, to the spec items it is about and
// to the items whose *content* gives its expectation, so a plan can be listed,
// inspected, and its coverage told honestly.
import type { Spec } from "../spec/model.js";
import { claimsMade, stateProbe, validityOf, type ItemClaim, type StateLookup } from "../scenarios/claims.js";
import { probeFamilies } from "../scenarios/probes/families.js";
import type { Check, EnvironmentOnly, Scenario, SyscallSuite, Target } from "../scenarios/scenario.js";
import { claimsOf, matches, resolveTarget, specItems, type Bound, type Resolution, type SpecItem } from "../scenarios/target.js";

export interface PlannedCheck {
  id: string;
  title: string;
  check: Check<unknown>;
  about: Resolution;
  /**
   * Items the expected call outcome is read from, all of which must hold: the
   * error block (or return) the check names, and any errno claim in prose that
   * describes the same condition. Empty for checks that judge no call outcome.
   */
  expectations: Resolution[];
  /** What the `about` param's text says of the scenario's value ("a value of 0 is always invalid"). */
  validity?: { valid: boolean; sentence: string };
  /** For precedence and race checks: each candidate's binding. */
  candidates?: Resolution[];
  /** For transitions: the probes observing the from: and to: states. */
  transition?: { from: StateLookup<unknown>; to: StateLookup<unknown>; fromText?: string; toText?: string };
  /** For claims checks: the claims the item makes that the suite's probes can check, each with its polarity. */
  claims?: ItemClaim<unknown>[];
  /** Bound items whose content this check's expectation is derived from: what makes an item "covered". */
  reads: Bound[];
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
  /** What case ids start with: the spec's name, or a name told apart from another spec of the same syscall. */
  label: string;
  suite: SyscallSuite;
  items: SpecItem[];
  scenarios: PlannedScenario[];
  environmentOnly: PlannedEnvironmentOnly[];
}

const OUTCOME_SECTIONS = new Set(["errors", "return", "claims"]);

const isOwnedBy = (claim: SpecItem, owner: SpecItem): boolean => claim.owner?.section === owner.section && claim.owner.index === owner.index;

/** Claims in prose that the call's success returns an errno-named value ("Returns -EINPROGRESS when ... successfully ..."). */
function successClaims(items: SpecItem[]): Resolution[] {
  return items
    .filter((i) => i.section === "claims" && /\breturn/i.test(i.summary) && /success/i.test(i.summary) && !/\berror|\bfail/i.test(i.summary))
    .map((item) => ({ status: "bound", bound: { item } }));
}

const bound = (rs: Array<Resolution | undefined>): Bound[] => rs.flatMap((r) => (r?.status === "bound" ? [r.bound] : []));

/** Checks every baseline gets: its return value, the return's check-type, each user pointer's flags. */
function withGeneratedChecks(spec: Spec, baseline: Scenario<unknown>): Scenario<unknown> {
  const has = (id: string): boolean => baseline.checks.some((c) => c.id === id);
  const generated: Check<unknown>[] = [];
  if (!has("returns-success")) generated.push({ kind: "outcome", id: "returns-success", title: `${spec.name}: the valid call returns the documented success value`, about: { section: "return" } });
  generated.push({ kind: "return-type", id: "return-check-type", title: `${spec.name}: the return behaves as its check-type says`, about: { section: "return" } });
  for (const p of spec.params) {
    if (p.type?.value !== "USER_PTR" && !p.flags.some((f) => f.value === "USER")) continue;
    generated.push({ kind: "param-flags", id: `${p.name}-direction`, title: `${spec.name}: ${p.name}'s memory is read or written as its flags say`, about: { section: "params", summary: new RegExp(`^${p.name}$`) }, param: p.name });
  }
  return { ...baseline, checks: [...baseline.checks, ...generated] };
}

/**
 * Plans the suite's cases for the spec. `label` prefixes the case ids: the
 * spec's name, unless a run holds two specs of one syscall (v5 and v4 of read).
 */
export function planCases(spec: Spec, suite: SyscallSuite, label = spec.name): Plan {
  const items = specItems(spec);
  const resolve = (t: Target): Resolution => resolveTarget(items, t);

  /** An outcome target: an error, the return or a claim itself, or the one errno the named item's prose claims. */
  const resolveOutcome = (t: Target, value?: string): Resolution => {
    const r = resolve(t);
    // A signal item that names its errno (error: -EINTR) documents the call's outcome itself.
    if (r.status !== "bound" || OUTCOME_SECTIONS.has(t.section) || (t.section === "signals" && r.bound.item.errno)) return r;
    const claims = claimsOf(items, r.bound.item).filter((c) => value === undefined || validityOf(c.summary, value) !== undefined || matches(c.summary, value));
    const errnos = [...new Set(claims.map((c) => c.errno))];
    if (errnos.length === 1) return { status: "bound", bound: { item: claims[0]! } };
    const what = `${t.section} "${r.bound.item.summary}" (line ${r.bound.item.line})`;
    return { status: "unresolved", reason: errnos.length === 0 ? `${what} names no errno in its text` : `${what} names ${errnos.join(", ")}: cannot tell which is about this condition` };
  };

  /**
   * A precedence candidate whose words name one sentence claiming several errnos ("returns ENOSPC or
   * E2BIG"), or an item whose prose claims several: each of those errnos is a documented outcome.
   */
  const everyClaimOf = (t: Target): Resolution[] | undefined => {
    const r = resolve(t);
    const claims =
      t.section === "claims"
        ? r.status === "bound"
          ? []
          : items.filter((i) => i.section === "claims" && (!t.text || matches(i.text, t.text)) && (!t.summary || matches(i.summary, t.summary)) && (!t.condition || matches(i.summary, t.condition)))
        : r.status === "bound" && !OUTCOME_SECTIONS.has(t.section)
          ? claimsOf(items, r.bound.item)
          : [];
    const sentences = new Set(claims.map((c) => `${c.file}:${c.summary}`));
    if (new Set(claims.map((c) => c.errno)).size < 2 || (t.section === "claims" && sentences.size !== 1)) return undefined;
    return claims.map((item) => ({ status: "bound", bound: { item } }));
  };

  const planCheck = (scenario: Scenario<unknown>, check: Check<unknown>): PlannedCheck => {
    const about = resolve(check.about);
    const planned: PlannedCheck = { id: `${label}.${scenario.id}.${check.id}`, title: check.title, check, about, expectations: [], reads: [] };
    const aboutItem = about.status === "bound" ? about.bound.item : undefined;
    switch (check.kind) {
      case "outcome": {
        const named = check.expectFrom ? resolveOutcome(check.expectFrom, check.value) : resolveOutcome(check.about, check.value);
        const primary = named.status === "unresolved" && check.otherwise ? resolveOutcome(check.otherwise) : named;
        // Claims in the about item's prose that speak of this value describe the same condition.
        const extra =
          aboutItem?.section === "return" && !check.expectFrom
            ? successClaims(items)
            : check.expectFrom && aboutItem && check.value !== undefined
            ? claimsOf(items, aboutItem)
                .filter((c) => matches(c.summary, check.value!) || validityOf(c.summary, check.value!) !== undefined)
                .filter((c) => primary.status !== "bound" || primary.bound.item !== c)
                .map((c): Resolution => ({ status: "bound", bound: { item: c } }))
            : [];
        planned.expectations = [primary, ...extra];
        if (aboutItem && check.value !== undefined) {
          const validity = validityOf(aboutItem.fields?.constraint ?? aboutItem.text, check.value);
          if (validity) planned.validity = validity;
        }
        const readsAbout = planned.validity !== undefined || bound(planned.expectations).some((b) => b.item === aboutItem);
        planned.reads = [...bound(planned.expectations), ...(readsAbout && about.status === "bound" ? [about.bound] : [])];
        break;
      }
      case "again":
        planned.expectations = [resolveOutcome(check.expectFrom)];
        planned.reads = bound(planned.expectations);
        break;
      case "precedence":
        planned.candidates = check.candidates.flatMap((c) => everyClaimOf(c) ?? [resolveOutcome(c)]);
        planned.reads = bound(planned.candidates);
        break;
      case "race":
        planned.candidates = Object.values(check.outcomes).map((c) => resolveOutcome(c));
        planned.reads = bound(planned.candidates);
        break;
      case "transition": {
        const fields = aboutItem?.fields ?? {};
        planned.transition = { from: stateProbe(check.model, fields.from, "from"), to: stateProbe(check.model, fields.to, "to"), fromText: fields.from, toText: fields.to };
        if (about.status === "bound" && planned.transition.from.status === "found" && planned.transition.to.status === "found") planned.reads = [about.bound];
        break;
      }
      case "claims": {
        // A side effect's desc and condition; any other item's whole text.
        const fields = aboutItem?.fields;
        const prose = fields?.desc !== undefined ? [fields.desc, fields.condition].filter(Boolean).join(". ") : aboutItem?.text;
        planned.claims = prose ? claimsMade(prose, check.probes) : [];
        if (about.status === "bound" && planned.claims.length > 0) planned.reads = [about.bound];
        break;
      }
      case "return-type":
        if (about.status === "bound" && aboutItem?.fields?.checkType) planned.reads = [about.bound];
        break;
      case "param-flags":
        if (about.status === "bound" && aboutItem?.fields?.flags) planned.reads = [about.bound];
        break;
    }
    // A claim read from the about item's own prose is a reading of that item.
    if (about.status === "bound" && !planned.reads.includes(about.bound) && planned.reads.some((b) => isOwnedBy(b.item, about.bound.item))) planned.reads.push(about.bound);
    return planned;
  };

  const plan = (scenario: Scenario<unknown>, generated: boolean): PlannedScenario => {
    if (scenario.checks.length === 0) throw new Error(`scenario ${scenario.id} of the ${spec.name} suite has no checks`);
    return { scenario, generated, checks: scenario.checks.map((c) => planCheck(scenario, c)) };
  };
  const baseline = suite.baseline ? withGeneratedChecks(spec, suite.baseline) : undefined;
  const probes = suite.baseline ? probeFamilies(spec, items, suite.baseline) : [];
  const scenarios = [...probes.map((s) => plan(s, true)), ...(baseline ? [plan(baseline, false)] : []), ...suite.scenarios.map((s) => plan(s, false))];
  const ids = new Set<string>();
  for (const c of scenarios.flatMap((s) => s.checks)) {
    if (ids.has(c.id)) throw new Error(`duplicate case id ${c.id} in the ${spec.name} suite`);
    ids.add(c.id);
  }
  return {
    spec,
    label,
    suite,
    items,
    scenarios,
    environmentOnly: suite.environmentOnly.map((entry) => ({ id: `${label}.${entry.id}`, entry, about: resolve(entry.about) })),
  };
}

/** Number of cases the plan will report. */
export function caseCount(plan: Plan): number {
  return plan.scenarios.reduce((n, s) => n + s.checks.length, 0) + plan.environmentOnly.length;
}
