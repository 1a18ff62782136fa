// SPDX-License-Identifier: GPL-2.0-only
// Groups cases by the spec item they check, in spec order: the unit KTAP nests
// subtests under and the summary tabulates.
import type { CaseResult } from "../run/results.js";

export interface ItemGroup {
  /** Slug-safe test name, e.g. "io_cancel.errors.2". */
  name: string;
  /** The item in words, e.g. "EINVAL: Invalid AIO context". */
  title: string;
  file: string;
  line: number;
  cases: CaseResult[];
}

export function groupBySpecItem(cases: CaseResult[]): ItemGroup[] {
  const groups = new Map<string, ItemGroup>();
  for (const c of cases) {
    const ref = c.specRef;
    const syscall = c.id.split(".")[0];
    const name = ref.index >= 0 ? `${syscall}.${ref.section}.${ref.index}` : `${syscall}.${ref.section}.unmatched`;
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
