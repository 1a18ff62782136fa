// SPDX-License-Identifier: GPL-2.0-only
// Applies an expectations file to a run: a listed case that failed becomes
// xfail, a listed case that passed becomes xpass. Skips, errors and timeouts
// stay as they are: a harness error or a hang is never a known kernel
// deviation. Pure: returns a new results document with totals recomputed.
import { totalsOf } from "../run/verdicts.js";
import type { CaseResult, RunResults } from "../run/results.js";
import { conditionsHold, expectationFor, matchesCase, type Expectation, type Target } from "./expectations.js";

export interface GateOptions {
  /** Whether an xpass fails the gate. */
  strict: boolean;
  /** The expectations file as given by the user, recorded in results.gate. */
  file?: string;
}

export interface GateOutcome {
  results: RunResults;
  xfail: CaseResult[];
  xpass: CaseResult[];
  /** Entries whose key names no case of this run: stale or mistyped. */
  unmatched: Expectation[];
  /** Entries that name cases but whose conditions could not be decided on this target. */
  undecided: Array<{ expectation: Expectation; why: string }>;
}

/** The run as it was before any expectations file: xfail/xpass back to fail/pass. */
export function clearExpectations(results: RunResults): RunResults {
  const cases = results.cases.map((c) => {
    if (!c.expectedFailure) return c;
    const { expectedFailure, ...rest } = c;
    return { ...rest, verdict: expectedFailure.verdict };
  });
  const { gate: _gate, ...rest } = results;
  return { ...rest, cases, totals: totalsOf(cases) };
}

function rewrite(c: CaseResult, e: Expectation): CaseResult {
  if (c.verdict !== "fail" && c.verdict !== "pass") return c;
  return {
    ...c,
    verdict: c.verdict === "fail" ? "xfail" : "xpass",
    expectedFailure: { pattern: e.pattern, reason: e.reason, link: e.link, file: e.file, line: e.line, verdict: c.verdict },
  };
}

export function applyExpectations(results: RunResults, expectations: readonly Expectation[], target: Target, options: GateOptions): GateOutcome {
  const base = clearExpectations(results);
  const cases = base.cases.map((c) => {
    const e = expectationFor(expectations, c.id, target);
    return e ? rewrite(c, e) : c;
  });
  const unmatched = expectations.filter((e) => !base.cases.some((c) => matchesCase(e, c.id)));
  const undecided: GateOutcome["undecided"] = [];
  for (const e of expectations) {
    if (unmatched.includes(e)) continue;
    const { undecided: why } = conditionsHold(e, target);
    if (why) undecided.push({ expectation: e, why });
  }
  const gate = { ...(options.file !== undefined ? { expectations: options.file } : {}), strict: options.strict };
  return {
    results: { ...base, cases, totals: totalsOf(cases), gate },
    xfail: cases.filter((c) => c.verdict === "xfail"),
    xpass: cases.filter((c) => c.verdict === "xpass"),
    unmatched,
    undecided,
  };
}
