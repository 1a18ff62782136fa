// SPDX-License-Identifier: GPL-2.0-only
// The KAPI series' kernel options in results.json, and the summary's note on
// verdicts the in-kernel validator (CONFIG_KAPI_RUNTIME_CHECKS) may have given:
// a real run's results.json is edited as such a kernel would have produced it
// (validator on, NULL iocb answered with EINVAL) and rebuilt with `report`.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KAPI_RUNTIME_CHECKS, KAPI_SPEC, validatorSuspects } from "../../harness/run/kapi-config.js";
import type { RunResults } from "../../harness/run/results.js";

const CLI = "build/harness/cli/main.js";

describe("KAPI kernel options: recorded, and the validator's verdicts named", function () {
  this.timeout(120_000);
  let dir: string;
  let results: RunResults;

  /** results.json as a kernel with the given validator setting would give it, the NULL iocb case answered by the validator. */
  function asValidatorKernel(value: string): RunResults {
    const r = structuredClone(results);
    r.kernel.config[KAPI_RUNTIME_CHECKS] = value;
    const c = r.cases.find((x) => x.id.endsWith("iocb-null.rejected"))!;
    c.observed = { ret: "-1", errno: "EINVAL" };
    c.verdict = "fail";
    return r;
  }

  function summaryOf(r: RunResults): string {
    const out = join(dir, `report-${Math.random().toString(36).slice(2)}`);
    spawnSync("mkdir", ["-p", out]);
    writeFileSync(join(out, "results.json"), JSON.stringify(r));
    spawnSync(process.execPath, [CLI, "report", out], { encoding: "utf8" });
    return readFileSync(join(out, "summary.md"), "utf8");
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-kapi-config-"));
    const run = spawnSync(process.execPath, [CLI, "run", "--reports", join(dir, "run")], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`run exited ${run.status}: ${run.stderr}`);
    results = JSON.parse(readFileSync(join(dir, "run", "results.json"), "utf8")) as RunResults;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("results.json records CONFIG_KAPI_SPEC and CONFIG_KAPI_RUNTIME_CHECKS with the value found", () => {
    for (const option of [KAPI_SPEC, KAPI_RUNTIME_CHECKS]) expect(results.kernel.config[option], option).to.be.oneOf(["y", "n", "unknown"]);
  });

  it("names the parameter-violation cases that got EINVAL when the validator is on", () => {
    const r = asValidatorKernel("y");
    const ids = validatorSuspects(r).map((c) => c.id.replace(/^io_cancel\./, ""));
    expect(ids).to.include.members(["iocb-null.rejected", "ctx-zero.rejected", "ctx-zero.param-constraint"]);
    // A case that violates no parameter keeps its EINVAL to itself.
    expect(ids).to.not.include("never-submitted.rejected");
    const summary = summaryOf(r);
    expect(summary).to.contain("## In-kernel KAPI validator");
    expect(summary).to.match(/`io_cancel\.iocb-null\.rejected` \(fail\): EINVAL/);
  });

  it("says nothing about a validator the kernel does not have", () => {
    expect(summaryOf(asValidatorKernel("n"))).to.not.contain("In-kernel KAPI validator");
  });
});
