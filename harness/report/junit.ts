// SPDX-License-Identifier: GPL-2.0-only
// JUnit XML through tap-junit. tap-junit reads flat TAP and gives every case
// one classname and no time, so it is fed one TAP line per case and its XML
// is then given a classname (the spec item) and a time per case, which GitLab,
// Jenkins and GitHub need to show results case by case.
// Skips carry their reason (<skipped message>). An expected failure (xfail)
// is a passing testcase with the known issue and the failure in <system-out>;
// an unexpected pass (xpass) is a passing testcase with a <system-out> note,
// or a <failure type="xpass"> when the gate is strict, as the exit code.
import { createRequire } from "node:module";
import { Parser, type Result } from "tap-parser";
import { create } from "xmlbuilder2";
import type { CaseResult, RunResults } from "../run/results.js";
import { groupBySpecItem } from "./groups.js";
import { isOk } from "./ktap.js";

type Serialize = (cases: unknown[], output: unknown, args: { name: string; classname: string; pretty: boolean }) => string;
// tap-junit exports only its CLI stream, which prints to stdout; its serializer is the part we need.
const serialize = createRequire(import.meta.url)("tap-junit/src/serialize.js") as Serialize;

/** One TAP line per case, with the failure message in a YAML block. */
function flatTap(results: RunResults): string {
  const strict = results.gate?.strict ?? false;
  const lines = ["TAP version 13", `1..${results.cases.length}`];
  results.cases.forEach((c, i) => {
    const ok = isOk(c.verdict, strict);
    const directive = c.verdict === "skip" ? ` # SKIP ${c.reason ?? ""}` : "";
    lines.push(`${ok ? "ok" : "not ok"} ${i + 1} ${c.id}${directive.replace(/\n/g, " ")}`);
    const why = c.verdict === "xpass" ? note(c) : c.reason ?? "";
    if (!ok) lines.push("  ---", `  message: ${JSON.stringify(`${c.verdict}: ${why}`)}`, `  severity: ${c.verdict}`, "  ...");
  });
  return lines.join("\n") + "\n";
}

/** The known issue behind an xfail or xpass, for people reading the CI page. */
function note(c: CaseResult): string {
  const k = c.expectedFailure;
  const entry = k ? `${k.reason} (${k.link}; ${k.file}:${k.line})` : "listed in the expectations file";
  return c.verdict === "xfail" ? `expected failure: ${entry}: ${c.reason ?? ""}` : `unexpected pass: listed as failing: ${entry}`;
}

function parse(tap: string): Promise<{ asserts: Result[]; final: unknown }> {
  return new Promise((resolve) => {
    const asserts: Result[] = [];
    const parser = new Parser((final) => resolve({ asserts, final }));
    parser.on("assert", (a: Result) => asserts.push(a));
    parser.end(tap);
  });
}

export async function renderJunit(results: RunResults): Promise<string> {
  const { asserts, final } = await parse(flatTap(results));
  const names = [...new Set([...results.specs.map((s) => s.name), ...results.cases.map((c) => c.syscall)])].join(", ");
  const xml = serialize(asserts, final, { name: `kapi-conform ${names}`, classname: names, pretty: true });
  const classOf = new Map<string, string>();
  for (const g of groupBySpecItem(results.cases)) for (const c of g.cases) classOf.set(c.id, g.name);
  const timeOf = new Map(results.cases.map((c) => [c.id, (c.durationMs / 1000).toFixed(6)]));
  const caseOf = new Map(results.cases.map((c) => [c.id, c]));

  const doc = create(xml);
  const suite = doc.root().first();
  suite.att("time", (results.durationMs / 1000).toFixed(3));
  suite.att("hostname", results.kernel.release);
  for (const testcase of suite.filter((n) => n.node.nodeName === "testcase", false, false)) {
    const name = (testcase.node as unknown as { getAttribute(n: string): string | null }).getAttribute("name") ?? "";
    testcase.att("classname", classOf.get(name) ?? names);
    testcase.att("time", timeOf.get(name) ?? "0");
    const c = caseOf.get(name);
    if (c?.verdict === "skip") for (const skipped of testcase.filter((n) => n.node.nodeName === "skipped", false, false)) skipped.att("message", c.reason ?? "");
    if ((c?.verdict === "xfail" || c?.verdict === "xpass") && isOk(c.verdict, results.gate?.strict)) testcase.ele("system-out").txt(note(c));
  }
  return doc.end({ prettyPrint: true });
}
