// SPDX-License-Identifier: GPL-2.0-only
// JUnit XML valid against junit-10.xsd (../shared/schemas), the schema
// Jenkins and most CI reporters follow.
//
// tap-junit is used through its public interface only, its command (TAP on
// stdin, XML on stdout): its module export prints the XML with console.info
// or writes a file and calls process.exit(1) on a failing run, so it cannot
// be called in-process. It is given one TAP line per case, named by position
// ("case-N"), never spec text; its XML gives the outcome of each case (passed,
// <failure>, <skipped>). The kselftest bundle carries no node_modules, so
// there (tap-junit not installed) the outcome is read from the verdict
// directly, the same classification; a test checks the two agree. That output is not schema-valid as it stands
// (testcase@id is not allowed, testsuite@errors is required, errors and
// timeouts are not told from failures), so the document is rebuilt from it
// with xmlbuilder2: one <testsuite> per syscall, its spec file as the
// testsuite's `file` (junit-10.xsd allows no file or line on a testcase, so a
// case's spec item, FILE:LINE, is the first line of its <system-out>),
// the spec item as classname, a time per case; fail and a strict xpass are
// <failure>, error and timeout are <error>, a skip is <skipped message> with
// its fixed reason (the varying detail in <system-out>), an xfail passes with
// the known issue in <system-out>. Every text goes through the XML encoder.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import type { CaseResult, RunResults } from "../run/results.js";
import { totalsOf } from "../run/verdicts.js";
import { xmlAttribute, xmlText } from "./encode/xml.js";
import { groupBySpecItem, groupBySyscall } from "./groups.js";
import { isOk } from "./ktap.js";
import { holdEventLoop } from "../run/child-ref.js";

/** What tap-junit said of one case. */
export type Outcome = "passed" | "failure" | "skipped";

const requireHere = createRequire(import.meta.url);

/** tap-junit's command, from its package.json "bin" (public; the package has no "exports" map); undefined when not installed. */
export function tapJunitBin(): string | undefined {
  let manifest: string;
  try {
    manifest = requireHere.resolve("tap-junit/package.json");
  } catch {
    return undefined;
  }
  const bin = (requireHere(manifest) as { bin: string | Record<string, string> }).bin;
  return join(dirname(manifest), typeof bin === "string" ? bin : bin["tap-junit"]!);
}

/** The outcome tap-junit gives a case, from its verdict alone: what the bundle uses. */
export function outcomeOfVerdict(c: CaseResult, strict: boolean): Outcome {
  return c.verdict === "skip" ? "skipped" : isOk(c.verdict, strict) ? "passed" : "failure";
}

/** One TAP line per case, by position: what tap-junit needs to classify each. */
function positionalTap(results: RunResults): string {
  const strict = results.gate?.strict ?? false;
  const lines = ["TAP version 13", `1..${results.cases.length}`];
  results.cases.forEach((c, i) => lines.push(`${isOk(c.verdict, strict) ? "ok" : "not ok"} ${i + 1} case-${i + 1}${c.verdict === "skip" ? " # SKIP" : ""}`));
  return lines.join("\n") + "\n";
}

// The outcome list depends only on the verdict sequence; runs (and the fuzzer) repeat it.
const skeletons = new Map<string, Outcome[]>();
const SKELETON_CACHE = 64;

interface TapJunitProcess {
  child: ChildProcess;
  /** Its XML, once its stdin has ended. */
  xml: Promise<string>;
}

function spawnTapJunit(bin: string): TapJunitProcess {
  const child = spawn(process.execPath, [bin], { stdio: ["pipe", "pipe", "pipe"] });
  const xml = new Promise<string>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b));
    child.stderr!.on("data", (b: Buffer) => err.push(b));
    child.stdin!.on("error", reject);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else reject(new Error(`tap-junit ${signal ? `was killed by ${signal}` : `exited with ${code}`}: ${Buffer.concat(err).toString("utf8").split("\n")[0]}`));
    });
  });
  // Handled when used; one started ahead and never used must not raise an unhandled rejection.
  xml.catch(() => undefined);
  return { child, xml };
}

let ahead: { bin: string; process: TapJunitProcess } | undefined;

/**
 * Starts tap-junit now, waiting on its stdin, so that its start-up (Node and
 * its modules, about 130 ms) overlaps the run instead of following it. Unused,
 * it keeps nobody waiting, and it ends when this process does.
 */
export function prestartTapJunit(bin: string | undefined = tapJunitBin()): void {
  if (ahead || bin === undefined) return;
  const started = spawnTapJunit(bin);
  holdEventLoop(started.child, false);
  process.once("exit", () => started.child.kill());
  ahead = { bin, process: started };
}

async function runTapJunit(bin: string, tap: string): Promise<string> {
  const early = ahead?.bin === bin ? ahead.process : undefined;
  ahead = undefined;
  if (early && early.child.exitCode === null && early.child.signalCode === null) {
    holdEventLoop(early.child, true);
    early.child.stdin!.end(tap);
    try {
      return await early.xml;
    } catch {
      // Ended before its input came (a signal to the process group): start one now.
    }
  }
  const now = spawnTapJunit(bin);
  now.child.stdin!.end(tap);
  return now.xml;
}

