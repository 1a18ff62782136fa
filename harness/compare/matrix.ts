// SPDX-License-Identifier: GPL-2.0-only
// Cases by kernel: one row per case id, one column per run (its kernel
// release), the verdict and what the kernel returned in each cell. Rows
// where the kernels disagree come first: they are why one compares.
import type { RunResults, Verdict } from "../run/results.js";

export interface MatrixInput {
  /** Where the results came from, to tell runs of one release apart. */
  source: string;
  results: RunResults;
}

export interface Column {
  /** The kernel release, with the source added when two runs share a release. */
  label: string;
  release: string;
  source: string;
  totals: Record<Verdict, number>;
}

export interface Cell {
  verdict: Verdict;
  /** What the kernel returned: "-1 EINVAL", "-115", ... */
  observed?: string;
  reason?: string;
}

export interface Row {
  id: string;
  title: string;
  /** The spec item the case checks, as "section[index] summary". */
  item: string;
  /** One per column; undefined when that run has no such case. */
  cells: Array<Cell | undefined>;
  /** Verdicts differ between runs, or a run lacks the case. */
  differs: boolean;
}

export interface Matrix {
  spec: string;
  columns: Column[];
  rows: Row[];
  differing: number;
}

function observedText(o: { ret?: string; errno?: string }): string | undefined {
  if (o.ret === undefined && o.errno === undefined) return undefined;
  return [o.ret, o.errno].filter((p) => p !== undefined).join(" ");
}

export function buildMatrix(inputs: MatrixInput[]): Matrix {
  const releases = inputs.map((i) => i.results.kernel.release);
  const columns = inputs.map((i): Column => {
    const release = i.results.kernel.release;
    const shared = releases.filter((r) => r === release).length > 1;
    return { label: shared ? `${release} (${i.source})` : release, release, source: i.source, totals: i.results.totals };
  });
  const order: string[] = [];
  const meta = new Map<string, { title: string; item: string }>();
  for (const input of inputs) {
    for (const c of input.results.cases) {
      if (meta.has(c.id)) continue;
      order.push(c.id);
      meta.set(c.id, { title: c.title, item: `${c.specRef.section}[${c.specRef.index}] ${c.specRef.summary}` });
    }
  }
  const byRun = inputs.map((i) => new Map(i.results.cases.map((c) => [c.id, c])));
  const rows = order.map((id): Row => {
    const cells = byRun.map((cases): Cell | undefined => {
      const c = cases.get(id);
      if (!c) return undefined;
      const observed = observedText(c.observed);
      return { verdict: c.verdict, ...(observed ? { observed } : {}), ...(c.reason ? { reason: c.reason } : {}) };
    });
    const verdicts = new Set(cells.map((c) => c?.verdict ?? "absent"));
    const { title, item } = meta.get(id)!;
    return { id, title, item, cells, differs: verdicts.size > 1 };
  });
  // Stable: within each group the cases keep the order the suite ran them in.
  const sorted = [...rows.filter((r) => r.differs), ...rows.filter((r) => !r.differs)];
  return { spec: inputs[0]?.results.spec.name ?? "", columns, rows: sorted, differing: sorted.filter((r) => r.differs).length };
}

const mdEscape = (text: string) => text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

function mdCell(cell: Cell | undefined): string {
  if (!cell) return "—";
  return mdEscape(cell.observed ? `${cell.verdict} (${cell.observed})` : cell.verdict);
}

/** The matrix as a markdown document: totals per kernel, then the case table. */
export function renderMarkdown(m: Matrix): string {
  const lines: string[] = [];
  lines.push(`# ${m.spec} across ${m.columns.length} kernel${m.columns.length === 1 ? "" : "s"}`, "");
  lines.push(`${m.differing} of ${m.rows.length} cases differ between kernels${m.differing > 0 ? " (listed first, marked ≠)" : ""}.`, "");
  lines.push("| kernel | pass | fail | error | timeout | skip | from |", "| --- | --: | --: | --: | --: | --: | --- |");
  for (const c of m.columns) {
    const t = c.totals;
    lines.push(`| ${mdEscape(c.label)} | ${t.pass} | ${t.fail} | ${t.error} | ${t.timeout} | ${t.skip} | ${mdEscape(c.source)} |`);
  }
  lines.push("");
  lines.push(`|  | case | ${m.columns.map((c) => mdEscape(c.label)).join(" | ")} |`);
  lines.push(`| --- | --- | ${m.columns.map(() => "---").join(" | ")} |`);
  for (const r of m.rows) {
    lines.push(`| ${r.differs ? "≠" : ""} | ${mdEscape(r.id)} | ${r.cells.map(mdCell).join(" | ")} |`);
  }
  return lines.join("\n") + "\n";
}
