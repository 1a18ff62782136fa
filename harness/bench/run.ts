// SPDX-License-Identifier: GPL-2.0-only
// Wall time of `kapi-conform run` on the bundled spec, split into process
// start-up, spec loading and planning, and execution against the kernel.
// With --baseline DIR (another checkout, built), the whole run of this build
// and of that one side by side: RUNS runs each, alternating, the medians, and
// whether the cases both have got the same verdicts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { defaultSpecPath, loadSpecs } from "../spec/load.js";
import { ioCancelSuite } from "../scenarios/io_cancel/suite.js";
import { planCases } from "../run/plan.js";
import { executePlan } from "../run/execute-plan.js";
import { suiteRefFor } from "../scenarios/registry.js";
import { detectEnvironment } from "../run/environment.js";
import type { BenchRow } from "./row.js";

const CLI = fileURLToPath(new URL("../cli/main.js", import.meta.url));

/** Runs of each build compared with --baseline. */
const RUNS = 7;

function timeCommand(args: string[], cli = CLI): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: ["ignore", "ignore", "ignore"] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${cli} ${args.join(" ")} exited ${r.status}`);
  return ms;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Each case's verdict and reason by id, from a run's results.json. */
function verdicts(reports: string): Map<string, { verdict: string; reason: string }> {
  const doc = JSON.parse(readFileSync(join(reports, "results.json"), "utf8")) as { cases: Array<{ id: string; verdict: string; reason?: string }> };
  return new Map(doc.cases.map((c) => [c.id, { verdict: c.verdict, reason: c.reason ?? "" }]));
}

/** This build's whole run against the baseline's (checked by main.ts to be built), alternating run by run. */
function sideBySide(baseline: string, dir: string): BenchRow[] {
  const other = join(baseline, "build", "harness", "cli", "main.js");
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    ours.push(timeCommand(["run", "--quiet", "--reports", join(dir, "ours")]));
    theirs.push(timeCommand(["run", "--quiet", "--reports", join(dir, "baseline")], other));
  }
  const a = verdicts(join(dir, "ours"));
  const b = verdicts(join(dir, "baseline"));
  const common = [...a.keys()].filter((id) => b.has(id));
  const verdictDiffers = common.filter((id) => a.get(id)!.verdict !== b.get(id)!.verdict);
  const reasonDiffers = common.filter((id) => a.get(id)!.verdict === b.get(id)!.verdict && a.get(id)!.reason !== b.get(id)!.reason);
  const verdictNote = verdictDiffers.length === 0 ? "same verdicts" : `${verdictDiffers.length} verdicts differ (${verdictDiffers.slice(0, 3).join(", ")})`;
  const note = `${common.length} cases in both: ${verdictNote}, ${reasonDiffers.length} reasons worded otherwise; ${a.size - common.length} only here, ${b.size - common.length} only in the baseline`;
  return [
    { name: `whole run, median of ${RUNS} alternating (this build)`, value: median(ours), unit: "ms", note: `min ${Math.min(...ours).toFixed(0)}, max ${Math.max(...ours).toFixed(0)}` },
    { name: `whole run, median of ${RUNS} alternating (baseline)`, value: median(theirs), unit: "ms", note: `${baseline}; min ${Math.min(...theirs).toFixed(0)}, max ${Math.max(...theirs).toFixed(0)}` },
    { name: "  this build / baseline", value: median(ours) / median(theirs), unit: "x", note },
  ];
}

const NOT_MEASURED: BenchRow[] = [
  { name: `whole run, median of ${RUNS} alternating (this build)`, value: NaN, unit: "ms", note: "not measured: --baseline DIR (a built checkout) compares" },
  { name: `whole run, median of ${RUNS} alternating (baseline)`, value: NaN, unit: "ms", note: "not measured" },
  { name: "  this build / baseline", value: NaN, unit: "x", note: "not measured" },
];

export async function measure(options: { baseline?: string } = {}): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "kapi-conform-bench-"));
  try {
    const whole = timeCommand(["run", "--quiet", "--reports", dir]);
    // `run --help` loads every module `run` imports, then stops before any work.
    const startup = timeCommand(["run", "--help"]);

    let t = performance.now();
    const { specs } = await loadSpecs([defaultSpecPath()]);
    const plan = planCases(specs.find((s) => s.name === "io_cancel")!, ioCancelSuite);
    const planning = performance.now() - t;
    t = performance.now();
    const { cases } = await executePlan(plan, detectEnvironment(), { isolate: { suite: suiteRefFor("io_cancel")! } });
    const execution = performance.now() - t;
    return [
      { name: "kapi-conform run (bundled io_cancel), whole process", value: whole, unit: "ms", note: `${cases.length} cases` },
      { name: "  start-up (node + CLI, --help)", value: startup, unit: "ms", note: "kapi-conform run --help: Node and every module run imports" },
      { name: "  load spec + plan cases (in process)", value: planning, unit: "ms" },
      { name: "  execute cases (isolated worker)", value: execution, unit: "ms" },
      ...(options.baseline ? sideBySide(options.baseline, dir) : NOT_MEASURED),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
