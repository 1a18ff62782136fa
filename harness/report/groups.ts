// SPDX-License-Identifier: GPL-2.0-only
// Groups cases by syscall (in run order) and by the spec item they check (in
// spec order): the units KTAP nests subtests under and the summary tabulates.
import type { CaseResult, RunResults, SpecRun } from "../run/results.js";

export interface ItemGroup {
  /** Slug-safe test name, e.g. "io_cancel.errors.2". */
  name: string;
  /** The item in words, e.g. "EINVAL: Invalid AIO context". */
  title: string;
  file: string;
  line: number;
  cases: CaseResult[];
}

export interface SyscallGroup {
  name: string;
  /** The spec that was run; absent for cases of a syscall results.specs does not list. */
  spec?: SpecRun;
  cases: CaseResult[];
}

export function groupBySpecItem(cases: CaseResult[]): ItemGroup[] {
  const groups = new Map<string, ItemGroup>();
  for (const c of cases) {
    const ref = c.specRef;
    const name = ref.index >= 0 ? `${c.syscall}.${ref.section}.${ref.index}` : `${c.syscall}.${ref.section}.unmatched`;
    let group = groups.get(name);
    if (!group) {
      const title = ref.errno && ref.section === "errors" ? `${ref.errno}: ${ref.summary}` : `${ref.section}: ${ref.summary}`;
      group = { name, title, file: ref.file, line: ref.line, cases: [] };
      groups.set(name, group);
    }
    group.cases.push(c);
  }
  return [...groups.values()].sort((a, b) => a.line - b.line || a.name.localeCompare(b.name));
}

/** One group per spec run, in run order, then any syscall only the cases name. */
export function groupBySyscall(results: Pick<RunResults, "specs" | "cases">): SyscallGroup[] {
  const groups = new Map<string, SyscallGroup>();
  for (const spec of results.specs) if (!groups.has(spec.name)) groups.set(spec.name, { name: spec.name, spec, cases: [] });
  for (const c of results.cases) {
    let g = groups.get(c.syscall);
    if (!g) groups.set(c.syscall, (g = { name: c.syscall, cases: [] }));
    g.cases.push(c);
  }
  return [...groups.values()];
}
