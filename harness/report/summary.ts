// SPDX-License-Identifier: GPL-2.0-only
// The readable summary (summary.md): the syscalls run and those with no
// suite, verdict counts, every deviation with the spec line and the call as
// issued, every skip with its reason, observations, and the coverage table
// per syscall. Spec and kernel text goes through the markdown encoder.
import { COVERAGE_STATUSES, type CoverageStatus, type RunResults } from "../run/results.js";
import { totalsOf } from "../run/verdicts.js";
import { renderDrift, type DriftReport } from "../drift/report.js";
import { mdCell as cell, mdCode as code } from "./encode/markdown.js";
import { groupBySyscall } from "./groups.js";
import { validatorNote } from "../run/kapi-config.js";

export function renderSummary(results: RunResults, drift: DriftReport[] = []): string {
  const t = results.totals;
  const k = results.kernel;
  const syscalls = groupBySyscall(results);
  const out: string[] = [
    `# kapi-conform: ${cell(syscalls.map((s) => s.name).join(", ") || "no syscall")} on Linux ${cell(k.release)}`,
    "",
  ];
  if (results.status !== "complete") out.push(`**Run status: ${results.status}.** This is not a finished run: cases that had not run are missing.`, "");
  out.push(
    `Kernel: ${cell(k.release)} ${cell(k.machine)} (${cell(k.version)}). Run: ${cell(results.startedAt)}, ${results.durationMs} ms, ${cell(results.tool.name)} ${cell(results.tool.version)}.`,
    "",
    `**${t.pass} pass, ${t.fail} fail, ${t.error} error, ${t.timeout} timeout, ${t.skip} skip` + (t.xfail + t.xpass ? `, ${t.xfail} xfail, ${t.xpass} xpass` : "") + `** of ${results.cases.length} cases.`,
    "",
  );
  out.push("## Specs", "", "| syscall | spec | format | cases | pass | fail | error | timeout | skip | xfail | xpass |", "| --- | --- | --- | --: | --: | --: | --: | --: | --: | --: | --: |");
  for (const s of syscalls) {
    const st = totalsOf(s.cases);
    const where = s.spec ? `${code(`${s.spec.file}:${s.spec.line}`)} | ${cell(`${s.spec.format}, ${s.spec.dialect}`)}` : "(not in specs) | ";
    out.push(`| ${cell(s.name)} | ${where} | ${s.cases.length} | ${st.pass} | ${st.fail} | ${st.error} | ${st.timeout} | ${st.skip} | ${st.xfail} | ${st.xpass} |`);
  }
  for (const u of results.unsuited) out.push(`| ${cell(u.name)} | ${code(`${u.file}:${u.line}`)} | no suite | 0 | | | | | | | |`);
  out.push("");
  if (results.unsuited.length) {
    out.push("## No suite", "", "Specs the input holds for which kapi-conform has no scenario suite: nothing of them was checked.", "", "| syscall | spec | items |", "| --- | --- | --: |");
    for (const u of results.unsuited) out.push(`| ${cell(u.name)} | ${code(`${u.file}:${u.line}`)} | ${u.items} |`);
    out.push("");
  }
  out.push(...validatorNote(results));
  const deviations = results.cases.filter((c) => c.verdict === "fail" || c.verdict === "error" || c.verdict === "timeout" || c.verdict === "xpass");
  if (deviations.length) {
    out.push("## Deviations", "", "| case | verdict | spec line | call | why |", "| --- | --- | --- | --- | --- |");
    for (const c of deviations) out.push(`| ${code(c.id)} | ${c.verdict} | ${cell(`${c.specRef.file}:${c.specRef.line}`)} | ${c.call ? code(c.call) : ""} | ${cell(c.reason)} |`);
    out.push("");
  }
  const listed = results.cases.filter((c) => c.expectedFailure);
  if (listed.length) {
    const gate = results.gate;
    out.push("## Expected failures", "", `From ${code(gate?.expectations ?? "an expectations file")}${gate?.strict ? " (strict: an xpass fails the run)" : ""}.`, "");
    out.push("| case | verdict | known issue | link | entry | observed |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of listed) {
      const e = c.expectedFailure!;
      out.push(`| ${code(c.id)} | ${c.verdict} | ${cell(e.reason)} | ${cell(e.link)} | ${code(e.pattern)} (${cell(`${e.file}:${e.line}`)}) | ${cell(c.verdict === "xpass" ? "passed: the entry is stale" : c.reason)} |`);
    }
    out.push("");
  }
  out.push("## Cases", "", "| case | verdict | spec item | expected | observed | ms |", "| --- | --- | --- | --- | --- | --- |");
  for (const c of results.cases) {
    const expected = c.expected.errno ?? c.expected.success ?? c.expected.text ?? c.expected.outcome;
    const observed = c.observed.errno ? `-1 ${c.observed.errno}` : c.observed.ret ?? (c.observed.facts ? Object.entries(c.observed.facts).map(([a, b]) => `${a}=${b}`).join(" ") : "");
    const skip = c.verdict === "skip" ? `: ${cell(c.reason)}${c.detail ? ` (${cell(c.detail)})` : ""}` : "";
    out.push(`| ${code(c.id)} | ${c.verdict}${skip} | ${cell(`${c.specRef.section}[${c.specRef.index}] ${c.specRef.summary}`)} (line ${c.specRef.line}) | ${cell(expected)} | ${cell(observed)} | ${c.durationMs} |`);
  }
  out.push("");
  if (results.observations.length) {
    out.push("## Observations", "", "Recorded, never failed: the spec does not define these.", "");
    for (const o of results.observations) out.push(`- **${cell(o.title)}**: ${cell(o.text)}`);
    out.push("");
  }
  for (const d of drift) out.push(renderDrift(d));
  out.push("## Coverage of the spec", "");
  for (const s of syscalls) {
    const rows = results.coverage.filter((r) => r.syscall === s.name);
    const counts = Object.fromEntries(COVERAGE_STATUSES.map((st) => [st, rows.filter((r) => r.status === st).length])) as Record<CoverageStatus, number>;
    const said = COVERAGE_STATUSES.filter((st) => counts[st] > 0).map((st) => `${counts[st]} ${st}`).join(", ");
    out.push(`### ${cell(s.name)}`, "", `${rows.length} items: ${said || "none recorded"}.`, "", "| item | line | status | cases | note |", "| --- | --- | --- | --- | --- |");
    for (const r of rows) out.push(`| ${cell(`${r.section}[${r.index}] ${r.summary}`)} | ${r.line} | ${r.status} | ${r.caseIds.length} | ${cell(r.reason)} |`);
    out.push("");
  }
  return out.join("\n");
}
