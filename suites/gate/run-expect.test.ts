// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform run --expect` end to end on the live kernel, with a spec whose
// success value was edited to 0 (as on 6.8-rc7) so that some cases really
// fail: the expectations file turns them into xfail and the gate passes; a
// listed case that still passes is an XPASS; `report --strict` then fails.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkKtap } from "../../harness/report/ktap-check.js";
import type { RunResults } from "../../harness/run/results.js";
import { defaultSpecPath } from "../../harness/spec/load.js";
import { cli } from "./fixtures.js";

const EXPECT = `# The spec under test says success is 0, as 6.8-rc7 did; this kernel returns -EINPROGRESS.
io_cancel.poll-cancel.returns-success:
  - reason: not on this kernel
    link: https://example.org/never
    kernel: "<3.12"
  - reason: success is -EINPROGRESS since 3.12
    link: https://git.kernel.org/torvalds/c/28468cbed92e
    kernel: ">=3.12"
io_cancel.*-accepted.accepted:
  reason: success is -EINPROGRESS since 3.12
  link: https://git.kernel.org/torvalds/c/28468cbed92e
  config: { CONFIG_AIO: y }
io_cancel.cancel-race.*:
  reason: the race classifies outcomes by the edited success value
  link: https://example.org/race
io_cancel.ctx-zero.rejected:
  reason: listed although it passes
  link: https://example.org/stale
io_cancel.no-such-case:
  reason: stale entry
  link: https://example.org/gone
`;

describe("kapi-conform run --expect (live kernel, edited spec)", function () {
  this.timeout(120_000);
  let dir: string;
  let run: ReturnType<typeof cli>;
  let results: RunResults;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-run-expect-"));
    const spec = readFileSync(defaultSpecPath(), "utf8");
    const edited = spec.replace("+ *   success: -EINPROGRESS", "+ *   success: 0");
    expect(edited).to.not.equal(spec);
    writeFileSync(join(dir, "edited.txt"), edited);
    writeFileSync(join(dir, "expect.yaml"), EXPECT);
    run = cli("run", "--spec", join(dir, "edited.txt"), "--reports", join(dir, "reports"), "--expect", join(dir, "expect.yaml"), "--quiet");
    results = JSON.parse(readFileSync(join(dir, "reports", "results.json"), "utf8")) as RunResults;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("turns the failures the file lists into xfail and exits 0", function () {
    expect(run.status, run.stderr).to.equal(0);
    expect(results.cases.filter((c) => c.verdict === "fail").map((c) => c.id), "unlisted failures").to.deep.equal([]);
    const xfail = results.cases.filter((c) => c.verdict === "xfail").map((c) => c.id);
    expect(xfail).to.include.members(["io_cancel.poll-cancel.returns-success", "io_cancel.result-null-accepted.accepted"]);
    const picked = results.cases.find((c) => c.id === "io_cancel.poll-cancel.returns-success")!.expectedFailure!;
    expect(picked).to.include({ reason: "success is -EINPROGRESS since 3.12", line: 6, verdict: "fail" });
    expect(results.gate).to.deep.equal({ expectations: join(dir, "expect.yaml"), strict: false });
  });

  it("prints conforming KTAP with XFAIL and XPASS directives", function () {
    expect(checkKtap(run.stdout)).to.deep.equal([]);
    expect(run.stdout).to.match(/^ {8}ok \d+ io_cancel\.poll-cancel\.returns-success # XFAIL success is -EINPROGRESS since 3\.12$/m);
    expect(run.stdout).to.match(/^ {8}ok \d+ io_cancel\.ctx-zero\.rejected # XPASS listed although it passes$/m);
    expect(readFileSync(join(dir, "reports", "results.tap"), "utf8")).to.equal(run.stdout);
  });

  it("says on stderr: the XPASS loudly, the entry that matches nothing, the counts", function () {
    expect(run.stderr).to.match(/^kapi-conform: XPASS io_cancel\.ctx-zero\.rejected: listed as failing in .*expect\.yaml:16 /m);
    expect(run.stderr).to.match(/^kapi-conform: warning: .*expect\.yaml:19: expectation 'io_cancel\.no-such-case' matches no case of this run/m);
    expect(run.stderr).to.match(/^kapi-conform: expectations .*expect\.yaml: 6 entries, \d+ xfail, 1 xpass$/m);
  });

  it("records the config option the gate read from the live kernel", function () {
    expect(results.kernel.config["CONFIG_AIO"]).to.equal("y");
  });

  it("report DIR --strict fails the gate on the XPASS; report DIR alone agrees with the run", function () {
    const reports = join(dir, "reports");
    const strict = cli("report", reports, "--strict");
    expect(strict.status, strict.stderr).to.equal(1);
    expect(strict.stdout).to.match(/^ {8}not ok \d+ io_cancel\.ctx-zero\.rejected # XPASS /m);
    const again = cli("report", reports);
    expect(again.status, again.stderr).to.equal(0);
    expect(again.stdout).to.equal(run.stdout);
  });

  it("a malformed expectations file stops run before any case: one line, exit 2", function () {
    writeFileSync(join(dir, "bad.yaml"), "io_cancel.a:\n  reason: r\n");
    const r = cli("run", "--expect", join(dir, "bad.yaml"), "--reports", join(dir, "unused"));
    expect(r.status).to.equal(2);
    expect(r.stdout).to.equal("");
    expect(r.stderr).to.equal(`kapi-conform: ${join(dir, "bad.yaml")}:1: 'io_cancel.a' has no link\n`);
  });
});
