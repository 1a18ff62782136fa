// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform drift`: where spec, live kernel and man page disagree, from a
// fresh conformance run. Drift is reported, not failed: the exit code is 1
// only when the kernel deviates from the spec.
import { join } from "node:path";
import { existsSync } from "node:fs";
import { buildDrift, renderDrift } from "../drift/report.js";
import { REPORT_FILES, writeSet } from "../report/write.js";
import { runConformance } from "../run/conformance.js";
import { exitCodeOf } from "../run/verdicts.js";
import { suiteRefFor } from "../scenarios/registry.js";
import { parseCommandArgs } from "./args.js";
import { ensureReportsDir } from "./reports-dir.js";
import { InputError, UsageError } from "./errors.js";
import { pickRunnableSpec } from "./spec-choice.js";

export const HELP = `usage: kapi-conform drift [--spec INPUT] [--syscall NAME] [--man PATH] [--reports DIR]

Compares what the spec says, what the live kernel does (a conformance run,
made now) and what the man page says, one row per claim: the success value
and every errno any of them names. Also checks the spec's claims about the C
libraries (glibc, libaio) on this machine.

  --spec INPUT   spec input (default: the bundled io_cancel spec)
  --man PATH     man page to read (default: the installed NAME(2) page)
  --reports DIR  where drift.md and drift.json go (default: reports)

Exit: 0 unless the kernel deviates from the spec (1); 2 for bad input.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("drift", argv, {
    spec: { type: "string" },
    syscall: { type: "string" },
    man: { type: "string" },
    reports: { type: "string", default: "reports" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`drift: unexpected argument '${positionals[0]}'`);
  if (values.man !== undefined && !existsSync(values.man)) throw new InputError(`drift: --man ${values.man}: no such file`);
  await ensureReportsDir(values.reports!);
  const spec = await pickRunnableSpec(values.spec, values.syscall);
  const results = await runConformance(spec, suiteRefFor(spec.name)!);
  const report = await buildDrift(spec, results, values.man);
  const text = renderDrift(report);
  process.stdout.write(text);
  // Through the report writer: never through a symlink, both files or neither.
  await writeSet(values.reports!, [
    [REPORT_FILES.driftMd, text],
    [REPORT_FILES.driftJson, JSON.stringify(report, null, 2) + "\n"],
  ]);
  process.stderr.write(`kapi-conform: wrote ${join(values.reports!, REPORT_FILES.driftMd)} and ${REPORT_FILES.driftJson}\n`);
  return exitCodeOf(results) === 1 ? 1 : 0;
}
