// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform drift` end to end: the table on stdout, drift.md and
// drift.json written, exit 0 (drift is reported, not failed), and misuse.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DriftReport } from "../../harness/drift/report.js";

const cli = (...args: string[]) => spawnSync(process.execPath, ["build/harness/cli/main.js", ...args], { encoding: "utf8" });

describe("kapi-conform drift", function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "kapi-conform-drift-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the table, writes drift.md and drift.json, exits 0", function () {
    const r = cli("drift", "--reports", dir, "--man", "suites/drift/fixtures/frob.2");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^## Drift: io_cancel/).and.include("| success value |");
    const report = JSON.parse(readFileSync(join(dir, "drift.json"), "utf8")) as DriftReport;
    expect(report.rows[0]!.claim).to.equal("success value");
    expect(report.man).to.have.property("page").that.includes("frob.2");
    expect(readFileSync(join(dir, "drift.md"), "utf8")).to.equal(r.stdout);
  });

  it("a missing --man file: one line, exit 2", function () {
    const r = cli("drift", "--reports", dir, "--man", "/nonexistent/io_cancel.2");
    expect(r.status).to.equal(2);
    expect(r.stderr.trimEnd().split("\n")).to.have.length(1);
  });
});
