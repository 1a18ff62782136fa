// SPDX-License-Identifier: GPL-2.0-only
// The results model of a run over several syscalls: KTAP nested syscall ->
// item -> case and still valid, the summary listing specs without a suite,
// bound-but-unchecked items counted apart, the call shown on failures, an
// older one-spec results.json still read, compare across syscalls, exit 4
// when nothing had a suite.
import { expect } from "chai";
import { Parser } from "tap-parser";
import { checkResults, upgradeResults } from "../../harness/report/results-file.js";
import { checkKtap } from "../../harness/report/ktap-check.js";
import { renderKtap } from "../../harness/report/ktap.js";
import { renderSummary } from "../../harness/report/summary.js";
import { buildMatrix, renderMarkdown, sharedSyscalls } from "../../harness/compare/matrix.js";
import { exitCodeOf } from "../../harness/run/verdicts.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cli, resultsOf, twoSyscalls } from "../gate/fixtures.js";

function tapCounts(text: string): Promise<{ ok: boolean; count: number; depth: number[] }> {
  return new Promise((resolve) => {
    const depth = [0, 0, 0];
    const parser = new Parser((final) => resolve({ ok: final.ok, count: final.count, depth }));
    parser.on("assert", () => (depth[0]! += 1));
    parser.on("child", (c: Parser) => {
      c.on("assert", () => (depth[1]! += 1));
      c.on("child", (g: Parser) => g.on("assert", () => (depth[2]! += 1)));
    });
    parser.end(text);
  });
}

