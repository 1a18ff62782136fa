// SPDX-License-Identifier: GPL-2.0-only
// The fuzzer's report-format checks: for every spec a mutated input still
// yields, a synthetic run (no kernel) is made from the spec's own items, every
// verdict represented and the spec's text in names, reasons, details and
// calls, and each report format is checked to be well formed: KTAP passes the
// project's checker with exactly one line per test for any line-splitting
// reader, JUnit parses as XML 1.0 with one testcase per case, summary.md and
// the KCIDB document hold no raw control characters or line breaks where
// one-line text belongs.
import { create } from "xmlbuilder2";
import type { Spec } from "../spec/model.js";
import { checkKtap } from "../report/ktap-check.js";
import { renderKtap } from "../report/ktap.js";
import { renderJunit } from "../report/junit.js";
import { renderSummary } from "../report/summary.js";
import { KCIDB_ID, KCIDB_PATH, renderKcidb } from "../report/kcidb.js";
import { groupBySpecItem, groupBySyscall } from "../report/groups.js";
import { COVERAGE_STATUSES, type CaseResult, type CoverageRow, type RunResults } from "../run/results.js";
import { totalsOf, VERDICTS } from "../run/verdicts.js";
import type { Violation } from "./parse-invariants.js";

/** Line breaks of every kind a reader may split on (Python's str.splitlines, CR). */
const SPLITLINES = /\r\n|[\n\r\v\f\x1c-\x1e\u0085\u2028\u2029]/;
/** Characters XML 1.0 cannot hold in any form. */
const XML_FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Item {
  section: string;
  index: number;
  summary: string;
  errno?: string;
  reason: string;
  line: number;
}

function itemsOf(spec: Spec): Item[] {
  const items: Item[] = spec.errors.map((e) => ({ section: "errors", index: e.index, summary: e.summary, errno: e.name, reason: e.conditions.join("; ") || e.summary, line: e.source.line }));
  if (spec.return) items.push({ section: "return", index: 0, summary: spec.return.success?.raw ?? spec.return.description ?? "", reason: spec.return.description ?? "", line: spec.return.source.line });
  for (const p of spec.params) items.push({ section: "params", index: p.index, summary: p.name, reason: p.constraint ?? p.headerDescription ?? "", line: p.source.line });
  for (const s of spec.sideEffects) items.push({ section: "sideEffects", index: s.index, summary: s.target ?? "", reason: s.condition ?? s.description ?? "", line: s.source.line });
  return items;
}

/** A run of the spec's items through every verdict, as a kernel run could produce it. */
export function syntheticResults(specs: Spec[]): RunResults {
  const cases: CaseResult[] = [];
  const coverage: CoverageRow[] = [];
  for (const spec of specs) {
    const call = `${spec.name}(${spec.params.map((p) => `${p.name}=${p.constraint ?? "0"}`).join(", ")})`;
    itemsOf(spec).forEach((item, i) => {
      const verdict = VERDICTS[i % VERDICTS.length]!;
      // The position keeps ids unique when an input holds two specs of one name.
      const id = `${spec.name}.${item.section}.${item.index}.${item.errno ?? item.summary}.${cases.length}`;
      const listed = verdict === "xfail" || verdict === "xpass";
      cases.push({
        id,
        syscall: spec.name,
        title: item.summary,
        scenario: item.reason,
        specRef: { section: item.section, index: item.index, summary: item.summary, ...(item.errno ? { errno: item.errno } : {}), file: spec.source.file, line: item.line },
        verdict,
        expected: { outcome: item.errno ? "error" : "success", ...(item.errno ? { errno: item.errno } : { success: item.summary }) },
        observed: { ret: "-1", errno: item.errno ?? "EINVAL", facts: { text: item.reason } },
        ...(verdict === "pass" ? {} : { reason: item.reason }),
        ...(verdict === "skip" ? { detail: `${spec.source.file}: ${item.summary}` } : {}),
        ...(verdict === "fail" || verdict === "error" ? { call } : {}),
        ...(listed ? { expectedFailure: { pattern: id, reason: item.summary, link: `https://example.org/${item.reason}`, file: spec.source.file, line: item.line, verdict: verdict === "xfail" ? "fail" : "pass" } } : {}),
        durationMs: i,
      });
      coverage.push({ syscall: spec.name, section: item.section, index: item.index, summary: item.summary, line: item.line, status: COVERAGE_STATUSES[i % COVERAGE_STATUSES.length]!, caseIds: [id], reason: item.reason });
    });
  }
  const first = specs[0];
  return {
    tool: { name: "kapi-conform", version: "fuzz" },
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 1,
    status: "complete",
    kernel: { release: first?.summary ?? "", version: "", machine: "x86_64", arch: "x86_64", config: {} },
    specs: specs.map((s) => ({ name: s.name, file: s.source.file, line: s.source.line, format: s.source.format, dialect: s.source.dialect })),
    unsuited: specs.map((s) => ({ name: `${s.name}${s.summary}`, file: s.source.file, line: s.source.line, items: s.errors.length })),
    cases,
    coverage,
    observations: specs.map((s) => ({ id: s.name, title: s.summary, text: s.errors[0]?.summary ?? "" })),
    totals: totalsOf(cases),
    gate: { expectations: first?.source.file ?? "", strict: false },
  };
}

/** Every report of the synthetic run of `specs`, each checked for form; [] when all are well formed. */
export async function checkReportFormats(specs: Spec[]): Promise<Violation[]> {
  const results = syntheticResults(specs);
  const problems: string[] = [];
  const ktap = renderKtap(results);
  const lines = ktap.split("\n");
  if (ktap.split(SPLITLINES).length !== lines.length) problems.push("KTAP: a line break other than \\n inside a line");
  for (const v of checkKtap(ktap).slice(0, 3)) problems.push(`KTAP line ${v.line}: ${v.message}`);
  const tests = results.cases.length + groupBySyscall(results).reduce((n, s) => n + 1 + groupBySpecItem(s.cases).length, 0);
  const resultLines = lines.filter((l) => /^ *(not )?ok \d+ /.test(l)).length;
  if (resultLines !== tests) problems.push(`KTAP: ${resultLines} result lines for ${tests} tests`);

  const xml = await renderJunit(results);
  if (XML_FORBIDDEN.test(xml)) problems.push("JUnit: a character XML 1.0 forbids");
  try {
    const testcases = (xml.match(/<testcase /g) ?? []).length;
    create(xml);
    if (testcases !== results.cases.length) problems.push(`JUnit: ${testcases} testcases for ${results.cases.length} cases`);
  } catch (err) {
    problems.push(`JUnit: not well-formed XML: ${(err as Error).message.split("\n")[0]}`);
  }

  const md = renderSummary(results);
  if (md.split(SPLITLINES).length !== md.split("\n").length) problems.push("summary.md: a line break other than \\n inside a line");
  if (/[\x00-\x08\x0b-\x1f\x7f]/.test(md)) problems.push("summary.md: a raw control character");

  const kcidb = renderKcidb(results, { origin: "fuzz" });
  const bad = kcidb.tests.find((t) => !KCIDB_ID.test(t.id) || !KCIDB_PATH.test(t.path) || (t.log_excerpt?.length ?? 0) > 16384);
  if (bad) problems.push(`KCIDB: test ${JSON.stringify(bad.id)} has an id, path or log excerpt KCIDB refuses`);
  if (new Set(kcidb.tests.map((t) => t.id)).size !== kcidb.tests.length) problems.push("KCIDB: two tests share an id");
  return problems.map((message) => ({ code: "report-format", message }));
}
