// SPDX-License-Identifier: GPL-2.0-only
// Accounts for every item of the spec: which cases checked it, or why none
// could (not observable from user space, needs another environment, or no
// scenario creates its condition yet). Nothing in the spec is dropped silently.
import type { Bound, Resolution } from "../scenarios/target.js";
import type { Plan } from "./plan.js";
import type { CaseResult, CoverageRow } from "./results.js";

const key = (section: string, index: number): string => `${section}#${index}`;

/** Bound items each case touches: what it is about, where its expectation comes from, its candidates. */
function touched(plan: Plan): Map<string, Bound[]> {
  const byCase = new Map<string, Bound[]>();
  const bound = (rs: Array<Resolution | undefined>): Bound[] => rs.flatMap((r) => (r?.status === "bound" ? [r.bound] : []));
  for (const s of plan.scenarios) for (const c of s.checks) byCase.set(c.id, bound([c.about, c.expectation, ...(c.candidates ?? [])]));
  for (const e of plan.environmentOnly) byCase.set(e.id, bound([e.about]));
  return byCase;
}

export function coverageOf(plan: Plan, cases: CaseResult[]): CoverageRow[] {
  const byCase = touched(plan);
  const casesByItem = new Map<string, CaseResult[]>();
  const conditionsByItem = new Map<string, Set<number>>();
  for (const c of cases) {
    for (const b of byCase.get(c.id) ?? []) {
      const k = key(b.item.section, b.item.index);
      casesByItem.set(k, [...(casesByItem.get(k) ?? []), c]);
      if (b.condition && c.verdict !== "skip") conditionsByItem.set(k, (conditionsByItem.get(k) ?? new Set()).add(b.condition.index));
    }
  }

  const rows: CoverageRow[] = plan.spec.contexts.map((ctx, index) => ({
    syscall: plan.spec.name,
    section: "contexts",
    index,
    summary: ctx.value,
    line: plan.spec.source.line,
    status: "not-observable",
    caseIds: [],
    reason: plan.suite.unobservableSections.contexts ?? "no scenario observes execution contexts",
  }));

  for (const item of plan.items) {
    const k = key(item.section, item.index);
    const base = { syscall: plan.spec.name, section: item.section, index: item.index, summary: item.errno && item.section === "errors" ? `${item.errno}: ${item.summary}` : item.summary, line: item.line };
    const sectionReason = plan.suite.unobservableSections[item.section];
    const itemCases = casesByItem.get(k) ?? [];
    const caseIds = [...new Set(itemCases.map((c) => c.id))];
    if (sectionReason) {
      rows.push({ ...base, status: "not-observable", caseIds, reason: sectionReason });
      continue;
    }
    if (itemCases.length === 0) {
      rows.push({ ...base, status: "not-covered", caseIds, reason: "no scenario of the suite creates this item's condition" });
      continue;
    }
    const ran = itemCases.filter((c) => c.verdict !== "skip");
    if (ran.length === 0) {
      rows.push({ ...base, status: "needs-environment", caseIds, reason: [...new Set(itemCases.map((c) => c.reason))].join("; ") });
      continue;
    }
    let reason: string | undefined;
    if (item.conditions.length > 0) {
      const seen = conditionsByItem.get(k) ?? new Set<number>();
      const missing = item.conditions.map((_, i) => i).filter((i) => !seen.has(i));
      reason = `conditions exercised: ${[...seen].sort((a, b) => a - b).map((i) => `(${i + 1})`).join(" ") || "none by number"}` +
        (missing.length ? `; not exercised: ${missing.map((i) => `(${i + 1}) ${item.conditions[i]}`).join("; ")}` : "");
    }
    rows.push({ ...base, status: "covered", caseIds, ...(reason ? { reason } : {}) });
  }
  return rows;
}
