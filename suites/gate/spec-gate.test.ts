// SPDX-License-Identifier: GPL-2.0-only
// `run` gates on the spec's form: lint errors of form refuse the run (exit 2,
// file:line of each on stderr) before any case; lint warnings, and a
// contradiction between two items of the spec, are shown and the run goes on,
// since the kernel decides which side is wrong.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkKtap } from "../../harness/report/ktap-check.js";
import { cli } from "./fixtures.js";

const SPEC = "specs/io_cancel.archive.txt";

describe("run gates on the spec's lint findings", function () {
  this.timeout(60_000);
  let dir: string;
  let original: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "kapi-spec-gate-"));
    original = readFileSync(SPEC, "utf8");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const edited = (name: string, from: string, to: string): string => {
    expect(original).to.include(from);
    const file = join(dir, name);
    writeFileSync(file, original.replace(from, to));
    return file;
  };

  it("a lint error of form: exit 2 with file:line on stderr, no case run, no KTAP", function () {
    // The kerneldoc header loses '@result:': the 'param: result' block no longer matches it.
    const file = edited("no-header.txt", "+ * @result: Unused parameter (historically for result storage, now ignored)\n", "");
    const reports = join(dir, "reports-form");
    const r = cli("run", "--spec", file, "--reports", reports);
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+: error: 'param: result' has no '@result:' line in the header \\[param-header\\]$`, "m"));
    expect(r.stderr).to.match(/^kapi-conform: the io_cancel spec at .+:\d+ has 1 lint error of form \(above\)$/m);
    expect(r.stderr.trimEnd().split("\n").at(-1)).to.equal("kapi-conform: 1 lint error of form in the specs to run (above); nothing is run");
    expect(r.stderr).to.not.match(/\[\s*\d+\/\d+\]/);
  });

  it("a contradiction between two items (success vs check-type) is a warning: shown, and the run runs", function () {
    const file = edited("contradiction.txt", "check-type: KAPI_RETURN_ERROR_CHECK", "check-type: KAPI_RETURN_FD");
    const lint = cli("lint", file);
    expect(lint.status, "lint itself still calls it an error").to.equal(1);
    const r = cli("run", "--spec", file, "--reports", join(dir, "reports-contradiction"), "--quiet");
    expect(r.status, r.stderr).to.be.oneOf([0, 1]);
    expect(r.stderr).to.match(/:\d+: warning: check-type KAPI_RETURN_FD returns a descriptor \(>= 0\), but success is '-EINPROGRESS' \[success-check-type\]$/m);
    expect(checkKtap(r.stdout)).to.deep.equal([]);
    expect(r.stdout).to.match(/^1\.\.\d+$/m);
  });
});
