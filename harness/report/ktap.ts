// SPDX-License-Identifier: GPL-2.0-only
// KTAP (Documentation/dev-tools/ktap.rst) as KUnit emits it: one top-level
// test per spec item, its cases as a nested subtest indented by four spaces,
// directives for skips and expected failures, and kselftest's "# Totals:" line.
// An unexpected pass is "ok # XPASS" as kselftest prints it, and "not ok"
// only when the gate is strict, so the KTAP agrees with the exit code.
import type { CaseResult, RunResults, Verdict } from "../run/results.js";
import { groupBySpecItem, type ItemGroup } from "./groups.js";

/** Directive text after " # " for a verdict, or undefined for a plain result. */
function directive(verdict: Verdict, reason?: string): string | undefined {
  const why = reason ? ` ${oneLine(reason)}` : "";
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

/** Test names and directives are single-line and must not contain " # ". */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").replace(/#/g, "no.");
}

function resultLine(n: number, name: string, verdict: Verdict, strict: boolean, reason?: string): string {
  const d = directive(verdict, reason);
  return `${isOk(verdict, strict) ? "ok" : "not ok"} ${n} ${oneLine(name)}${d ? ` # ${d}` : ""}`;
}

/** Collapses newlines only: a diagnostic line may hold "#", as in a link's fragment. */
const diagnostic = (text: string): string => text.replace(/\s*\n\s*/g, " ");

function caseLines(c: CaseResult, n: number, strict: boolean): string[] {
  const lines: string[] = [];
  const known = c.expectedFailure;
  // Diagnostics go before the result line, as KUnit prints them.
  if (c.verdict === "fail" || c.verdict === "error") {
    if (c.reason) lines.push(`# ${c.id}: ${oneLine(c.reason)}`);
    if (c.verdict === "error") lines.push(`# ${c.id}: harness error, no verdict on the spec`);
  }
  if (c.verdict === "xfail" && known) lines.push(diagnostic(`# ${c.id}: expected failure (${known.file}:${known.line}, ${known.link})${c.reason ? `: ${c.reason}` : ""}`));
  if (c.verdict === "xpass" && known) lines.push(diagnostic(`# ${c.id}: listed as failing in ${known.file}:${known.line} (${known.link}) but it passed: the entry is stale`));
  const why = c.verdict === "fail" || c.verdict === "error" ? undefined : known && (c.verdict === "xfail" || c.verdict === "xpass") ? known.reason : c.reason;
  lines.push(resultLine(n, c.id, c.verdict, strict, why));
  return lines;
}

/** The verdict of a spec item from its cases: any deviation fails it; all skipped skips it. */
export function groupVerdict(group: ItemGroup, strict = false): Verdict {
  const verdicts = group.cases.map((c) => c.verdict);
  if (verdicts.some((v) => !isOk(v, strict))) return "fail";
  if (verdicts.every((v) => v === "skip")) return "skip";
  if (verdicts.every((v) => v === "xfail" || v === "skip")) return "xfail";
  return "pass";
}

export function renderKtap(results: RunResults): string {
  const groups = groupBySpecItem(results.cases);
  const strict = results.gate?.strict ?? false;
  const out: string[] = ["KTAP version 1", `1..${groups.length}`];
  out.push(`# kapi-conform ${results.tool.version}: ${results.spec.name} from ${results.spec.file}:${results.spec.line} on Linux ${results.kernel.release} ${results.kernel.machine}`);
  groups.forEach((group, gi) => {
    // The plan right after the "# Subtest:" header: kunit_parser before 6.8 reads no plan otherwise.
    out.push("    KTAP version 1", `    # Subtest: ${group.name}`, `    1..${group.cases.length}`, `    # ${oneLine(group.title)} (${group.file}:${group.line})`);
    group.cases.forEach((c, ci) => out.push(...caseLines(c, ci + 1, strict).map((l) => `    ${l}`)));
    const verdict = groupVerdict(group, strict);
    const reason = verdict === "skip" ? "all cases skipped" : undefined;
    out.push(resultLine(gi + 1, group.name, verdict, strict, reason));
  });
  for (const o of results.observations) out.push(`# observation ${o.id}: ${oneLine(o.text)}`);
  const t = results.totals;
  out.push(`# Totals: pass:${t.pass} fail:${t.fail} xfail:${t.xfail} xpass:${t.xpass} skip:${t.skip} error:${t.error + t.timeout}`);
  return out.join("\n") + "\n";
}
