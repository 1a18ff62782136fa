// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform run`: the conformance run against the live kernel. KTAP on
// stdout and nothing else; progress and the report paths on stderr.
import { loadSuite, suiteNames } from "../scenarios/registry.js";
import { planCases } from "../run/plan.js";
import { selectCases, unmatchedGlobs } from "../run/select.js";
import { describeResult } from "../run/expectation.js";
import { renderCaseList } from "./case-list.js";
import { runSeries } from "../run/series.js";
import { exitCodeOf } from "../run/verdicts.js";
import { renderKtap } from "../report/ktap.js";
import { preloadReportWriters, startReports, writeReports } from "../report/write.js";
import { TOOL } from "../run/tool.js";
import { terminalText } from "../report/encode/terminal.js";
import { buildDrift } from "../drift/report.js";
import { libraryClaimsWithRun } from "../drift/library-claims.js";
import type { CaseResult, RunResults } from "../run/results.js";
import { detectEnvironment } from "../run/environment.js";
import { DEFAULT_RACE_ITERATIONS } from "../scenarios/scenario.js";
import { DEFAULT_CASE_TIMEOUT_MS } from "../run/execute-plan.js";
import { MAX_TIMER_MS, parseCommandArgs, timerSeconds, wholeNumber } from "./args.js";
import { maxIterations } from "../run/isolation.js";
import { UsageError } from "./errors.js";
import { prepareGate } from "./gate.js";
import { chooseSeries } from "./spec-choice.js";
import { ensureReportsDir } from "./reports-dir.js";
import { trapInterrupts, type Interrupts } from "./signals.js";
import { deferDestroys, settleDestroys } from "../kernel/aio.js";
import { preinitWorker, prestartWorker } from "../run/worker-fork.js";

export const HELP = `usage: kapi-conform run [--spec INPUT]... [--syscall NAME]... [--reports DIR] [--stress N] [--timeout SECS]
                        [--expect FILE] [--strict] [-t GLOB]... [--list] [-q | -v]

Runs the scenarios of each spec that has a suite against the live kernel and
compares what the kernel did with what the spec says, item by item.

  --spec INPUT     spec input, repeatable: a kernel source tree or C file, a
                   patch, an mbox of the series, an archive page, a directory
                   of any of these, or tools/kapi JSON (default: the bundled
                   io_cancel spec). Every spec found that has a suite runs;
                   the others are listed as "no suite" with their item counts
  --syscall NAME   run only the specs of this syscall (repeatable; suites:
                   ${suiteNames().join(", ")})
  --reports DIR    where results.json, results.tap, junit.xml and summary.md
                   go (default: reports)
  --stress N       iterations of the cancellation race (default ${DEFAULT_RACE_ITERATIONS})
  --timeout SECS   per-case limit; a case that takes longer is killed and
                   reported as timeout (default ${DEFAULT_CASE_TIMEOUT_MS / 1000})
  --expect FILE    expectations file (YAML or JSON): known deviations by
                   case id or glob, with reason and link; a listed failure
                   is reported as xfail, a listed pass as xpass
  --strict         an xpass (listed case that passed) fails the run
  -t, --test GLOB  run only the cases matching GLOB (* any characters, ?
                   one; repeatable). A case runs with its whole scenario,
                   whose other cases are reported too; a GLOB matching no
                   case is a usage error
  --list           print the case ids with their spec items (after -t), one
                   a line, and exit: no kernel call, no reports
  -q, --quiet      no per-case progress on stderr
  -v, --verbose    progress with each case's reason (what was expected and
                   observed, for passes too)

KTAP goes to stdout. Exit: 0 conform (skips and xfail allowed), 1 a
deviation (or an xpass with --strict), 2 bad arguments or input,
4 everything skipped (or no spec had a suite). SIGINT, SIGTERM, SIGHUP: the cases so far are written
with status "interrupted" in results.json; exit 130, 143, 129.`;

/** A case's reason; for a pass, which has none, what was expected and observed. */
function reasonOf(c: CaseResult): string {
  if (c.reason) return c.reason;
  const expected = c.expected.errno ? `-1 ${c.expected.errno}` : (c.expected.success ?? c.expected.text ?? c.expected.outcome);
  const observed = c.observed.ret !== undefined ? describeResult({ ret: BigInt(c.observed.ret), ...(c.observed.errno ? { errno: c.observed.errno } : {}) }) : JSON.stringify(c.observed.facts ?? {});
  return `expected ${expected}; observed ${observed} (${c.specRef.file}:${c.specRef.line})`;
}

function progress(verbose: boolean): (c: CaseResult, done: number, total: number) => void {
  return (c, done, total) => {
    const why = verbose ? ` - ${reasonOf(c)}` : c.verdict === "pass" ? "" : ` - ${c.reason ?? ""}`;
    // Spec text and kernel values are data: no escape sequence reaches the terminal.
    process.stderr.write(`[${String(done).padStart(String(total).length)}/${total}] ${c.verdict.padEnd(7)} ${terminalText(`${c.id}${why}`)}\n`);
  };
}

/** After SIGINT/SIGTERM/SIGHUP: the cases that ran, written with status "interrupted"; no KTAP on stdout. */
async function writeInterrupted(results: RunResults, dir: string, interrupts: Interrupts): Promise<number> {
  let cleanup = "";
  try {
    await interrupts.settled();
  } catch (err) {
    cleanup = `; error: ${(err as Error).message}`;
  }
  const written = await writeReports({ ...results, status: "interrupted" }, dir);
  process.stderr.write(`kapi-conform: interrupted by ${interrupts.signal} after ${results.cases.length} cases${cleanup}; reports (status interrupted): ${terminalText(written.join(", "))}\n`);
  return interrupts.exitCode;
}

