// SPDX-License-Identifier: GPL-2.0-only
// Misuse of the CLI that suites/run/cli-run.test.ts and suites/spec/cli.test.ts
// do not already cover: each is exactly one line on stderr (no stack trace),
// nothing on stdout, exit 2, and nothing is run against the kernel first.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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
    for (const bad of ["0", "1.5", "abc", "1e3"]) expect(misuse("run", "--stress", bad)).to.match(new RegExp(`^kapi-conform: run: --stress takes a whole number of iterations from 1 to \\d+, not '${bad}'$`));
    expect(misuse("run", "--stress", "-1")).to.match(/^kapi-conform: run: Option '--stress' argument is ambiguous/);
  });

  it("numbers a timer cannot wait for (beyond 2^31-1 ms) are usage errors, not false timeouts", function () {
    expect(misuse("run", "--timeout", "3000000")).to.equal("kapi-conform: run: --timeout takes a number of seconds > 0 and <= 2147483, not '3000000'");
    // The race's limit grows with its iterations: 500000000 would need 2.5e9 ms.
    expect(misuse("run", "--stress", "500000000")).to.equal("kapi-conform: run: --stress takes a whole number of iterations from 1 to 429495729, not '500000000'");
    expect(misuse("run", "--timeout", "1000000", "--stress", "300000000")).to.match(/^kapi-conform: run: --stress takes a whole number of iterations from 1 to 229496729,/);
    const vm = (...args: string[]) => misuse("vm", "--kernel", path.join(dir, "no-such-bzImage"), ...args);
    expect(vm("--timeout", "3000000")).to.equal("kapi-conform: vm: --timeout takes a whole number of seconds from 1 to 2147483, not '3000000'");
    expect(vm("--case-timeout", "3000000")).to.equal("kapi-conform: vm: --case-timeout takes a whole number of seconds from 1 to 2147483, not '3000000'");
    expect(vm("--stress", "500000000")).to.match(/^kapi-conform: vm: --stress takes a whole number of iterations from 1 to \d+, not '500000000'$/);
    expect(vm("--memory", String(2 ** 40))).to.match(/^kapi-conform: vm: --memory takes a whole number of MB from 1 to \d+, not '1099511627776'$/);
    expect(vm("--cpus", "1000")).to.equal("kapi-conform: vm: --cpus takes a whole number from 1 to 255, not '1000'");
  });

  it("empty strings are refused: an empty path or name means nothing the user meant", function () {
    for (const option of ["--syscall", "--spec", "--reports", "--expect", "--stress", "--timeout"]) {
      expect(misuse("run", option, ""), option).to.equal(`kapi-conform: run: ${option} takes a value, not an empty string`);
    }
    expect(misuse("drift", "--man", "")).to.equal("kapi-conform: drift: --man takes a value, not an empty string");
    expect(misuse("report", "")).to.equal("kapi-conform: report: an empty argument names nothing");
    expect(misuse("lint", "")).to.equal("kapi-conform: lint: an empty argument names nothing");
  });

  it("a reports path that is not UTF-8 is refused, and nothing is created under another name", function () {
    const cwd = mkdtempSync(path.join(tmpdir(), "kapi-utf8-"));
    try {
      const r = spawnSync("/bin/sh", ["-c", `exec "$0" "$1" run --reports "$(printf 'rep\\377orts')"`, process.execPath, CLI], { cwd, encoding: "utf8" });
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.equal("kapi-conform: argument 3 ('rep\uFFFDorts') is not valid UTF-8: Node would read it as another name\n");
      expect(readdirSync(cwd)).to.deep.equal([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("a reports path too long for the kernel is refused before any directory is made", function () {
    const deep = path.join(dir, "deep");
    const tooDeep = path.join(deep, ...Array.from({ length: 25 }, () => "d".repeat(200)));
    expect(misuse("run", "--reports", tooDeep)).to.equal(`kapi-conform: cannot write to '${tooDeep}': the path is longer than 4095 bytes`);
    const longName = path.join(deep, "n".repeat(256), "x");
    expect(misuse("run", "--reports", longName)).to.equal(`kapi-conform: cannot write to '${longName}': a name in it is longer than 255 bytes`);
    expect(misuse("parse", "specs/io_cancel.archive.txt", "--out", tooDeep)).to.match(/the path is longer than 4095 bytes$/);
    expect(existsSync(deep)).to.equal(false);
  });

  it("drift --man refuses a file that is not a man page (no groff header)", function () {
    expect(misuse("drift", "--man", "/etc/passwd")).to.equal("kapi-conform: drift: --man /etc/passwd: not a man page (no .TH or .Dt header)");
  });

  it("run --timeout 0, and options without their value", function () {
    expect(misuse("run", "--timeout", "0")).to.match(/^kapi-conform: run: --timeout takes a number of seconds > 0/);
    expect(misuse("run", "--reports")).to.match(/^kapi-conform: run: Option '--reports <value>' argument missing/);
    expect(misuse("run", "--spec")).to.match(/^kapi-conform: run: Option '--spec <value>' argument missing/);
  });

  it("run with a --syscall the input does not hold; drift with a spec no scenario suite exists for", function () {
    expect(misuse("run", "--syscall", "nope")).to.match(/^kapi-conform: no spec named nope in \S+io_cancel\.archive\.txt \(specs found: io_cancel; suites: /);
    expect(misuse("drift", "--spec", demo)).to.equal(`kapi-conform: no spec in ${demo} has a scenario suite (specs found: demo; suites: ${suiteNames().join(", ")})`);
  });

  it("run --reports where a file is in the way: refused before any case runs", function () {
    const file = path.join(dir, "a-file");
    writeFileSync(file, "");
    expect(misuse("run", "--reports", file)).to.equal(`kapi-conform: cannot write to '${file}': a file is in the way`);
    expect(misuse("run", "--reports", path.join(file, "sub"))).to.equal(`kapi-conform: cannot write to '${path.join(file, "sub")}': a file is in the way`);
    expect(misuse("drift", "--reports", file)).to.equal(`kapi-conform: cannot write to '${file}': a file is in the way`);
    expect(misuse("parse", "specs/io_cancel.archive.txt", "--out", file)).to.equal(`kapi-conform: cannot write to '${file}': a file is in the way`);
  });

  it("drift --syscall cannot pick between two specs of one syscall: it says to narrow --spec", function () {
    needCorpus(this);
    const line = misuse("drift", "--spec", CORPUS, "--syscall", "io_cancel");
    expect(line).to.match(/holds 2 specs with suites \(io_cancel at .+\.patch:\d+, io_cancel at .+\.txt:\d+\): give one of the files with --spec$/);
  });
});
