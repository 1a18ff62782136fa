// SPDX-License-Identifier: GPL-2.0-only
// Comparing runs for `npm run repeat`: verdicts per case id and the exit code
// count, observed facts (the race's counts) do not.
import { expect } from "chai";
import { differences, type RunVerdicts } from "../../harness/soak/run-compare.js";
import type { Verdict } from "../../harness/run/results.js";

function run(exitCode: number, cases: Record<string, Verdict>): RunVerdicts {
  return { exitCode, verdicts: new Map(Object.entries(cases).map(([id, verdict]) => [id, { verdict, reason: `why ${id}` }])) };
}

describe("soak: comparing runs by verdict", function () {
  it("agrees when every case has the same verdict and the exit codes match", function () {
    expect(differences(run(0, { a: "pass", b: "skip" }), run(0, { b: "skip", a: "pass" }))).to.deep.equal([]);
  });

  it("names each changed verdict with the later reason, missing and extra cases, and the exit code", function () {
    expect(differences(run(0, { a: "pass", b: "skip", c: "pass" }), run(1, { a: "fail", b: "skip", d: "pass" }))).to.deep.equal([
      "exit code 0 -> 1",
      "a: pass -> fail (why a)",
      "c: pass -> missing",
      "d: missing -> pass",
    ]);
  });
});