export async function main(argv: string[]): Promise<number> {
  const interrupts = trapInterrupts();
  try {
    return await runCommand(argv, interrupts);
  } finally {
    interrupts.release();
  }
}

async function runCommand(argv: string[], interrupts: Interrupts): Promise<number> {
  const { values, positionals } = parseCommandArgs("run", argv, {
    spec: { type: "string", multiple: true },
    syscall: { type: "string", multiple: true },
    reports: { type: "string", default: "reports" },
    stress: { type: "string" },
    timeout: { type: "string" },
    expect: { type: "string" },
    strict: { type: "boolean", default: false },
    test: { type: "string", short: "t", multiple: true },
    list: { type: "boolean", default: false },
    quiet: { type: "boolean", short: "q", default: false },
    verbose: { type: "boolean", short: "v", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`run: unexpected argument '${positionals[0]}' (use --spec INPUT)`);
  const timeoutSeconds = timerSeconds("run", "--timeout", values.timeout, DEFAULT_CASE_TIMEOUT_MS / 1000);
  // A race's limit grows with its iterations, and must fit a timer too.
  const iterations = wholeNumber("run", "--stress", values.stress, DEFAULT_RACE_ITERATIONS, { min: 1, max: maxIterations(timeoutSeconds * 1000, MAX_TIMER_MS), what: "iterations" });

  if (values.quiet && values.verbose) throw new UsageError("run: -q and -v contradict each other");
  const tests = values.test ?? [];

  // Not for --list, which runs nothing.
  if (!values.list) prestartWorker();
  // Contexts this process releases (drift's) are destroyed in the background, settled before exit.
  deferDestroys(true);
  const env = detectEnvironment();
  const gate = await prepareGate({ expect: values.expect, strict: values.strict!, config: env.config });
  const series = await chooseSeries(values.spec ?? [], values.syscall ?? [], (chosen) => {
    // The worker plans the first spec while this process lints and plans it; it runs nothing until told.
    const first = chosen.entries[0];
    if (first && !values.list) preinitWorker({ type: "init", spec: first.spec, label: first.label, suite: first.suite, iterations });
  });
  // The plans are made here too (no kernel call) to list them and to check -t before anything runs.
  const plans = await Promise.all(series.entries.map(async (e) => selectCases(planCases(e.spec, await loadSuite(e.suite), e.label), tests)));
  const unmatched = tests.filter((glob) => plans.every((plan) => unmatchedGlobs(plan, [glob]).length > 0));
  if (unmatched.length > 0) throw new UsageError(`run: -t '${unmatched[0]}' matches no case of the plan (see 'kapi-conform run --list')`);
  if (values.list) {
    process.stdout.write(plans.map(renderCaseList).join(""));
    return 0;
  }
  await ensureReportsDir(values.reports!);
  // From here a killed run leaves results.json saying "running", the previous set in .previous/.
  await startReports(values.reports!, { tool: TOOL, startedAt: new Date().toISOString() });
  for (const u of series.unsuited) process.stderr.write(`kapi-conform: no suite: ${terminalText(`${u.name} from ${u.file}:${u.line} (${u.items} items)`)}\n`);
  if (series.entries.length === 0) process.stderr.write(`kapi-conform: no spec of the input has a suite (suites: ${suiteNames().join(", ")}): nothing to run\n`);
  const caseTimeoutMs = timeoutSeconds * 1000;
  // While the worker runs the cases, this process has time to load the report writers.
  preloadReportWriters();
  const results = gate(
    await runSeries(series, {
      env,
      iterations,
      caseTimeoutMs,
      tests,
      stopped: () => interrupts.signal !== undefined,
      onEntry: (e, i) => {
        process.stderr.write(`kapi-conform: [${i + 1}/${series.entries.length}] ${terminalText(`${e.label} from ${e.spec.source.file}:${e.spec.source.line}`)}\n`);
        libraryClaimsWithRun(e.spec);
      },
      ...(values.quiet ? {} : { onCase: progress(values.verbose!) }),
    }),
  );
  if (interrupts.signal) return writeInterrupted(results, values.reports!, interrupts);
  // Drift is part of the readable summary; it never changes the verdicts or the exit code.
  const drift = [];
  for (const e of series.entries) {
    drift.push(await buildDrift(e.spec, results, undefined, { caseTimeoutMs, label: e.label }));
    if (interrupts.signal) return writeInterrupted(results, values.reports!, interrupts);
  }
  process.stdout.write(renderKtap(results));
  const written = await writeReports({ ...results, status: "complete" }, values.reports!, drift);
  for (const f of await settleDestroys()) process.stderr.write(`kapi-conform: cleanup: ${f.message}\n`);
  const t = results.totals;
  process.stderr.write(
    `kapi-conform: ${t.pass} pass, ${t.fail} fail, ${t.error} error, ${t.timeout} timeout, ${t.skip} skip${t.xfail + t.xpass ? `, ${t.xfail} xfail, ${t.xpass} xpass` : ""} in ${results.durationMs} ms; reports: ${terminalText(written.join(", "))}\n`,
  );
  // A signal during the writing: the reports are complete, the exit code still says the run was stopped.
  return interrupts.signal ? interrupts.exitCode : exitCodeOf(results);
}
