// SPDX-License-Identifier: GPL-2.0-only
// Wall time of `kapi-conform run` on the bundled spec, split into process
// start-up, spec loading and planning, and execution against the kernel.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
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

function timeCommand(args: string[]): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { stdio: ["ignore", "ignore", "ignore"] });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`kapi-conform ${args.join(" ")} exited ${r.status}`);
  return ms;
}

export async function measure(): Promise<BenchRow[]> {
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
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
