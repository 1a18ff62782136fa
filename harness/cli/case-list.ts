// SPDX-License-Identifier: GPL-2.0-only
// `run --list`: the cases a run would report, one a line: the case id, a tab,
// and the spec items it checks (and expects from, when another). Made from the
// plan alone: no kernel call, no reports directory.
import type { Plan, PlannedCheck } from "../run/plan.js";
import { describeBound, type Resolution } from "../scenarios/target.js";

const item = (r: Resolution): string => (r.status === "bound" ? describeBound(r.bound) : `(no matching spec item: ${r.reason})`);

function itemsOf(check: PlannedCheck): string {
  const parts = [item(check.about)];
  const sameAsAbout = (r: Resolution): boolean => r.status === "bound" && check.about.status === "bound" && r.bound.item === check.about.bound.item;
  const others = check.expectations.filter((r) => !sameAsAbout(r));
  if (others.length) parts.push(`expects from ${others.map(item).join(" and ")}`);
  if (check.candidates?.length) parts.push(`one of: ${check.candidates.map(item).join("; ")}`);
  return parts.join("; ");
}

export function renderCaseList(plan: Plan): string {
  const lines = [
    ...plan.scenarios.flatMap((s) => s.checks.map((c) => `${c.id}\t${itemsOf(c)}`)),
    ...plan.environmentOnly.map((e) => `${e.id}\t${item(e.about)}; needs another environment (skipped here)`),
  ];
  return lines.map((l) => l + "\n").join("");
}
