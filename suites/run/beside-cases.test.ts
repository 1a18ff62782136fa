// SPDX-License-Identifier: GPL-2.0-only
// Containment beside the cases: a scenario whose cleanup hangs is an error
// case (it fails the run), and drift's library claims run in the isolated
// worker under the per-case limit, so a claim that crashes or hangs costs one
// error row, never the CLI.
import { expect } from "chai";
import { performance } from "node:perf_hooks";
import { parseInput } from "../../harness/spec/parse-input.js";
import { runConformance } from "../../harness/run/conformance.js";
import { exitCodeOf } from "../../harness/run/verdicts.js";
import { libraryClaims } from "../../harness/drift/library-claims.js";
import type { SuiteRef } from "../../harness/scenarios/registry.js";
import type { Spec } from "../../harness/spec/model.js";
import { MISBEHAVING_SPEC } from "./fixtures/misbehaving-suite.js";

const ref = (exportName: string): SuiteRef => ({ syscall: "getpid", module: new URL("./fixtures/side-suite.js", import.meta.url).href, exportName });

describe("containment beside the cases", function () {
  this.timeout(30_000);
  let spec: Spec;
  before(function () {
    spec = parseInput("getpid.c", MISBEHAVING_SPEC).specs[0]!;
  });

  it("a cleanup that hangs is an error case of its own, and the next scenario still runs", async function () {
    const results = await runConformance(spec, ref("cleanupHangSuite"), { caseTimeoutMs: 1000 });
    const cleanup = results.cases.find((c) => c.id === "getpid.hangs-in-cleanup.cleanup");
    expect(cleanup, JSON.stringify(results.cases.map((c) => c.id))).to.include({ verdict: "error" });
    expect(cleanup!.reason).to.match(/^cleanup did not finish: no result within 1000 ms/);
    expect(results.cases.find((c) => c.id === "getpid.hangs-in-cleanup.returns")).to.include({ verdict: "pass" });
    expect(results.cases.find((c) => c.id === "getpid.plain.returns")).to.include({ verdict: "pass" });
    expect(results.observations.map((o) => o.id)).to.not.include("getpid.hangs-in-cleanup.cleanup");
    expect(exitCodeOf(results)).to.equal(1);
  });

  it("library claims are checked in the worker process, not in this one", async function () {
    const rows = await libraryClaims(spec, { suite: ref("claimsInWorkerSuite") });
    expect(rows).to.have.length(1);
    expect(Number(rows[0]!.observed)).to.be.a("number").and.not.equal(process.pid).and.not.equal(0);
  });

  it("a library claim that blocks in the kernel is an error row after the per-case limit", async function () {
    const start = performance.now();
    const rows = await libraryClaims(spec, { suite: ref("claimsHangSuite"), caseTimeoutMs: 500 });
    expect(performance.now() - start).to.be.below(5000);
    expect(rows).to.deep.equal([
      { claim: "library claims", spec: "the suite's library checks", observed: "not checked: no answer within 500 ms (per-case limit); the process was killed", verdict: "error" },
    ]);
  });

  it("a library claim that kills its process is an error row naming the signal", async function () {
    const rows = await libraryClaims(spec, { suite: ref("claimsCrashSuite") });
    expect(rows[0]).to.include({ verdict: "error", observed: "not checked: the process was killed by SIGKILL" });
  });

  it("a suite without the hook has no library claims, and no worker is started for it", async function () {
    expect(await libraryClaims(spec, { suite: ref("cleanupHangSuite") })).to.deep.equal([]);
  });
});