/** Each case's outcome as tap-junit reports it, checked against the cases given. */
export async function tapJunitOutcomes(results: RunResults, bin: string | undefined = tapJunitBin()): Promise<Outcome[]> {
  if (results.cases.length === 0) return [];
  if (bin === undefined) return results.cases.map((c) => outcomeOfVerdict(c, results.gate?.strict ?? false));
  const tap = positionalTap(results);
  const cached = skeletons.get(tap);
  if (cached) return cached;
  const doc = create(await runTapJunit(bin, tap)).end({ format: "object" }) as unknown as {
    testsuites: { testsuite: { testcase?: TapJunitCase | TapJunitCase[] } };
  };
  const raw = doc.testsuites.testsuite.testcase;
  const cases = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  if (cases.length !== results.cases.length || cases.some((t, i) => t["@name"] !== `case-${i + 1}`)) {
    throw new Error(`tap-junit reported ${cases.length} testcases for ${results.cases.length} cases`);
  }
  const outcomes = cases.map((t): Outcome => ("skipped" in t ? "skipped" : "failure" in t ? "failure" : "passed"));
  if (skeletons.size >= SKELETON_CACHE) skeletons.delete(skeletons.keys().next().value!);
  skeletons.set(tap, outcomes);
  return outcomes;
}

interface TapJunitCase {
  "@name": string;
  failure?: unknown;
  skipped?: unknown;
}

/** The known issue behind an xfail or xpass, for people reading the CI page. */
function note(c: CaseResult): string {
  const k = c.expectedFailure;
  const entry = k ? `${k.reason} (${k.link}; ${k.file}:${k.line})` : "listed in the expectations file";
  return c.verdict === "xfail" ? `expected failure: ${entry}: ${c.reason ?? ""}` : `unexpected pass: listed as failing: ${entry}`;
}

/** Seconds with at most three decimals: the schema's SUREFIRE_TIME for testsuite@time. */
const suiteTime = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

function failureMessage(c: CaseResult): string {
  const why = c.verdict === "xpass" ? note(c) : c.reason ?? "";
  return `${c.verdict}: ${why}${c.call ? ` [call: ${c.call}]` : ""}`;
}

function addCase(suite: XMLBuilder, c: CaseResult, outcome: Outcome, classname: string, strict: boolean): void {
  const t = suite.ele("testcase", { name: xmlAttribute(c.id), classname: xmlAttribute(classname), time: (c.durationMs / 1000).toFixed(6) });
  const out: string[] = [`spec item: ${c.specRef.file}:${c.specRef.line} (${c.specRef.section}[${c.specRef.index}] ${c.specRef.summary})`];
  if (c.call) out.push(`call: ${c.call}`);
  if (outcome === "skipped") {
    t.ele("skipped", { message: xmlAttribute(c.reason ?? "") });
    if (c.detail) out.push(`skip detail: ${c.detail}`);
  } else if (outcome === "failure") {
    // tap-junit says "failure" for every not-ok case; errors and timeouts are the harness's, not the spec's.
    const element = c.verdict === "error" || c.verdict === "timeout" ? "error" : "failure";
    t.ele(element, { message: xmlAttribute(failureMessage(c)), type: c.verdict });
  } else if ((c.verdict === "xfail" || c.verdict === "xpass") && isOk(c.verdict, strict)) {
    out.push(note(c));
  }
  if (c.detail && outcome !== "skipped") out.push(`detail: ${c.detail}`);
  t.ele("system-out").txt(xmlText(out.join("\n")));
}

export async function renderJunit(results: RunResults): Promise<string> {
  const strict = results.gate?.strict ?? false;
  const outcomes = await tapJunitOutcomes(results);
  const outcomeOf = new Map(results.cases.map((c, i) => [c, outcomes[i]!]));
  const count = (cases: CaseResult[]) => {
    const t = totalsOf(cases);
    const failures = t.fail + (strict ? t.xpass : 0);
    return { tests: String(cases.length), failures: String(failures), errors: String(t.error + t.timeout) };
  };
  const all = count(results.cases);
  const doc = create({ version: "1.0", encoding: "UTF-8" }).ele("testsuites", { name: "kapi-conform", time: suiteTime(results.durationMs), ...all });
  for (const s of groupBySyscall(results)) {
    const ms = s.cases.reduce((sum, c) => sum + c.durationMs, 0);
    const suite = doc.ele("testsuite", {
      name: xmlAttribute(s.name),
      ...count(s.cases),
      skipped: String(s.cases.filter((c) => c.verdict === "skip").length),
      time: suiteTime(ms),
      timestamp: xmlAttribute(results.startedAt),
      hostname: xmlAttribute(results.kernel.release),
      ...(s.spec ? { file: xmlAttribute(s.spec.file) } : {}),
    });
    const props = suite.ele("properties");
    if (s.spec) props.ele("property", { name: "spec", value: xmlAttribute(`${s.spec.file}:${s.spec.line} (${s.spec.format}, ${s.spec.dialect})`) });
    props.ele("property", { name: "kernel", value: xmlAttribute(`${results.kernel.release} ${results.kernel.machine}`) });
    props.ele("property", { name: "status", value: results.status });
    const classOf = new Map(groupBySpecItem(s.cases).flatMap((g) => g.cases.map((c) => [c, g.name] as const)));
    for (const c of s.cases) addCase(suite, c, outcomeOf.get(c)!, classOf.get(c)!, strict);
  }
  return doc.end({ prettyPrint: true }) + "\n";
}
