// SPDX-License-Identifier: GPL-2.0-only
// The readable summary (summary.md): verdict counts, every deviation with the
// spec line, every skip with its reason, observations, and the coverage table.
import type { RunResults } from "../run/results.js";
import { renderDrift, type DriftReport } from "../drift/report.js";
import { validatorNote } from "../run/kapi-config.js";

const cell = (text: string | number | undefined): string => String(text ?? "").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

export function renderSummary(results: RunResults, drift?: DriftReport): string {
  const t = results.totals;
  const k = results.kernel;
  const out: string[] = [
    `# kapi-conform: ${results.spec.name} on Linux ${k.release}`,
    "",
    `Spec: \`${results.spec.file}:${results.spec.line}\` (${results.spec.format}, ${results.spec.dialect} dialect). ` +
      `Kernel: ${k.release} ${k.machine} (${k.version}). Run: ${results.startedAt}, ${results.durationMs} ms, ${results.tool.name} ${results.tool.version}.`,
    "",
    `**${t.pass} pass, ${t.fail} fail, ${t.error} error, ${t.timeout} timeout, ${t.skip} skip` + (t.xfail + t.xpass ? `, ${t.xfail} xfail, ${t.xpass} xpass` : "") + `** of ${results.cases.length} cases.`,
    "",
    ...validatorNote(results),
  ];
  const deviations = results.cases.filter((c) => c.verdict === "fail" || c.verdict === "error" || c.verdict === "timeout" || c.verdict === "xpass");
  if (deviations.length) {
    out.push("## Deviations", "", "| case | verdict | spec line | why |", "| --- | --- | --- | --- |");
    for (const c of deviations) out.push(`| \`${c.id}\` | ${c.verdict} | ${cell(`${c.specRef.file}:${c.specRef.line}`)} | ${cell(c.reason)} |`);
    out.push("");
  }
  const listed = results.cases.filter((c) => c.expectedFailure);
  if (listed.length) {
    const gate = results.gate;
    out.push("## Expected failures", "", `From \`${gate?.expectations ?? "an expectations file"}\`${gate?.strict ? " (strict: an xpass fails the run)" : ""}.`, "");
    out.push("| case | verdict | known issue | link | entry | observed |", "| --- | --- | --- | --- | --- | --- |");
    for (const c of listed) {
      const k = c.expectedFailure!;
      out.push(`| \`${c.id}\` | ${c.verdict} | ${cell(k.reason)} | ${cell(k.link)} | \`${cell(k.pattern)}\` (${cell(`${k.file}:${k.line}`)}) | ${cell(c.verdict === "xpass" ? "passed: the entry is stale" : c.reason)} |`);
    }
    out.push("");
  }
  out.push("## Cases", "", "| case | verdict | spec item | expected | observed | ms |", "| --- | --- | --- | --- | --- | --- |");
  for (const c of results.cases) {
    const expected = c.expected.errno ?? c.expected.success ?? c.expected.text ?? c.expected.outcome;
    const observed = c.observed.errno ? `-1 ${c.observed.errno}` : c.observed.ret ?? (c.observed.facts ? Object.entries(c.observed.facts).map(([a, b]) => `${a}=${b}`).join(" ") : "");
    out.push(`| \`${c.id}\` | ${c.verdict}${c.verdict === "skip" ? `: ${cell(c.reason)}` : ""} | ${cell(`${c.specRef.section}[${c.specRef.index}] ${c.specRef.summary}`)} (line ${c.specRef.line}) | ${cell(expected)} | ${cell(observed)} | ${c.durationMs} |`);
  }
  out.push("");
  if (results.observations.length) {
    out.push("## Observations", "", "Recorded, never failed: the spec does not define these.", "");
    for (const o of results.observations) out.push(`- **${o.title}**: ${o.text}`);
    out.push("");
  }
  if (drift) out.push(renderDrift(drift));
  out.push("## Coverage of the spec", "", "| item | line | status | cases | note |", "| --- | --- | --- | --- | --- |");
  for (const r of results.coverage) {
    out.push(`| ${cell(`${r.section}[${r.index}] ${r.summary}`)} | ${r.line} | ${r.status} | ${r.caseIds.length} | ${cell(r.reason)} |`);
  }
  out.push("");
  return out.join("\n");
}
