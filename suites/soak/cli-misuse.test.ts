// SPDX-License-Identifier: GPL-2.0-only
// Misuse of the CLI that suites/run/cli-run.test.ts and suites/spec/cli.test.ts
// do not already cover: each is exactly one line on stderr (no stack trace),
// nothing on stdout, exit 2, and nothing is run against the kernel first.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CORPUS, DEMO_DEFINE, ROOT, cSource, demoBody, needCorpus } from "../spec/helpers.js";
import { suiteNames } from "../../harness/scenarios/registry.js";

const CLI = path.join(ROOT, "build/harness/cli/main.js");

/** Runs the CLI and returns its one stderr line, after checking the misuse contract. */
function misuse(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
  expect(r.status, `${args.join(" ")}: ${r.stderr}`).to.equal(2);
  expect(r.stdout, args.join(" ")).to.equal("");
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines, r.stderr).to.have.length(1);
  expect(r.stderr).to.not.match(/^\s+at /m).and.not.include("internal error");
  expect(lines[0]).to.match(/^kapi-conform: /);
  return lines[0]!;
}

describe("soak: CLI misuse is one line on stderr and exit 2", function () {
  let dir: string;
  let empty: string;
  let plain: string;
  let mangled: string;
  let demo: string;
  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), "kapi-misuse-"));
    empty = path.join(dir, "empty");
    plain = path.join(dir, "plain");
    mkdirSync(empty);
    mkdirSync(plain);
    writeFileSync(path.join(plain, "plain.c"), "/**\n * helper - not a syscall\n */\nint helper(void);\n");
    // A patch whose hunk header lost its closing '@@': the KAPI comment in it cannot be read.
    mangled = path.join(dir, "mangled.patch");
    writeFileSync(mangled, ["+++ b/a.c", "@@ -1,1 +1,7 garbage", "+/**", "+ * sys_demo - Demo", "+ *", "+ * param: fd", "+ *   type: KAPI_TYPE_FD", "+ */", ""].join("\n"));
    demo = path.join(dir, "demo.c");
    writeFileSync(demo, cSource(demoBody(), DEMO_DEFINE).text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("run --spec with a directory that holds no spec inputs, or no KAPI spec", function () {
    expect(misuse("run", "--spec", empty)).to.equal(`kapi-conform: no spec inputs (.c .patch .diff .mbox .txt .kapi.json) in directory '${empty}'`);
    expect(misuse("run", "--spec", plain)).to.equal(`kapi-conform: no KAPI specification found in '${plain}'`);
  });

  it("a malformed input that yields no spec: parse, lint and run name the line that lost it", function () {
    for (const command of [["parse", mangled], ["lint", mangled], ["run", "--spec", mangled]]) {
      expect(misuse(...command), command[0]).to.equal(
        `kapi-conform: no KAPI specification found in '${mangled}' (${mangled}:6: warning: KAPI section line outside any '/**' comment the parser reads (damaged opener, diff marker or hunk header?); no spec from this input [unread-kapi])`,
      );
    }
  });

  it("run --stress with 0, a negative, a fraction or a word", function () {
    for (const bad of ["0", "1.5", "abc", ""]) expect(misuse("run", "--stress", bad)).to.equal(`kapi-conform: run: --stress takes a whole number of iterations >= 1, not '${bad}'`);
    expect(misuse("run", "--stress", "-1")).to.match(/^kapi-conform: run: Option '--stress' argument is ambiguous/);
  });

  it("run --timeout 0, and options without their value", function () {
    expect(misuse("run", "--timeout", "0")).to.match(/^kapi-conform: run: --timeout takes a number of seconds > 0/);
    expect(misuse("run", "--reports")).to.match(/^kapi-conform: run: Option '--reports <value>' argument missing/);
    expect(misuse("run", "--spec")).to.match(/^kapi-conform: run: Option '--spec <value>' argument missing/);
  });

  it("run with a spec no scenario suite exists for, or a --syscall the input does not hold", function () {
    expect(misuse("run", "--spec", demo)).to.equal(`kapi-conform: no spec in ${demo} has a scenario suite (specs found: demo; suites: ${suiteNames().join(", ")})`);
    expect(misuse("run", "--syscall", "nope")).to.match(/^kapi-conform: no spec in \S+io_cancel\.archive\.txt has a scenario suite named nope/);
  });

  it("run --reports where a file is in the way: refused before any case runs", function () {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "");
    expect(misuse("run", "--reports", file)).to.equal(`kapi-conform: cannot write to '${file}': a file is in the way`);
    expect(misuse("run", "--reports", path.join(file, "sub"))).to.equal(`kapi-conform: cannot write to '${path.join(file, "sub")}': a file is in the way`);
    expect(misuse("drift", "--reports", file)).to.equal(`kapi-conform: cannot write to '${file}': a file is in the way`);
    expect(misuse("parse", "specs/io_cancel.archive.txt", "--out", file)).to.equal(`kapi-conform: cannot write to '${file}': a file is in the way`);
  });

  it("run --syscall cannot pick between two specs of one syscall: it says to narrow --spec", function () {
    needCorpus(this);
    const line = misuse("run", "--spec", CORPUS, "--syscall", "io_cancel");
    expect(line).to.match(/holds 2 specs with suites \(io_cancel at .+\.patch:\d+, io_cancel at .+\.txt:\d+\): give one of the files with --spec$/);
  });
});
