// SPDX-License-Identifier: GPL-2.0-only
// Accounts for every item of the spec: which cases checked it, or why none
// could (not observable from user space, needs another environment, or no
// scenario creates its condition yet). An item is "covered" only when a case
// that ran derived its expectation from the item's content; an item checks
// only name is "bound-unchecked". Nothing in the spec is dropped silently.
import type { Bound } from "../scenarios/target.js";
import type { Plan } from "./plan.js";
import type { CaseResult, CoverageRow } from "./results.js";

const key = (section: string, index: number): string => `${section}#${index}`;

interface Touch {
  /** Items the case names (about, candidates). */
  names: Bound[];
  /** Items whose content gave the case its expectation. */
  reads: Bound[];
}

function touched(plan: Plan): Map<string, Touch> {
  const byCase = new Map<string, Touch>();
  const bound = (r: { status: string; bound?: Bound } | undefined): Bound[] => (r?.status === "bound" && r.bound ? [r.bound] : []);
  for (const s of plan.scenarios) for (const c of s.checks) byCase.set(c.id, { names: [...bound(c.about), ...c.reads], reads: c.reads });
  for (const e of plan.environmentOnly) byCase.set(e.id, { names: bound(e.about), reads: bound(e.about) });
  return byCase;
}

export function coverageOf(plan: Plan, cases: CaseResult[]): CoverageRow[] {
  const byCase = touched(plan);
  const named = new Map<string, CaseResult[]>();
  const read = new Map<string, CaseResult[]>();
  const conditions = new Map<string, Set<number>>();
  const add = (m: Map<string, CaseResult[]>, k: string, c: CaseResult): void => void m.set(k, [...(m.get(k) ?? []), c]);
  for (const c of cases) {
    const touch = byCase.get(c.id);
    if (!touch) continue;
    for (const b of touch.names) {
      const k = key(b.item.section, b.item.index);
      add(named, k, c);
      if (b.condition && b.condition.index >= 0 && c.verdict !== "skip") conditions.set(k, (conditions.get(k) ?? new Set()).add(b.condition.index));
    }
    for (const b of touch.reads) add(read, key(b.item.section, b.item.index), c);
  }

  const rows: CoverageRow[] = plan.spec.contexts.map((ctx, index) => ({
    syscall: plan.label,
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
    const summary = item.errno && (item.section === "errors" || item.section === "claims") ? `${item.errno}: ${item.summary}` : item.summary;
    const base = { syscall: plan.label, section: item.section, index: item.index, summary, line: item.line };
    const namedBy = named.get(k) ?? [];
    const caseIds = [...new Set(namedBy.map((c) => c.id))];
    const sectionReason = plan.suite.unobservableSections[item.section];
    if (sectionReason) {
      rows.push({ ...base, status: "not-observable", caseIds, reason: sectionReason });
      continue;
    }
    if (namedBy.length === 0) {
      const why = item.section === "claims" ? "no check describes this sentence's condition" : "no scenario of the suite creates this item's condition";
      rows.push({ ...base, status: "not-covered", caseIds, reason: why });
      continue;
    }
    const readBy = (read.get(k) ?? []).filter((c) => c.verdict !== "skip");
    if (readBy.length === 0) {
      const ran = namedBy.filter((c) => c.verdict !== "skip");
      if (ran.length === 0 && (read.get(k) ?? []).length > 0) {
        rows.push({ ...base, status: "needs-environment", caseIds, reason: [...new Set(namedBy.map((c) => c.reason))].join("; ") });
      } else {
        const skipped = [...new Set(namedBy.filter((c) => c.verdict === "skip").map((c) => c.reason))];
        rows.push({ ...base, status: "bound-unchecked", caseIds, reason: `named by ${caseIds.length} case(s), but none reads what the item says${skipped.length ? ` (${skipped.join("; ")})` : ""}` });
      }
      continue;
    }
    let reason: string | undefined;
    // A claim's one condition is the words its errno is attached to, there to bind it: no list to exercise.
    if (item.conditions.length > 0 && item.section !== "claims") {
      const seen = conditions.get(k) ?? new Set<number>();
      const missing = item.conditions.map((_, i) => i).filter((i) => !seen.has(i));
      reason =
        `conditions exercised: ${[...seen].sort((a, b) => a - b).map((i) => `(${i + 1})`).join(" ") || "none by number"}` +
        (missing.length ? `; not exercised: ${missing.map((i) => `(${i + 1}) ${item.conditions[i]}`).join("; ")}` : "");
    }
    rows.push({ ...base, status: "covered", caseIds: [...new Set(readBy.map((c) => c.id))], ...(reason ? { reason } : {}) });
  }
  return rows;
}
