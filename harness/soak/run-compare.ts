// SPDX-License-Identifier: GPL-2.0-only
// Comparing conformance runs by verdict per case id. Only verdicts count: the
// facts a case observes (the race's outcome counts, timings) vary by design.
import type { RunResults, Verdict } from "../run/results.js";

/** One run as the comparison sees it: the CLI's exit code and each case's verdict. */
export interface RunVerdicts {
  exitCode: number | null;
  verdicts: Map<string, { verdict: Verdict; reason?: string }>;
}

export function verdictsOf(results: RunResults, exitCode: number | null): RunVerdicts {
  const verdicts = new Map<string, { verdict: Verdict; reason?: string }>();
  for (const c of results.cases) verdicts.set(c.id, { verdict: c.verdict, ...(c.reason !== undefined ? { reason: c.reason } : {}) });
  return { exitCode, verdicts };
}

/** What differs in `other` from `first`, one line each; empty when the runs agree. */
export function differences(first: RunVerdicts, other: RunVerdicts): string[] {
  const out: string[] = [];
  if (first.exitCode !== other.exitCode) out.push(`exit code ${String(first.exitCode)} -> ${String(other.exitCode)}`);
  for (const [id, a] of first.verdicts) {
    const b = other.verdicts.get(id);
    if (!b) out.push(`${id}: ${a.verdict} -> missing`);
    else if (a.verdict !== b.verdict) out.push(`${id}: ${a.verdict} -> ${b.verdict}${b.reason ? ` (${b.reason})` : ""}`);
  }
  for (const [id, b] of other.verdicts) if (!first.verdicts.has(id)) out.push(`${id}: missing -> ${b.verdict}`);
  return out;
}
