// SPDX-License-Identifier: GPL-2.0-only
// `npm run repeat -- [--runs N] [--keep DIR]`: runs `kapi-conform run --quiet`
// N times back to back (the built CLI, each run a fresh process) and compares
// every run's verdicts per case id with the first's. Prints how many runs were
// identical, each differing case, and the time taken.
// Exit 0 all identical, 1 a difference (or a run without results), 2 bad arguments.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { readResults } from "../report/results-file.js";
import { packageRoot } from "../spec/root.js";
import { parseScriptArgs, runScript, wholeNumber } from "./args.js";
import { differences, verdictsOf, type RunVerdicts } from "./run-compare.js";

const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));

const HELP = `usage: npm run repeat -- [--runs N] [--keep DIR]

Runs 'kapi-conform run --quiet --reports DIR/run-I' N times back to back and
compares each run's verdicts per case id with the first run's (verdicts only:
observed counts such as the race's vary by design).

  --runs N    how many runs (default 20, at least 2)
  --keep DIR  keep every run's reports under DIR (default: a temporary
              directory, removed at the end)`;

async function main(argv: string[]): Promise<number> {
  const values = parseScriptArgs(argv, {
    runs: { type: "string" },
    keep: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const runs = wholeNumber("runs", values.runs, 20, 2, 10000);
  const base = values.keep ?? mkdtempSync(path.join(tmpdir(), "kapi-conform-repeat-"));
  mkdirSync(base, { recursive: true });
  const durations: number[] = [];
  let first: RunVerdicts | undefined;
  let identical = 0;
  const differing: string[] = [];
  const start = performance.now();
  try {
    for (let i = 1; i <= runs; i++) {
      const reports = path.join(base, `run-${i}`);
      const t = performance.now();
      const r = spawnSync(process.execPath, [CLI, "run", "--quiet", "--reports", reports], { cwd: packageRoot(), encoding: "utf8" });
      durations.push(performance.now() - t);
      let run: RunVerdicts;
      try {
        run = verdictsOf(await readResults(path.join(reports, "results.json")), r.status);
      } catch (err) {
        const why = r.stderr.trim().split("\n").at(-1) ?? (err instanceof Error ? err.message : String(err));
        differing.push(`run ${i}: no results (exit ${String(r.status)}${r.signal ? `, ${r.signal}` : ""}): ${why}`);
        process.stderr.write(`repeat: run ${i}/${runs}: no results\n`);
        continue;
      }
      if (!first) {
        first = run;
        identical++;
        process.stderr.write(`repeat: run ${i}/${runs}: ${run.verdicts.size} cases, exit ${String(run.exitCode)} (the reference)\n`);
        continue;
      }
      const diff = differences(first, run);
      if (diff.length === 0) identical++;
      else differing.push(...diff.map((d) => `run ${i}: ${d}`));
      process.stderr.write(`repeat: run ${i}/${runs}: ${diff.length === 0 ? "identical" : `${diff.length} difference(s)`}\n`);
    }
  } finally {
    if (values.keep === undefined) rmSync(base, { recursive: true, force: true });
  }
  const total = (performance.now() - start) / 1000;
  const sorted = [...durations].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]! / 1000;
  const lines = [
    `runs: ${runs}`,
    `identical to run 1: ${identical}/${runs}`,
    `cases per run: ${first?.verdicts.size ?? 0}`,
    `time: ${total.toFixed(1)} s in all, median ${median.toFixed(2)} s per run (min ${(sorted[0]! / 1000).toFixed(2)}, max ${(sorted.at(-1)! / 1000).toFixed(2)})`,
    `differences: ${differing.length}`,
    ...differing.map((d) => `  ${d}`),
  ];
  if (values.keep !== undefined) lines.push(`reports kept under ${base}`);
  process.stdout.write(lines.join("\n") + "\n");
  return differing.length > 0 ? 1 : 0;
}

runScript("repeat", main);
