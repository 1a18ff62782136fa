// SPDX-License-Identifier: GPL-2.0-only
// Verdict arithmetic shared by run, report and the gate: totals and the
// kselftest exit code. Kept apart from the runner so that rebuilding reports
// from a saved results.json does not load the kernel layer.
import type { RunResults, Verdict } from "./results.js";

export const VERDICTS: Verdict[] = ["pass", "fail", "skip", "error", "timeout", "xfail", "xpass"];

export function totalsOf(cases: { verdict: Verdict }[]): Record<Verdict, number> {
  const totals = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const c of cases) totals[c.verdict] += 1;
  return totals;
}

/**
 * kselftest exit codes: 0 all conform (skips and expected failures allowed),
 * 1 any deviation (and an unexpected pass when strict), 4 everything skipped
 * or nothing to run (no spec of the input had a suite). A run that did not
 * finish (status "running" or "interrupted") never passes the gate: what it
 * did not run cannot be taken for conforming, so it is 1 at least.
 * `strict` defaults to what results.gate recorded.
 */
export function exitCodeOf(results: RunResults, options: { strict?: boolean } = {}): number {
  const t = results.totals;
  const strict = options.strict ?? results.gate?.strict ?? false;
  if (t.fail + t.error + t.timeout > 0) return 1;
  if (results.status !== "complete") return 1;
  if (strict && t.xpass > 0) return 1;
  if (results.cases.length > 0 && t.skip === results.cases.length) return 4;
  if (results.cases.length === 0 && results.unsuited.length > 0) return 4;
  return 0;
}