describe("results of several syscalls", function () {
  const results = twoSyscalls();
  const ktap = renderKtap(results);

  it("KTAP nests syscall -> item -> case, passes the checker and tap-parser", async function () {
    expect(checkKtap(ktap), ktap).to.deep.equal([]);
    expect(ktap).to.match(/^ok 2 close$/m);
    expect(ktap).to.match(/^not ok 1 io_cancel$/m);
    expect(ktap).to.match(/^ {8}# Subtest: close\.errors\.1$/m);
    expect(ktap).to.match(/^ {8}ok 1 close\.env\.nfs # SKIP needs an NFS mount$/m);
    const tap = await tapCounts(ktap);
    expect(tap.depth).to.deep.equal([2, 4, 4]);
  });

  it("puts a skip's detail on a diagnostic after the result, the call before a failure", function () {
    const lines = ktap.split("\n");
    const skip = lines.findIndex((l) => l.includes("ok 1 close.env.nfs"));
    expect(lines[skip + 1]).to.equal("        # close.env.nfs: no NFS mount in /proc/self/mounts (3 mounts read)");
    expect(ktap).to.include("        # io_cancel.a.fail: call: io_cancel(ctx=0x7f0000001000, iocb=NULL, result=NULL)\n");
  });

  it("says bound-but-unchecked items in KTAP and the summary, counted apart from covered", function () {
    expect(ktap).to.match(/^ {4}# bound-unchecked: io_cancel\.errors\.2 \(line 230\): EFAULT: bad iocb/m);
    const md = renderSummary(results);
    expect(md).to.include("2 items: 1 covered, 1 bound-unchecked.");
    expect(md).to.match(/\| errors\[2\] EFAULT: bad iocb \| 230 \| bound-unchecked \|/);
  });

  it("lists the specs without a suite in the summary and KTAP, with their item counts", function () {
    const md = renderSummary(results);
    expect(md).to.match(/^# kapi-conform: io_cancel, close on Linux /m);
    expect(md).to.include("## No suite");
    expect(md).to.include("| open | `specs/open.patch:40` | 27 |");
    expect(md).to.include("| open | `specs/open.patch:40` | no suite |");
    expect(md).to.match(/\| `io_cancel\.a\.fail` \| fail \| .* \| `io_cancel\(ctx=0x7f0000001000, iocb=NULL, result=NULL\)` \|/);
    expect(ktap).to.include("# no suite: open (specs/open.patch:40, 27 items not checked)\n");
  });

  it("a run in which no spec had a suite exits 4", function () {
    expect(exitCodeOf({ ...results, specs: [], cases: [], totals: resultsOf([]).totals })).to.equal(4);
    expect(exitCodeOf({ ...resultsOf([]), unsuited: [] })).to.equal(0);
  });

  it("an unfinished run says so in KTAP and the summary, and never passes the gate", function () {
    const killed = { ...results, status: "interrupted" as const };
    const green = { ...resultsOf([]), status: "interrupted" as const };
    expect(exitCodeOf(green)).to.equal(1);
    expect(exitCodeOf({ ...green, status: "complete" })).to.equal(0);
    expect(renderKtap(killed)).to.include("# run status: interrupted: not a finished run\n");
    expect(checkKtap(renderKtap(killed))).to.deep.equal([]);
    expect(renderSummary(killed)).to.include("**Run status: interrupted.**");
  });

  it("reads an older results.json (one spec, no syscall fields) as a finished one-spec run", function () {
    const { specs, unsuited, status, ...rest } = resultsOf([]);
    void unsuited;
    void status;
    const old = {
      ...rest,
      spec: specs[0],
      cases: twoSyscalls().cases.slice(0, 2).map(({ syscall, ...c }) => (void syscall, c)),
      coverage: [{ section: "errors", index: 0, summary: "x", line: 1, status: "covered", caseIds: [] }],
    };
    const read = checkResults(JSON.parse(JSON.stringify(old)), "old.json");
    expect(read.specs).to.deep.equal([specs[0]]);
    expect(read.status).to.equal("complete");
    expect(read.unsuited).to.deep.equal([]);
    expect(read.cases.map((c) => c.syscall)).to.deep.equal(["io_cancel", "io_cancel"]);
    expect(read.coverage[0]!.syscall).to.equal("io_cancel");
    expect(upgradeResults(results)).to.equal(results);
  });

  it("refuses a results.json whose coverage status is unknown", function () {
    const bad = { ...results, coverage: [{ ...results.coverage[0]!, status: "mostly" }] };
    expect(() => checkResults(bad, "r.json")).to.throw(/coverage\.0\.status must be equal to one of the allowed values/);
  });

  it("compare: rows of every syscall, absent cells where a run lacks one", function () {
    const onlyIoCancel = resultsOf(results.cases.filter((c) => c.syscall === "io_cancel"), { release: "6.1.0" });
    const inputs = [
      { source: "a", results },
      { source: "b", results: onlyIoCancel },
    ];
    expect(sharedSyscalls(inputs)).to.deep.equal(["io_cancel"]);
    const m = buildMatrix(inputs);
    expect(m.syscalls).to.deep.equal(["io_cancel", "close"]);
    expect(m.rows.filter((r) => r.syscall === "close").every((r) => r.differs && r.cells[1] === undefined)).to.equal(true);
    const md = renderMarkdown(m);
    expect(md).to.match(/^# io_cancel, close across 2 kernels/);
    expect(md).to.include("Differing by syscall: io_cancel 0 of 2; close 2 of 2.");
  });

  it("`report` rebuilds a two-syscall run and re-gates it with an expectations glob over one syscall", function () {
    const dir = mkdtempSync(join(tmpdir(), "kapi-many-"));
    try {
      writeFileSync(join(dir, "results.json"), JSON.stringify(results));
      const plain = cli("report", dir);
      expect(plain.status, plain.stderr).to.equal(1);
      expect(checkKtap(plain.stdout)).to.deep.equal([]);
      expect(readFileSync(join(dir, "junit.xml"), "utf8").match(/<testsuite /g)).to.have.length(2);
      writeFileSync(join(dir, "expect.yaml"), "io_cancel.a.*:\n  reason: known\n  link: https://example.org/k\n");
      const gated = cli("report", dir, "--expect", join(dir, "expect.yaml"));
      expect(gated.status, gated.stderr).to.equal(0);
      expect(gated.stdout).to.match(/^ {8}ok 1 io_cancel\.a\.fail # XFAIL known$/m);
      expect(gated.stdout).to.match(/^ok 2 close$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
