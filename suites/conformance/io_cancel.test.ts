// SPDX-License-Identifier: GPL-2.0-only
// The io_cancel conformance run as a mocha suite: one `it` per generated case,
// grouped by the spec item it checks. The expectation comes from the bundled
// spec, the observation from the live kernel.
import { expect } from "chai";
import { defaultSpecPath, loadSpecs } from "../../harness/spec/load.js";
import { ioCancelSuite } from "../../harness/scenarios/io_cancel/suite.js";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import { caseCount, planCases } from "../../harness/run/plan.js";
import { runConformance } from "../../harness/run/conformance.js";
import type { CaseResult, RunResults } from "../../harness/run/results.js";
import { aioNr } from "../../harness/kernel/procfs.js";
import { skipBecause } from "../support/skip.js";

const IO_CANCEL = suiteRefFor("io_cancel")!;

const { specs } = await loadSpecs([defaultSpecPath()]);
const spec = specs.find((s) => s.name === "io_cancel");
if (!spec) throw new Error(`the bundled spec ${defaultSpecPath()} holds no io_cancel spec`);
const plan = planCases(spec, ioCancelSuite);
const ids = [...plan.scenarios.flatMap((s) => s.checks.map((c) => c.id)), ...plan.environmentOnly.map((e) => e.id)];

describe("io_cancel conformance on the live kernel (bundled spec)", function () {
  let results: RunResults;
  let aioNrBefore: number;
  const byId = new Map<string, CaseResult>();

  before(async function () {
    aioNrBefore = aioNr();
    results = await runConformance(spec, IO_CANCEL);
    for (const c of results.cases) byId.set(c.id, c);
  });

  it("runs every planned case once", function () {
    expect(results.cases.map((c) => c.id)).to.deep.equal(ids);
    expect(results.cases).to.have.length(caseCount(plan));
  });

  for (const id of ids) {
    it(id, function () {
      const c = byId.get(id);
      expect(c, `case ${id} produced no result`).to.not.equal(undefined);
      if (c!.verdict === "skip") {
        expect(c!.reason, `skip of ${id} must name its reason`).to.be.a("string").and.not.equal("");
        skipBecause(this, c!.reason!);
      }
      expect(c!.verdict, `${id}: ${c!.reason ?? ""}`).to.equal("pass");
    });
  }

  it("accounts for every spec item in the coverage table", function () {
    const rows = results.coverage;
    expect(rows.filter((r) => r.section === "errors")).to.have.length(spec.errors.length);
    expect(rows.filter((r) => r.section === "locks")).to.have.length(spec.locks.length);
    expect(rows.filter((r) => r.section === "sideEffects")).to.have.length(spec.sideEffects.length);
    expect(rows.filter((r) => r.section === "stateTransitions")).to.have.length(spec.stateTransitions.length);
    expect(rows.filter((r) => r.section === "constraints")).to.have.length(spec.constraints.length);
    expect(rows.filter((r) => r.section === "params")).to.have.length(spec.params.length);
    for (const r of rows.filter((x) => x.status !== "covered")) expect(r.reason, `${r.section}[${r.index}] has no reason`).to.be.a("string").and.not.equal("");
    const invalidContext = rows.find((r) => /invalid .*context/i.test(r.summary));
    expect(invalidContext?.reason, "all six invalid-context conditions are exercised").to.match(/\(1\) \(2\) \(3\) \(4\) \(5\) \(6\)$/);
  });

  it("records which of two documented errors the kernel reports first", function () {
    const order = results.observations.find((o) => o.id.includes("check-order"));
    expect(order?.text).to.match(/the kernel reported E[A-Z]+/);
  });

  it("releases every AIO context it created", async function () {
    // The foreign-context child exits asynchronously; give it a moment.
    for (let i = 0; i < 50 && aioNr() !== aioNrBefore; i++) await new Promise((r) => setTimeout(r, 20));
    expect(aioNr()).to.equal(aioNrBefore);
  });
});
