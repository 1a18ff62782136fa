// SPDX-License-Identifier: GPL-2.0-only
// Applying an expectations file to synthetic results: each verdict path, the
// totals, the warnings, and the kselftest exit codes with and without --strict.
import { expect } from "chai";
import { applyExpectations, clearExpectations } from "../../harness/gate/apply.js";
import { parseExpectations, targetOf } from "../../harness/gate/expectations.js";
import { exitCodeOf } from "../../harness/run/verdicts.js";
import type { RunResults, Verdict } from "../../harness/run/results.js";
import { caseOf, resultsOf } from "./fixtures.js";

const FILE = `io_cancel.a.fails:
  reason: known kernel bug
  link: https://bugzilla.kernel.org/show_bug.cgi?id=1
io_cancel.a.passes:
  reason: fixed upstream, not here yet
  link: https://example.org/2
io_cancel.b.*:
  reason: listed but neither failing nor passing
  link: https://example.org/3
io_cancel.old.*:
  reason: only before 6.1
  link: https://example.org/4
  kernel: "<6.1"
io_cancel.gone:
  reason: a case that no longer exists
  link: https://example.org/5
`;

const expectations = parseExpectations(FILE, "expect.yaml");

function run(): RunResults {
  return resultsOf([
    caseOf("a.fails", "fail"),
    caseOf("a.passes", "pass"),
    caseOf("a.other", "pass"),
    caseOf("a.unlisted-fail", "fail"),
    caseOf("b.skip", "skip"),
    caseOf("b.error", "error"),
    caseOf("b.timeout", "timeout"),
    caseOf("old.fails", "fail"),
  ]);
}

const gate = (results: RunResults, strict = false) => applyExpectations(results, expectations, targetOf(results.kernel), { strict, file: "expect.yaml" });
const verdictOf = (r: RunResults, id: string): Verdict | undefined => r.cases.find((c) => c.id === `io_cancel.${id}`)?.verdict;

describe("gate: applying expectations", function () {
  it("a listed failure becomes xfail, a listed pass xpass; unlisted cases keep their verdict", function () {
    const { results, xfail, xpass } = gate(run());
    expect(verdictOf(results, "a.fails")).to.equal("xfail");
    expect(verdictOf(results, "a.passes")).to.equal("xpass");
    expect(verdictOf(results, "a.other")).to.equal("pass");
    expect(verdictOf(results, "a.unlisted-fail")).to.equal("fail");
    expect(xfail.map((c) => c.id)).to.deep.equal(["io_cancel.a.fails"]);
    expect(xpass.map((c) => c.id)).to.deep.equal(["io_cancel.a.passes"]);
  });

  it("records the entry and the verdict it replaced on the case, and the gate on the results", function () {
    const { results } = gate(run(), true);
    const c = results.cases.find((x) => x.id === "io_cancel.a.fails")!;
    expect(c.expectedFailure).to.deep.equal({ pattern: "io_cancel.a.fails", reason: "known kernel bug", link: "https://bugzilla.kernel.org/show_bug.cgi?id=1", file: "expect.yaml", line: 1, verdict: "fail" });
    expect(c.reason).to.equal("fail: why");
    expect(results.gate).to.deep.equal({ expectations: "expect.yaml", strict: true });
  });

  it("leaves skips, harness errors and timeouts alone even when listed", function () {
    const { results } = gate(run());
    expect(verdictOf(results, "b.skip")).to.equal("skip");
    expect(verdictOf(results, "b.error")).to.equal("error");
    expect(verdictOf(results, "b.timeout")).to.equal("timeout");
  });

  it("applies an entry only where its kernel range holds", function () {
    expect(verdictOf(gate(run()).results, "old.fails")).to.equal("fail");
    expect(verdictOf(gate(resultsOf(run().cases, { release: "5.15.0-91-generic" })).results, "old.fails")).to.equal("xfail");
  });

  it("recomputes the totals", function () {
    const { results } = gate(run());
    expect(results.totals).to.deep.equal({ pass: 1, fail: 2, skip: 1, error: 1, timeout: 1, xfail: 1, xpass: 1 });
  });

  it("warns about an entry that names no case", function () {
    const { unmatched } = gate(run());
    expect(unmatched.map((e) => [e.pattern, e.line])).to.deep.equal([["io_cancel.gone", 14]]);
  });

  it("does not modify its input, and applying twice is applying once", function () {
    const input = run();
    const before = JSON.stringify(input);
    const once = gate(input).results;
    expect(JSON.stringify(input)).to.equal(before);
    expect(gate(once).results).to.deep.equal(once);
  });

  it("clearExpectations restores the run as it was", function () {
    const input = run();
    const cleared = clearExpectations(gate(input).results);
    expect(cleared.cases).to.deep.equal(input.cases);
    expect(cleared.totals).to.deep.equal(input.totals);
    expect(cleared.gate).to.equal(undefined);
  });
});

describe("gate: kselftest exit codes", function () {
  const only = (...verdicts: Verdict[]) => resultsOf(verdicts.map((v, i) => caseOf(`x.c${i}`, v)));

  it("0 when every case passes, is skipped in part, or is an expected failure", function () {
    expect(exitCodeOf(only("pass", "pass"))).to.equal(0);
    expect(exitCodeOf(only("pass", "skip"))).to.equal(0);
    expect(exitCodeOf(only("pass", "xfail"))).to.equal(0);
    expect(exitCodeOf(only("xfail", "skip"))).to.equal(0);
  });

  it("1 for any fail, error or timeout", function () {
    for (const v of ["fail", "error", "timeout"] as const) expect(exitCodeOf(only("pass", "xfail", v)), v).to.equal(1);
  });

  it("xpass: 0 by default, 1 with strict (from the option or recorded in results.gate)", function () {
    expect(exitCodeOf(only("pass", "xpass"))).to.equal(0);
    expect(exitCodeOf(only("pass", "xpass"), { strict: true })).to.equal(1);
    expect(exitCodeOf({ ...only("pass", "xpass"), gate: { strict: true } })).to.equal(1);
    expect(exitCodeOf({ ...only("pass", "xpass"), gate: { strict: true } }, { strict: false })).to.equal(0);
    expect(exitCodeOf(gate(run(), true).results)).to.equal(1);
  });

  it("4 when every case was skipped", function () {
    expect(exitCodeOf(only("skip", "skip"))).to.equal(4);
  });

  it("an expectations file can turn a failing run into a passing gate", function () {
    const failing = resultsOf([caseOf("a.fails", "fail"), caseOf("a.other", "pass")]);
    expect(exitCodeOf(failing)).to.equal(1);
    expect(exitCodeOf(gate(failing).results)).to.equal(0);
    expect(exitCodeOf(gate(failing, true).results)).to.equal(0);
  });
});
