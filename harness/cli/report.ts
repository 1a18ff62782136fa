// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform report DIR [--expect FILE] [--strict]`: rebuilds results.tap,
// junit.xml and summary.md from DIR/results.json without touching the kernel,
// optionally under another expectations file, prints the KTAP on stdout and
// exits as `run` would. results.json itself is left as the run wrote it.
import { basename, dirname, join } from "node:path";
import { exitCodeOf } from "../run/verdicts.js";
import { renderKtap } from "../report/ktap.js";
import { readDrift, readResults } from "../report/results-file.js";
import { REPORT_FILES, writeReports, writeSet } from "../report/write.js";
import { KCIDB_ID, KCIDB_ORIGIN, renderKcidb } from "../report/kcidb.js";
import { terminalText } from "../report/encode/terminal.js";
import { parseCommandArgs } from "./args.js";
import { UsageError } from "./errors.js";
import { prepareGate } from "./gate.js";

export const REPORT_USAGE = `usage: kapi-conform report DIR [--expect FILE] [--strict]
                           [--kcidb FILE --origin NAME [--build-id ID]]

Rebuild the reports of a saved run from DIR/results.json (as written by
'kapi-conform run --reports DIR'): results.tap, junit.xml and summary.md.
The KTAP goes to stdout; results.json is not modified.

  --expect FILE  apply this expectations file instead of the one the run
                 used (a listed failure is xfail, a listed pass is xpass);
                 kernel config conditions use the options results.json recorded
  --strict       an xpass fails the gate
  --kcidb FILE   also write the run as KCIDB v5 JSON (for kcidb-submit)
  --origin NAME  the KCIDB origin (your CI system's name: [a-z0-9_]+)
  --build-id ID  the KCIDB build tested (default ORIGIN:kernel-RELEASE)
  -h, --help     show this help

Exit: 0 conform (skips and xfail allowed), 1 a deviation (or an xpass with
--strict), 2 bad arguments or input (missing or malformed results.json or
expectations file), 4 everything skipped.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("report", argv, {
    expect: { type: "string" },
    strict: { type: "boolean", default: false },
    kcidb: { type: "string" },
    origin: { type: "string" },
    "build-id": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(REPORT_USAGE + "\n");
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("report: no DIR given (try 'kapi-conform report --help')");
  if (positionals.length > 1) throw new UsageError(`report: one DIR only, not also '${positionals[1]}'`);
  const dir = positionals[0]!;
  const { kcidb, origin } = values;
  const buildId = values["build-id"];
  if (kcidb !== undefined && origin === undefined) throw new UsageError("report: --kcidb needs --origin NAME (the KCIDB origin of your CI system)");
  if (kcidb === undefined && (origin !== undefined || buildId !== undefined)) throw new UsageError("report: --origin and --build-id go with --kcidb FILE");
  if (origin !== undefined && !KCIDB_ORIGIN.test(origin)) throw new UsageError(`report: --origin must match [a-z0-9_]+ (KCIDB origin), not '${terminalText(origin)}'`);
  if (buildId !== undefined && (!KCIDB_ID.test(buildId) || !buildId.startsWith(`${origin}:`))) throw new UsageError(`report: --build-id must be '${origin}:...' (a KCIDB id of your origin), not '${terminalText(buildId)}'`);
  const gate = await prepareGate({ expect: values.expect, strict: values.strict! });
  const results = gate(await readResults(join(dir, REPORT_FILES.results)));
  const written = await writeReports(results, dir, await readDrift(join(dir, REPORT_FILES.driftJson)), { keepResults: true });
  if (kcidb !== undefined) {
    const data = renderKcidb(results, { origin: origin!, ...(buildId ? { buildId } : {}) });
    written.push(...(await writeSet(dirname(kcidb), [[basename(kcidb), JSON.stringify(data, null, 2) + "\n"]])));
  }
  process.stdout.write(renderKtap(results));
  const t = results.totals;
  process.stderr.write(
    `kapi-conform: ${t.pass} pass, ${t.fail} fail, ${t.error} error, ${t.timeout} timeout, ${t.skip} skip, ${t.xfail} xfail, ${t.xpass} xpass; rebuilt: ${terminalText(written.join(", "))}\n`,
  );
  return exitCodeOf(results);
}
