// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform parse` and `kapi-conform lint` as a user runs them: a child
// process on the built CLI, checking stdout, stderr and the exit status.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Spec } from "../../harness/spec/model.js";
import { DEFAULT_SPEC_INPUT } from "../../harness/spec/load.js";
import { DEMO_DEFINE, ROOT, cSource, demoBody } from "./helpers.js";

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["build/harness/cli/main.js", ...args], { cwd: ROOT, encoding: "utf8", input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** stderr of a usage or input error: exactly one line, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l !== "");
  expect(lines, stderr).to.have.length(1);
  expect(stderr).to.not.match(/^\s+at /m);
  return lines[0]!;
}

describe("spec: kapi-conform parse / lint", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "kapi-cli-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("parse prints a JSON array of specs on stdout", () => {
    const r = cli(["parse", DEFAULT_SPEC_INPUT]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.equal("");
    const specs = JSON.parse(r.stdout) as Spec[];
    expect(specs).to.be.an("array").with.length(1);
    expect(specs[0]!.name).to.equal("io_cancel");
    expect(specs[0]!.source.file).to.equal(DEFAULT_SPEC_INPUT);
    expect(r.stdout).to.match(/^\[\n  \{\n    "name": "io_cancel",/);
  });

  it("parse --out DIR writes NAME.spec.json and says so on stderr", () => {
    const out = path.join(dir, "out");
    const r = cli(["parse", DEFAULT_SPEC_INPUT, "--out", out]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal("");
    const target = path.join(out, "io_cancel.spec.json");
    expect(r.stderr).to.equal(`wrote ${target}\n`);
    const written = JSON.parse(readFileSync(target, "utf8")) as Spec;
    const checkedIn = JSON.parse(readFileSync(path.join(ROOT, "specs", "io_cancel.spec.json"), "utf8")) as Spec;
    expect(written).to.deep.equal(checkedIn);
  });

  it("parse - reads stdin and records the file as '-'", () => {
    const r = cli(["parse", "-"], readFileSync(path.join(ROOT, DEFAULT_SPEC_INPUT), "utf8"));
    expect(r.status, r.stderr).to.equal(0);
    const specs = JSON.parse(r.stdout) as Spec[];
    expect(specs[0]!.source.file).to.equal("-");
    expect(specs[0]!.errors[0]!.source).to.deep.equal({ file: "-", line: 115 });
  });

  it("parse prints diagnostics as file:line: severity: message [code] on stderr and still exits 0", () => {
    const file = path.join(dir, "odd.c");
    const src = cSource([...demoBody(), "", "frobnicate: yes"], DEMO_DEFINE);
    writeFileSync(file, src.text);
    const r = cli(["parse", file]);
    expect(r.status).to.equal(0);
    expect(r.stderr).to.equal(`${file}:${src.line(demoBody().length + 1)}: error: unknown section 'frobnicate:'; kept in extra [unknown-section]\n`);
    expect((JSON.parse(r.stdout) as Spec[])[0]!.extra[0]).to.include({ key: "frobnicate", value: "yes" });
  });

  it("a missing input: exit 2 and exactly one line on stderr", () => {
    const r = cli(["parse", "no/such/file.c"]);
    expect(r.status).to.equal(2);
    expect(oneLine(r.stderr)).to.equal("kapi-conform: cannot read 'no/such/file.c': no such file or directory");
    expect(r.stdout).to.equal("");
    expect(cli(["lint", "no/such/file.c"]).status).to.equal(2);
  });

  it("an unknown flag: exit 2 and one line", () => {
    const r = cli(["parse", "--frobnicate", DEFAULT_SPEC_INPUT]);
    expect(r.status).to.equal(2);
    expect(oneLine(r.stderr)).to.match(/^kapi-conform: parse: Unknown option '--frobnicate'/);
    expect(oneLine(cli(["lint", "--nope", DEFAULT_SPEC_INPUT]).stderr)).to.match(/^kapi-conform: lint: /);
  });

  it("no input given: exit 2 and one line", () => {
    const r = cli(["parse"]);
    expect(r.status).to.equal(2);
    expect(oneLine(r.stderr)).to.match(/no INPUT given/);
  });

  it("a directory with no specs: exit 2 and one line", () => {
    const empty = path.join(dir, "empty");
    const plain = path.join(dir, "plain");
    for (const d of [empty, plain]) spawnSync("mkdir", ["-p", d]);
    writeFileSync(path.join(plain, "plain.c"), "/**\n * helper - not a syscall\n */\nint helper(void);\n");
    writeFileSync(path.join(plain, "README.md"), "param: ignored, wrong extension\n");
    const r1 = cli(["parse", empty]);
    expect(r1.status).to.equal(2);
    expect(oneLine(r1.stderr)).to.include(`no spec inputs`);
    const r2 = cli(["parse", plain]);
    expect(r2.status).to.equal(2);
    expect(oneLine(r2.stderr)).to.equal(`kapi-conform: no KAPI specification found in '${plain}'`);
  });

  it("--help prints the usage and exits 0", () => {
    const r = cli(["parse", "--help"]);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/^usage: kapi-conform parse INPUT\.\.\. \[--out DIR\]/);
    expect(cli(["lint", "-h"]).stdout).to.match(/^usage: kapi-conform lint INPUT\.\.\./);
  });

  it("lint exits 0 on a clean spec and 1 with file:line findings on stdout when errors exist", () => {
    const clean = cli(["lint", DEFAULT_SPEC_INPUT]);
    expect(clean.status, clean.stdout).to.equal(0);
    expect(clean.stdout).to.equal("");
    expect(clean.stderr).to.equal("lint: 0 error(s), 0 warning(s) in 1 spec(s)\n");
    const file = path.join(dir, "bad.c");
    const src = cSource(demoBody().map((l) => l.replace("@buf:", "@buffer:")), DEMO_DEFINE);
    writeFileSync(file, src.text);
    const bad = cli(["lint", file]);
    expect(bad.status).to.equal(1);
    expect(bad.stdout.split("\n").filter((l) => l !== "")).to.deep.equal([
      `${file}:${src.line(2)}: error: '@buffer:' has no matching 'param: buffer' block [param-header]`,
      `${file}:${src.line(12)}: error: 'param: buf' has no '@buf:' line in the header [param-header]`,
    ]);
    expect(bad.stderr).to.equal("lint: 2 error(s), 0 warning(s) in 1 spec(s)\n");
  });
});
