// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform run`: the conformance run against the live kernel. KTAP on
// stdout and nothing else; progress and the report paths on stderr.
import { suiteRefFor, suiteNames } from "../scenarios/registry.js";
import { runConformance } from "../run/conformance.js";
import { exitCodeOf } from "../run/verdicts.js";
import { renderKtap } from "../report/ktap.js";
import { startReports, writeReports } from "../report/write.js";
import { TOOL } from "../run/tool.js";
import { terminalText } from "../report/encode/terminal.js";
import { buildDrift } from "../drift/report.js";
import type { CaseResult } from "../run/results.js";
import { detectEnvironment } from "../run/environment.js";
import { DEFAULT_RACE_ITERATIONS } from "../scenarios/scenario.js";
import { DEFAULT_CASE_TIMEOUT_MS } from "../run/execute-plan.js";
import { parseCommandArgs } from "./args.js";
import { UsageError } from "./errors.js";
import { prepareGate } from "./gate.js";
import { pickRunnableSpec } from "./spec-choice.js";
import { ensureReportsDir } from "./reports-dir.js";
import { deferDestroys, settleDestroys } from "../kernel/aio.js";
import { prestartWorker } from "../run/isolation.js";

export const HELP = `usage: kapi-conform run [--spec INPUT] [--syscall NAME] [--reports DIR] [--stress N] [--timeout SECS]
                        [--expect FILE] [--strict] [--quiet]

Runs the scenarios of a syscall's spec against the live kernel and compares
what the kernel did with what the spec says, item by item.

  --spec INPUT     spec input: a kernel source, patch/mbox, archive page or
                   directory (default: the bundled io_cancel spec)
  --syscall NAME   which spec of the input to run, when it holds several
                   with a suite (suites: ${suiteNames().join(", ")})
  --reports DIR    where results.json, results.tap, junit.xml and summary.md
                   go (default: reports)
  --stress N       iterations of the cancellation race (default ${DEFAULT_RACE_ITERATIONS})
  --timeout SECS   per-case limit; a case that takes longer is killed and
                   reported as timeout (default ${DEFAULT_CASE_TIMEOUT_MS / 1000})
  --expect FILE    expectations file (YAML or JSON): known deviations by
                   case id or glob, with reason and link; a listed failure
                   is reported as xfail, a listed pass as xpass
  --strict         an xpass (listed case that passed) fails the run
  --quiet          no per-case progress on stderr

KTAP goes to stdout. Exit: 0 conform (skips and xfail allowed), 1 a
deviation (or an xpass with --strict), 2 bad arguments or input,
4 everything skipped.`;

function progress(c: CaseResult, done: number, total: number): void {
  const why = c.verdict === "pass" ? "" : ` - ${c.reason ?? ""}`;
  // Spec text and kernel values are data: no escape sequence reaches the terminal.
  process.stderr.write(`[${String(done).padStart(String(total).length)}/${total}] ${c.verdict.padEnd(7)} ${terminalText(`${c.id}${why}`)}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("run", argv, {
    spec: { type: "string" },
    syscall: { type: "string" },
    reports: { type: "string", default: "reports" },
    stress: { type: "string" },
    timeout: { type: "string" },
    expect: { type: "string" },
    strict: { type: "boolean", default: false },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`run: unexpected argument '${positionals[0]}' (use --spec INPUT)`);
  const iterations = values.stress === undefined ? DEFAULT_RACE_ITERATIONS : Number(values.stress);
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw new UsageError(`run: --stress takes a whole number of iterations >= 1, not '${values.stress}'`);
  const timeoutSeconds = values.timeout === undefined ? DEFAULT_CASE_TIMEOUT_MS / 1000 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`run: --timeout takes a number of seconds > 0, not '${values.timeout}'`);

  prestartWorker();
  // Contexts this process releases (drift's) are destroyed in the background, settled before exit.
  deferDestroys(true);
  const env = detectEnvironment();
  const gate = await prepareGate({ expect: values.expect, strict: values.strict!, config: env.config });
  const spec = await pickRunnableSpec(values.spec, values.syscall);
  await ensureReportsDir(values.reports!);
  // From here a killed run leaves results.json saying "running", the previous set in .previous/.
  await startReports(values.reports!, { tool: TOOL, startedAt: new Date().toISOString() });
  process.stderr.write(`kapi-conform: ${terminalText(`${spec.name} from ${spec.source.file}:${spec.source.line}`)}\n`);
  const results = gate(await runConformance(spec, suiteRefFor(spec.name)!, { env, iterations, caseTimeoutMs: timeoutSeconds * 1000, ...(values.quiet ? {} : { onCase: progress }) }));
  process.stdout.write(renderKtap(results));
  // Drift is part of the readable summary; it never changes the verdicts or the exit code.
  const drift = await buildDrift(spec, results);
  const written = await writeReports(results, values.reports!, drift);
  for (const f of await settleDestroys()) process.stderr.write(`kapi-conform: cleanup: ${f.message}\n`);
  const t = results.totals;
  process.stderr.write(
    `kapi-conform: ${t.pass} pass, ${t.fail} fail, ${t.error} error, ${t.timeout} timeout, ${t.skip} skip${t.xfail + t.xpass ? `, ${t.xfail} xfail, ${t.xpass} xpass` : ""} in ${results.durationMs} ms; reports: ${terminalText(written.join(", "))}\n`,
  );
  return exitCodeOf(results);
}
