// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform run` end to end: stdout is KTAP and nothing else, the reports
// are written and agree with each other, the exit code follows kselftest.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Parser, type Result } from "tap-parser";
import type { RunResults } from "../../harness/run/results.js";

const CLI = "build/harness/cli/main.js";

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

function parseTap(text: string): Promise<{ ok: boolean; asserts: Result[]; children: number }> {
  return new Promise((resolve) => {
    const asserts: Result[] = [];
    let children = 0;
    const parser = new Parser((final) => resolve({ ok: final.ok, asserts, children }));
    parser.on("assert", (a: Result) => asserts.push(a));
    parser.on("child", () => (children += 1));
    parser.end(text);
  });
}

describe("kapi-conform run (bundled io_cancel spec, live kernel)", function () {
  let dir: string;
  let run: ReturnType<typeof cli>;
  let results: RunResults;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-run-"));
    run = cli("run", "--reports", dir);
    results = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as RunResults;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("exits 0 with every case conforming or skipped with a reason", function () {
    expect(run.status, run.stderr).to.equal(0);
    for (const c of results.cases) {
      expect(["pass", "skip"], `${c.id}: ${c.reason}`).to.include(c.verdict);
      if (c.verdict === "skip") expect(c.reason).to.be.a("string").and.not.equal("");
    }
  });

  it("prints only KTAP on stdout, one nested subtest per spec item", async function () {
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).to.equal("KTAP version 1");
    expect(lines[1]).to.match(/^1\.\.\d+$/);
    expect(lines.at(-1)).to.match(/^# Totals: pass:\d+ fail:0 /);
    const tap = await parseTap(run.stdout);
    expect(tap.ok).to.equal(true);
    expect(tap.asserts.length).to.equal(Number(lines[1]!.slice(3)));
    expect(tap.children).to.equal(tap.asserts.length);
  });

  it("writes results.json with kernel facts, spec source, cases and coverage", function () {
    expect(results.kernel.release).to.be.a("string").and.not.equal("");
    expect(results.status).to.equal("complete");
    expect(results.specs).to.have.length(1);
    expect(results.specs[0]).to.include({ name: "io_cancel", file: "specs/io_cancel.archive.txt" });
    for (const c of results.cases) {
      expect(c.id).to.match(/^[a-z0-9_.-]+$/);
      expect(c.specRef.line).to.be.greaterThan(0);
      expect(c.durationMs).to.be.a("number");
    }
    expect(results.coverage.length).to.be.greaterThan(results.cases.length / 4);
  });

  it("writes JUnit with a classname and a time on every case", function () {
    const xml = readFileSync(join(dir, "junit.xml"), "utf8");
    const testcases = xml.match(/<testcase [^>]*>/g) ?? [];
    expect(testcases).to.have.length(results.cases.length);
    for (const tc of testcases) expect(tc).to.match(/classname="io_cancel\.[a-zA-Z]+\.\d+"/).and.match(/time="\d+\.\d+"/);
  });

  it("writes a readable summary with the coverage table", function () {
    const md = readFileSync(join(dir, "summary.md"), "utf8");
    expect(md).to.match(/^# kapi-conform: io_cancel on Linux /);
    expect(md).to.include("## Coverage of the spec");
    expect(existsSync(join(dir, "results.tap"))).to.equal(true);
  });
});

describe("kapi-conform misuse", function () {
  for (const [what, args] of [
    ["an unknown flag", ["run", "--bogus"]],
    ["a missing spec file", ["run", "--spec", "/nonexistent/spec.c"]],
    ["an unknown command", ["frobnicate"]],
    ["a stray argument", ["run", "extra"]],
    ["no command at all", []],
  ] as Array<[string, string[]]>) {
    it(`${what}: one line on stderr, exit 2`, function () {
      const r = cli(...args);
      expect(r.status).to.equal(2);
      expect(r.stdout).to.equal("");
      expect(r.stderr.trimEnd().split("\n"), r.stderr).to.have.length(1);
      expect(r.stderr).to.not.match(/\n\s+at /);
    });
  }
});
