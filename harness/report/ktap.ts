// SPDX-License-Identifier: GPL-2.0-only
// KTAP (Documentation/dev-tools/ktap.rst) as KUnit emits it, nested three
// deep: one top-level test per syscall, one subtest per spec item, the item's
// cases inside it, each level indented by four spaces; directives for skips
// and expected failures, and kselftest's "# Totals:" line. An unexpected pass
// is "ok # XPASS" as kselftest prints it, and "not ok" only when the gate is
// strict, so the KTAP agrees with the exit code. Every text from a spec, a
// results.json or the kernel goes through the KTAP encoder: one line, no "#"
// in a name or directive.
import type { CaseResult, CoverageRow, RunResults, Verdict } from "../run/results.js";
import { ktapName, ktapTestName, ktapText } from "./encode/ktap.js";
import { groupBySpecItem, groupBySyscall, type ItemGroup } from "./groups.js";

/** Directive text after " # " for a verdict, or undefined for a plain result. */
function directive(verdict: Verdict, reason?: string): string | undefined {
  const why = reason ? ` ${ktapName(reason)}` : "";
  switch (verdict) {
    case "skip":
      return `SKIP${why}`;
    case "xfail":
      return `XFAIL${why}`;
    case "xpass":
      return `XPASS${why}`;
    case "timeout":
      return `TIMEOUT${why}`;
    default:
      return undefined;
  }
}

const OK: Record<Verdict, boolean> = { pass: true, skip: true, xfail: true, fail: false, error: false, timeout: false, xpass: true };

/** Whether a verdict is "ok"; xpass is not when the gate is strict. */
export function isOk(verdict: Verdict, strict = false): boolean {
  return verdict === "xpass" ? !strict : OK[verdict];
}

function resultLine(n: number, name: string, verdict: Verdict, strict: boolean, reason?: string): string {
  const d = directive(verdict, reason);
  return `${isOk(verdict, strict) ? "ok" : "not ok"} ${n} ${ktapTestName(name)}${d ? ` # ${d}` : ""}`;
}

const diagnostic = (text: string): string => `# ${ktapText(text)}`;

function caseLines(c: CaseResult, n: number, strict: boolean): string[] {
  const lines: string[] = [];
  const known = c.expectedFailure;
  // Diagnostics go before the result line, as KUnit prints them.
  if (c.verdict === "fail" || c.verdict === "error" || c.verdict === "timeout" || c.verdict === "xfail") {
    if (c.call) lines.push(diagnostic(`${c.id}: call: ${c.call}`));
  }
  if (c.verdict === "fail" || c.verdict === "error") {
    if (c.reason) lines.push(diagnostic(`${c.id}: ${c.reason}`));
    if (c.verdict === "error") lines.push(diagnostic(`${c.id}: harness error, no verdict on the spec`));
  }
  if (c.verdict === "xfail" && known) lines.push(diagnostic(`${c.id}: expected failure (${known.file}:${known.line}, ${known.link})${c.reason ? `: ${c.reason}` : ""}`));
  if (c.verdict === "xpass" && known) lines.push(diagnostic(`${c.id}: listed as failing in ${known.file}:${known.line} (${known.link}) but it passed: the entry is stale`));
  const why = c.verdict === "fail" || c.verdict === "error" ? undefined : known && (c.verdict === "xfail" || c.verdict === "xpass") ? known.reason : c.reason;
  lines.push(resultLine(n, c.id, c.verdict, strict, why));
  // What varies behind a fixed reason (a path, a count) follows the result line, outside the name.
  if (c.detail) lines.push(diagnostic(`${c.id}: ${c.detail}`));
  return lines;
}

/** The verdict of a group of cases: any deviation fails it; all skipped skips it. */
export function casesVerdict(cases: CaseResult[], strict = false): Verdict {
  const verdicts = cases.map((c) => c.verdict);
  if (verdicts.some((v) => !isOk(v, strict))) return "fail";
  if (verdicts.every((v) => v === "skip")) return "skip";
  if (verdicts.every((v) => v === "xfail" || v === "skip")) return "xfail";
  return "pass";
}

/** The verdict of a spec item from its cases. */
export function groupVerdict(group: ItemGroup, strict = false): Verdict {
  return casesVerdict(group.cases, strict);
}

/** Items a check names but whose content no check reads: said in the KTAP, never a result. */
function uncheckedLines(rows: CoverageRow[]): string[] {
  return rows.filter((r) => r.status === "bound-unchecked").map((r) => diagnostic(`bound-unchecked: ${r.syscall}.${r.section}.${r.index} (line ${r.line}): ${r.summary}${r.reason ? `: ${r.reason}` : ""}`));
}

const indent = (lines: string[]): string[] => lines.map((l) => `    ${l}`);

export function renderKtap(results: RunResults): string {
  const strict = results.gate?.strict ?? false;
  const syscalls = groupBySyscall(results);
  const out: string[] = ["KTAP version 1", `1..${syscalls.length}`];
  const names = syscalls.map((s) => s.name).join(", ") || "no syscall";
  out.push(diagnostic(`kapi-conform ${results.tool.version}: ${names} on Linux ${results.kernel.release} ${results.kernel.machine}`));
  if (results.status !== "complete") out.push(diagnostic(`run status: ${results.status}: not a finished run`));
  for (const u of results.unsuited) out.push(diagnostic(`no suite: ${u.name} (${u.file}:${u.line}, ${u.items} items not checked)`));
  syscalls.forEach((s, si) => {
    const groups = groupBySpecItem(s.cases);
    // The plan right after the "# Subtest:" header: kunit_parser before 6.8 reads no plan otherwise.
    const inner: string[] = ["KTAP version 1", `# Subtest: ${ktapTestName(s.name)}`, `1..${groups.length}`];
    if (s.spec) inner.push(diagnostic(`${s.name} from ${s.spec.file}:${s.spec.line} (${s.spec.format}, ${s.spec.dialect} dialect)`));
    inner.push(...uncheckedLines(results.coverage.filter((r) => r.syscall === s.name)));
    groups.forEach((group, gi) => {
      const item = ["KTAP version 1", `# Subtest: ${ktapTestName(group.name)}`, `1..${group.cases.length}`, diagnostic(`${group.title} (${group.file}:${group.line})`)];
      group.cases.forEach((c, ci) => item.push(...caseLines(c, ci + 1, strict)));
      inner.push(...indent(item));
      const verdict = groupVerdict(group, strict);
      inner.push(resultLine(gi + 1, group.name, verdict, strict, verdict === "skip" ? "all cases skipped" : undefined));
    });
    out.push(...indent(inner));
    const verdict = s.cases.length === 0 ? "skip" : casesVerdict(s.cases, strict);
    out.push(resultLine(si + 1, s.name, verdict, strict, verdict === "skip" ? (s.cases.length === 0 ? "no cases" : "all cases skipped") : undefined));
  });
  for (const o of results.observations) out.push(diagnostic(`observation ${o.id}: ${o.text}`));
  const t = results.totals;
  out.push(`# Totals: pass:${t.pass} fail:${t.fail} xfail:${t.xfail} xpass:${t.xpass} skip:${t.skip} error:${t.error + t.timeout}`);
  return out.join("\n") + "\n";
}
