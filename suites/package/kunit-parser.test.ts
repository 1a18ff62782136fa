// SPDX-License-Identifier: GPL-2.0-only
// The kernel's own KTAP parser (tools/testing/kunit/kunit_parser.py, from
// Debian's linux-source-6.12) reads a real default run cleanly: the counts it
// finds are the run's, computed from results.json (never written down here,
// so the test follows the suite and the KTAP writer's nesting), with no parse
// error. kunit_parser counts leaves: each case is one test; a KTAP `# XFAIL`
// or `# XPASS` on an `ok` line is a pass to it, `# SKIP` a skip.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResults } from "../../harness/run/results.js";
import { kernelTools } from "../support/linux-source.js";
import { skipBecause } from "../support/skip.js";

interface Parsed {
  status: string;
  total: number;
  passed: number;
  failed: number;
  crashed: number;
  skipped: number;
  errors: number;
  tree: Tree;
}
interface Tree {
  name: string;
  status: string;
  subtests: Tree[];
}

function leaves(t: Tree): Tree[] {
  return t.subtests.length === 0 ? [t] : t.subtests.flatMap(leaves);
}

describe("KTAP of a real run through the kernel's kunit_parser.py", function () {
  this.timeout(600_000);
  let dir: string;
  let parsed: Parsed;
  let parserLog: string;
  let results: RunResults;

  before(async function () {
    if (spawnSync("python3", ["--version"]).status !== 0) skipBecause(this, "no python3 to run the kernel's kunit_parser.py");
    const tools = await kernelTools();
    if (typeof tools === "string") skipBecause(this, tools);
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-kunit-"));
    const run = spawnSync(process.execPath, ["build/harness/cli/main.js", "run", "--reports", dir], { encoding: "utf8", timeout: 300_000 });
    if (run.status !== 0 && run.status !== 1) throw new Error(`run exited ${run.status}: ${run.stderr}`);
    results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as RunResults;
    const out = join(dir, "kunit.json");
    const py = spawnSync("python3", ["suites/package/kunit-counts.py", tools.kunit, join(dir, "results.tap"), out], { encoding: "utf8" });
    parserLog = py.stdout + py.stderr;
    if (py.status !== 0) throw new Error(`kunit_parser driver exited ${py.status}: ${parserLog}`);
    parsed = JSON.parse(readFileSync(out, "utf8")) as Parsed;
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads every case of results.json as one test, with no parse error", () => {
    expect(parsed.errors, parserLog).to.equal(0);
    expect(parsed.total).to.equal(results.cases.length);
    expect(leaves(parsed.tree).map((t) => t.name).sort()).to.deep.equal(results.cases.map((c) => c.id).sort());
  });

  it("counts passed, failed and skipped as results.json has them", () => {
    const count = (...verdicts: string[]) => results.cases.filter((c) => verdicts.includes(c.verdict)).length;
    const strict = results.gate?.strict ?? false;
    expect({ passed: parsed.passed, failed: parsed.failed + parsed.crashed, skipped: parsed.skipped }, parserLog).to.deep.equal({
      passed: count("pass", "xfail", ...(strict ? [] : ["xpass"])),
      failed: count("fail", "error", "timeout", ...(strict ? ["xpass"] : [])),
      skipped: count("skip"),
    });
  });

  it("gives each case the status its verdict has", () => {
    const status: Record<string, string> = { pass: "SUCCESS", xfail: "SUCCESS", skip: "SKIPPED", fail: "FAILURE", error: "FAILURE", timeout: "FAILURE" };
    const byName = new Map(leaves(parsed.tree).map((t) => [t.name, t.status]));
    for (const c of results.cases) if (status[c.verdict]) expect(byName.get(c.id), c.id).to.equal(status[c.verdict]);
  });
});
