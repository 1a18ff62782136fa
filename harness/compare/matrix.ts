// SPDX-License-Identifier: GPL-2.0-only
// Cases by kernel: one row per case id, one column per run (its kernel
// release), the verdict and what the kernel returned in each cell. Rows
// where the kernels disagree come first: they are why one compares. Runs may
// hold several syscalls; a syscall one run lacks shows as absent cells.
import type { RunResults, Verdict } from "../run/results.js";
import { mdCell as mdText } from "../report/encode/markdown.js";
import { groupBySyscall } from "../report/groups.js";

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
  syscall: string;
  title: string;
  /** The spec item the case checks, as "section[index] summary". */
  item: string;
  /** One per column; undefined when that run has no such case. */
  cells: Array<Cell | undefined>;
  /** Verdicts differ between runs, or a run lacks the case. */
  differs: boolean;
}

export interface Matrix {
  /** The syscalls of all runs, in the order the runs hold them. */
  syscalls: string[];
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
  const meta = new Map<string, { title: string; item: string; syscall: string }>();
  const syscalls: string[] = [];
  for (const input of inputs) {
    for (const g of groupBySyscall(input.results)) if (!syscalls.includes(g.name)) syscalls.push(g.name);
    for (const c of input.results.cases) {
      if (meta.has(c.id)) continue;
      order.push(c.id);
      meta.set(c.id, { title: c.title, item: `${c.specRef.section}[${c.specRef.index}] ${c.specRef.summary}`, syscall: c.syscall });
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
    const { title, item, syscall } = meta.get(id)!;
    return { id, syscall, title, item, cells, differs: verdicts.size > 1 };
  });
  // Stable: differing rows first, then by syscall, each keeping the order the suite ran them in.
  const bySyscall = (list: Row[]) => syscalls.flatMap((s) => list.filter((r) => r.syscall === s));
  const sorted = [...bySyscall(rows.filter((r) => r.differs)), ...bySyscall(rows.filter((r) => !r.differs))];
  return { syscalls, columns, rows: sorted, differing: sorted.filter((r) => r.differs).length };
}

/** Syscalls every run holds; compare refuses runs with none in common (nothing to set side by side). */
export function sharedSyscalls(inputs: MatrixInput[]): string[] {
  const sets = inputs.map((i) => new Set(groupBySyscall(i.results).map((g) => g.name)));
  return [...(sets[0] ?? [])].filter((s) => sets.every((set) => set.has(s)));
}

/** The matrix's title: "io_cancel" or "io_cancel, open and 3 more". */
export function matrixTitle(m: Matrix): string {
  const shown = m.syscalls.slice(0, 4).join(", ");
  return m.syscalls.length > 4 ? `${shown} and ${m.syscalls.length - 4} more` : shown || "no syscall";
}

const mdEscape = mdText;

function mdCell(cell: Cell | undefined): string {
  if (!cell) return "—";
  return mdEscape(cell.observed ? `${cell.verdict} (${cell.observed})` : cell.verdict);
}

/** The matrix as a markdown document: totals per kernel, then the case table. */
export function renderMarkdown(m: Matrix): string {
  const lines: string[] = [];
  lines.push(`# ${mdEscape(matrixTitle(m))} across ${m.columns.length} kernel${m.columns.length === 1 ? "" : "s"}`, "");
  lines.push(`${m.differing} of ${m.rows.length} cases differ between kernels${m.differing > 0 ? " (listed first, marked ≠)" : ""}.`, "");
  if (m.syscalls.length > 1) {
    const per = m.syscalls.map((s) => {
      const rows = m.rows.filter((r) => r.syscall === s);
      return `${mdEscape(s)} ${rows.filter((r) => r.differs).length} of ${rows.length}`;
    });
    lines.push(`Differing by syscall: ${per.join("; ")}.`, "");
  }
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
