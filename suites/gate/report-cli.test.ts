// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform report DIR [--expect FILE] [--strict]` on synthetic results
// (no kernel): the reports are rebuilt from results.json, the expectations
// file gates them, and the exit codes follow kselftest (0/1/2/4).
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkKtap } from "../../harness/report/ktap-check.js";
import type { RunResults, Verdict } from "../../harness/run/results.js";
import { caseOf, cli, resultsOf } from "./fixtures.js";

let root: string;
let n = 0;

/** A fresh reports directory holding `results` as results.json. */
function saved(results: RunResults | string): string {
  const dir = join(root, `run-${++n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "results.json"), typeof results === "string" ? results : JSON.stringify(results, null, 2));
  return dir;
}

function expectations(text: string): string {
  const file = join(root, `expect-${++n}.yaml`);
  writeFileSync(file, text);
  return file;
}

const oneLineExit2 = (r: ReturnType<typeof cli>) => {
  expect(r.status, r.stderr).to.equal(2);
  expect(r.stdout).to.equal("");
  expect(r.stderr.trimEnd().split("\n"), r.stderr).to.have.length(1);
  expect(r.stderr).to.not.match(/\n\s+at /);
};

const run = (...verdicts: Array<[string, Verdict]>) => resultsOf(verdicts.map(([id, v], i) => caseOf(id, v, "errors", i % 2)));

const KNOWN = `io_cancel.poll.returns-success:
  reason: 6.8-rc7 returned 0 from a successful cancel
  link: https://example.org/6.8-rc7
  kernel: ">=6.1 <6.19"
io_cancel.ctx.*:
  reason: only on old kernels
  link: https://example.org/old
  kernel: "<6.1"
`;

describe("kapi-conform report DIR", function () {
  before(() => (root = mkdtempSync(join(tmpdir(), "kapi-conform-report-"))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("rebuilds results.tap, junit.xml and summary.md from results.json, prints the KTAP, leaves results.json alone", function () {
    const results = run(["poll.returns-success", "pass"], ["ctx.zero", "pass"], ["ctx.gone", "skip"]);
    const dir = saved(results);
    const before = readFileSync(join(dir, "results.json"), "utf8");
    const r = cli("report", dir);
    expect(r.status, r.stderr).to.equal(0);
    expect(checkKtap(r.stdout)).to.deep.equal([]);
    expect(readFileSync(join(dir, "results.tap"), "utf8")).to.equal(r.stdout);
    expect(readFileSync(join(dir, "junit.xml"), "utf8").match(/<testcase /g)).to.have.length(3);
    expect(readFileSync(join(dir, "summary.md"), "utf8")).to.match(/^# kapi-conform: io_cancel on Linux 6\.18\.44-fc-v769/);
    expect(readFileSync(join(dir, "results.json"), "utf8")).to.equal(before);
  });

  it("exit 1 for a failing run; 0 once an expectations file whose kernel range matches lists the failure", function () {
    const dir = saved(run(["poll.returns-success", "fail"], ["ctx.zero", "pass"]));
    expect(cli("report", dir).status).to.equal(1);
    const r = cli("report", dir, "--expect", expectations(KNOWN));
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^ {8}ok 1 io_cancel\.poll\.returns-success # XFAIL 6\.8-rc7 returned 0 from a successful cancel$/m);
    expect(checkKtap(r.stdout)).to.deep.equal([]);
    expect(r.stderr).to.match(/expectations .*: 2 entries, 1 xfail, 0 xpass/);
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).to.match(/<system-out>spec item: [^\n]*\nexpected failure: 6\.8-rc7 returned 0/);
    expect(readFileSync(join(dir, "summary.md"), "utf8")).to.include("## Expected failures");
  });

  it("an entry whose kernel range does not match this release waives nothing", function () {
    const dir = saved(run(["ctx.zero", "fail"]));
    const r = cli("report", dir, "--expect", expectations(KNOWN));
    expect(r.status, r.stderr).to.equal(1);
    expect(r.stdout).to.match(/^ {8}not ok 1 io_cancel\.ctx\.zero$/m);
  });

  it("a listed case that passes is an XPASS, loud on stderr: exit 0, or 1 with --strict", function () {
    const dir = saved(run(["poll.returns-success", "pass"], ["ctx.zero", "pass"]));
    const file = expectations(KNOWN);
    const loose = cli("report", dir, "--expect", file);
    expect(loose.status, loose.stderr).to.equal(0);
    expect(loose.stderr).to.match(/^kapi-conform: XPASS io_cancel\.poll\.returns-success: listed as failing in .*expect-\d+\.yaml:1 .* but it PASSED/m);
    expect(loose.stdout).to.match(/^ {8}ok 1 io_cancel\.poll\.returns-success # XPASS /m);
    const strict = cli("report", dir, "--expect", file, "--strict");
    expect(strict.status, strict.stderr).to.equal(1);
    expect(strict.stderr).to.include("(fails the gate: --strict)");
    expect(strict.stdout).to.match(/^ {8}not ok 1 io_cancel\.poll\.returns-success # XPASS /m);
    expect(checkKtap(strict.stdout)).to.deep.equal([]);
  });

  it("globs match several cases; config conditions read the options results.json recorded", function () {
    const results = { ...run(["ctx.zero", "fail"], ["ctx.gone", "fail"], ["poll.x", "pass"]), kernel: { ...resultsOf([]).kernel, config: { CONFIG_AIO: "y" } } };
    const dir = saved(results);
    const file = expectations(`io_cancel.ctx.*:\n  reason: r\n  link: https://example.org/r\n  config: { CONFIG_AIO: y }\n`);
    const r = cli("report", dir, "--expect", file);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.match(/# XFAIL r$/gm)).to.have.length(2);
    const unknown = cli("report", dir, "--expect", expectations(`io_cancel.ctx.*:\n  reason: r\n  link: https://example.org/r\n  config: { CONFIG_USB_GADGET: y }\n`));
    expect(unknown.status).to.equal(1);
    expect(unknown.stderr).to.match(/warning: .*:1: expectation 'io_cancel\.ctx\.\*' not applied: CONFIG_USB_GADGET is unknown/);
  });

  it("warns about an entry that matches no case", function () {
    const dir = saved(run(["ctx.zero", "pass"]));
    const r = cli("report", dir, "--expect", expectations(`io_cancel.gone.case:\n  reason: r\n  link: https://example.org/r\n`));
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/^kapi-conform: warning: .*expect-\d+\.yaml:1: expectation 'io_cancel\.gone\.case' matches no case of this run/m);
  });

  it("re-gating replaces the expectations the run recorded; without --expect they are kept", function () {
    const dir = saved(run(["poll.returns-success", "fail"]));
    const gatedRun = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as RunResults;
    gatedRun.cases[0] = { ...gatedRun.cases[0]!, verdict: "xfail", expectedFailure: { pattern: "io_cancel.poll.*", reason: "old", link: "https://example.org/o", file: "old.yaml", line: 1, verdict: "fail" } };
    writeFileSync(join(dir, "results.json"), JSON.stringify({ ...gatedRun, gate: { expectations: "old.yaml", strict: false } }));
    expect(cli("report", dir).status).to.equal(0);
    const replaced = cli("report", dir, "--expect", expectations(`io_cancel.other:\n  reason: r\n  link: https://example.org/r\n`));
    expect(replaced.status, replaced.stderr).to.equal(1);
  });

  it("exit 4 when every case was skipped", function () {
    expect(cli("report", saved(run(["a.b", "skip"], ["a.c", "skip"]))).status).to.equal(4);
  });

  describe("misuse: one line on stderr, exit 2", function () {
    it("a malformed expectations file, naming file and line", function () {
      const file = expectations("io_cancel.a:\n  reason: r\n  link: not a url\n");
      const r = cli("report", saved(run(["a", "pass"])), "--expect", file);
      oneLineExit2(r);
      expect(r.stderr).to.equal(`kapi-conform: ${file}:3: link 'not a url' is not an http(s) URL\n`);
    });

    it("an expectations file that is not there", function () {
      oneLineExit2(cli("report", saved(run(["a", "pass"])), "--expect", join(root, "none.yaml")));
    });

    it("a directory without results.json", function () {
      const r = cli("report", join(root, "nothing-here"));
      oneLineExit2(r);
      expect(r.stderr).to.match(/results\.json': no such file/);
    });

    it("a results.json that is not JSON", function () {
      const r = cli("report", saved("{ not json"));
      oneLineExit2(r);
      expect(r.stderr).to.match(/results\.json: not valid JSON/);
    });

    it("a results.json without the fields the reports need", function () {
      const broken = run(["a", "pass"]) as unknown as { cases: Array<Record<string, unknown>> };
      broken.cases[0]!["verdict"] = "passed";
      const r = cli("report", saved(JSON.stringify(broken)));
      oneLineExit2(r);
      expect(r.stderr).to.match(/not a kapi-conform results file: cases\.0\.verdict must be equal to one of the allowed values/);
    });

    it("no DIR, two DIRs, an unknown flag", function () {
      oneLineExit2(cli("report"));
      oneLineExit2(cli("report", "a", "b"));
      oneLineExit2(cli("report", root, "--bogus"));
    });
  });

  it("--help prints the usage and exits 0", function () {
    const r = cli("report", "--help");
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/^usage: kapi-conform report DIR \[--expect FILE\] \[--strict\]/);
  });
});
