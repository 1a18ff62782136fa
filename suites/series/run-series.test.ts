// SPDX-License-Identifier: GPL-2.0-only
// The KAPI series in one run: `run --spec ../shared/kapi-corpus` runs every
// corpus spec that has a suite (two specs of one syscall get labels told apart
// by dialect), lists the others as "no suite" with their item counts, gates on
// the series' expectations file, and writes KTAP the project's checker and
// tap-parser accept. `--syscall` picks; an input with no suite exits 4.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Parser } from "tap-parser";
import { checkKtap } from "../../harness/report/ktap-check.js";
import { readResults } from "../../harness/report/results-file.js";
import type { RunResults } from "../../harness/run/results.js";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import { loadSpecs } from "../../harness/spec/load.js";
import { skipBecause } from "../support/skip.js";
import { cSource, DEMO_DEFINE, demoBody } from "../spec/helpers.js";

const CORPUS = "../shared/kapi-corpus";
const CLI = "build/harness/cli/main.js";
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 300_000 });

describe("the KAPI series in one run", function () {
  this.timeout(300_000);
  let dir: string;
  let results: RunResults;
  let ktap: string;
  let status: number | null;
  let stderr: string;

  before(async function () {
    if (!existsSync(CORPUS)) skipBecause(this, `the corpus is not at ${CORPUS}`);
    dir = mkdtempSync(join(tmpdir(), "kapi-series-"));
    const r = cli("run", "--spec", CORPUS, "--expect", "suites/series/expectations.yaml", "--reports", join(dir, "all"), "--quiet");
    status = r.status;
    stderr = r.stderr;
    ktap = r.stdout;
    results = await readResults(join(dir, "all", "results.json"));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("runs every corpus spec that has a suite, and gates green on the series' expectations", async function () {
    expect(status, stderr).to.equal(0);
    const { specs } = await loadSpecs([CORPUS]);
    const suited = specs.filter((s) => suiteRefFor(s.name));
    expect(results.specs).to.have.length(suited.length);
    expect(results.status).to.equal("complete");
    expect(results.totals.error + results.totals.timeout + results.totals.fail, stderr).to.equal(0);
  });

  it("gives each spec at least 8 cases, and tells two specs of one syscall apart", function () {
    for (const spec of results.specs) expect(results.cases.filter((c) => c.syscall === spec.name).length, spec.name).to.be.at.least(8);
    const labels = results.specs.map((s) => s.name);
    expect(new Set(labels).size).to.equal(labels.length);
    const ids = results.cases.map((c) => c.id);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it("lists the specs without a suite with their item counts", async function () {
    const { specs } = await loadSpecs([CORPUS]);
    const unsuited = specs.filter((s) => !suiteRefFor(s.name));
    expect(results.unsuited.map((u) => u.name).sort()).to.deep.equal(unsuited.map((s) => s.name).sort());
    for (const u of results.unsuited) expect(u.items).to.be.greaterThan(0);
  });

  it("writes KTAP the project's checker and tap-parser accept, one test per case", async function () {
    expect(checkKtap(ktap)).to.deep.equal([]);
    const ok = await new Promise<boolean>((resolve) => {
      const parser = new Parser((final) => resolve(final.ok));
      parser.end(ktap);
    });
    expect(ok).to.equal(true);
    expect(ktap.match(/^\s*(?:not )?ok \d+ /gm)!.length).to.be.greaterThan(results.cases.length);
  });

  it("--syscall picks, and repeats", function () {
    const r = cli("run", "--spec", CORPUS, "--syscall", "madvise", "--syscall", "setxattr", "--expect", "suites/series/expectations.yaml", "--reports", join(dir, "two"), "--quiet");
    expect(r.status, r.stderr).to.equal(0);
    const two = JSON.parse(readFileSync(join(dir, "two", "results.json"), "utf8")) as RunResults;
    expect(two.specs.map((s) => s.name).sort()).to.deep.equal(["madvise", "setxattr"]);
  });

  it("an input with no spec that has a suite exits 4, saying so", function () {
    const demo = join(dir, "demo.c");
    writeFileSync(demo, cSource(demoBody(), DEMO_DEFINE).text);
    const r = cli("run", "--spec", demo, "--reports", join(dir, "none"), "--quiet");
    expect(r.status, r.stderr).to.equal(4);
    expect(r.stderr).to.match(/no suite: demo from .+demo\.c:1 \(\d+ items\)/).and.match(/no spec of the input has a suite/);
  });
});
