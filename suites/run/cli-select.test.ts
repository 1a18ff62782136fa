// SPDX-License-Identifier: GPL-2.0-only
// The CLI testers expect from kselftest's runner: --version / -V, run --list
// (no kernel call, no reports), run -t GLOB (repeatable) for a subset, and
// -q / -v for less or more progress.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { checkKtap } from "../../harness/report/ktap-check.js";
import { ROOT } from "../spec/helpers.js";
import { planCases } from "../../harness/run/plan.js";
import { caseIds, selectCases, unmatchedGlobs } from "../../harness/run/select.js";
import { ioCancelSuite } from "../../harness/scenarios/io_cancel/suite.js";
import { defaultSpecPath, loadSpecs } from "../../harness/spec/load.js";

const CLI = path.join(ROOT, "build/harness/cli/main.js");
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
const caseIdsOf = (reports: string): string[] => (JSON.parse(readFileSync(path.join(reports, "results.json"), "utf8")) as { cases: Array<{ id: string }> }).cases.map((c) => c.id);
/** The cases: the deepest KTAP level (run > syscall > spec item > case). */
const ktapCases = (ktap: string): string[] => [...ktap.matchAll(/^ {8}(?:not )?ok \d+ (\S+)/gm)].map((m) => m[1]!);

describe("CLI: version, listing, subsets, verbosity", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), "kapi-select-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("--version and -V print 'kapi-conform X.Y.Z' from package.json", function () {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-V"]) {
      const r = cli(flag);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.equal(`kapi-conform ${version}\n`);
    }
  });

  it("run --list prints each case id with its spec items, in run order, without running or writing anything", function () {
    const reports = path.join(dir, "never");
    const r = cli("run", "--list", "--reports", reports);
    expect(r.status, r.stderr).to.equal(0);
    expect(existsSync(reports)).to.equal(false);
    const lines = r.stdout.trimEnd().split("\n");
    for (const line of lines) expect(line).to.match(/^io_cancel\.[\w.-]+\t.*\(specs\/io_cancel\.archive\.txt:\d+\)/);
    expect(lines.find((l) => l.startsWith("io_cancel.iocb-null.rejected\t"))).to.include('EFAULT "Cannot read iocb from userspace"');
    // The same cases, in the same order, as a real run records them.
    const run = cli("run", "--quiet", "--reports", path.join(dir, "full"));
    expect(run.status, run.stderr).to.be.oneOf([0, 1]);
    expect(lines.map((l) => l.split("\t")[0])).to.deep.equal(caseIdsOf(path.join(dir, "full")));
  });

  it("run -t GLOB (repeatable) runs the matching cases with their scenarios, and only those", function () {
    const globs = ["-t", "io_cancel.ctx-*", "--test", "io_cancel.poll-cancel.one-event"];
    const listed = cli("run", "--list", ...globs).stdout.trimEnd().split("\n").map((l) => l.split("\t")[0]!);
    expect(listed).to.include("io_cancel.poll-cancel.one-event").and.include("io_cancel.poll-cancel.event-in-ring");
    expect(listed.every((id) => id.startsWith("io_cancel.ctx-") || id.startsWith("io_cancel.poll-cancel."))).to.equal(true);
    const reports = path.join(dir, "subset");
    const r = cli("run", "--quiet", "--reports", reports, ...globs);
    expect(r.status, r.stderr).to.equal(0);
    expect(checkKtap(r.stdout)).to.deep.equal([]);
    expect(ktapCases(r.stdout).sort()).to.deep.equal([...listed].sort());
    const results = JSON.parse(readFileSync(path.join(reports, "results.json"), "utf8")) as { cases: Array<{ id: string; verdict: string }> };
    expect(caseIdsOf(reports)).to.deep.equal(listed);
    expect(results.cases.every((c) => c.verdict === "pass"), JSON.stringify(results.cases)).to.equal(true);
  });

  it("selectCases: no glob keeps the plan; a glob keeps whole scenarios and matching environment-only entries", async function () {
    const spec = (await loadSpecs([defaultSpecPath()])).specs[0]!;
    const plan = planCases(spec, ioCancelSuite);
    expect(selectCases(plan, [])).to.equal(plan);
    const subset = selectCases(plan, ["io_cancel.poll-cancel.cancelled-flag", "io_cancel.usb-gadget-cancel-*"]);
    expect(subset.scenarios.map((s) => s.scenario.id)).to.deep.equal(["poll-cancel"]);
    expect(subset.environmentOnly.map((e) => e.id)).to.deep.equal(["io_cancel.usb-gadget-cancel-error"]);
    expect(subset.scenarios[0]!.checks).to.equal(plan.scenarios.find((s) => s.scenario.id === "poll-cancel")!.checks);
    expect(caseIds(subset).length).to.be.below(caseIds(plan).length);
    expect(unmatchedGlobs(plan, ["io_cancel.poll-cancel.*", "nothing"])).to.deep.equal(["nothing"]);
  });

  it("-t with a glob that matches no case, and -q with -v, are usage errors", function () {
    const none = cli("run", "-t", "io_cancel.nothing-*");
    expect(none.status).to.equal(2);
    expect(none.stderr).to.equal("kapi-conform: run: -t 'io_cancel.nothing-*' matches no case of the plan (see 'kapi-conform run --list')\n");
    const both = cli("run", "-q", "-v");
    expect(both.status).to.equal(2);
    expect(both.stderr).to.equal("kapi-conform: run: -q and -v contradict each other\n");
  });

  it("-q prints no progress; -v gives every case a reason, passes included", function () {
    const glob = ["-t", "io_cancel.ctx-*"];
    const quiet = cli("run", "-q", "--reports", path.join(dir, "q"), ...glob);
    expect(quiet.stderr).to.not.match(/^\[\s*\d+\/\d+\]/m);
    const verbose = cli("run", "-v", "--reports", path.join(dir, "v"), ...glob);
    const progress = verbose.stderr.split("\n").filter((l) => /^\[\s*\d+\/\d+\]/.test(l));
    expect(progress.length).to.equal(ktapCases(verbose.stdout).length).and.above(0);
    for (const line of progress) expect(line).to.match(/^\[\s*\d+\/\d+\] pass {4}\S+ - expected -1 E[A-Z]+; observed -1 E[A-Z]+ \(kernel returned -E[A-Z]+\) \(specs\/io_cancel\.archive\.txt:\d+\)$/);
  });
});
