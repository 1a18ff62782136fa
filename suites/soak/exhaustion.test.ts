// SPDX-License-Identifier: GPL-2.0-only
// AIO contexts exhausted: with fs.aio-max-nr lowered so every io_setup fails
// with EAGAIN, a run still completes and exits 0: each case that needs a
// context is a skip that says why (io_setup, EAGAIN, fs.aio-max-nr), the cases
// that need none still pass, and the limit is put back whatever happens.
//
// The limit is lowered to 0 rather than to the current fs.aio-nr: other
// processes' contexts come and go, and a drop in aio-nr mid-run would let a
// setup through. Existing contexts are not affected; only new io_setup calls,
// of any process, fail while the window (one run, about a second) is open.
import { expect } from "chai";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readResults } from "../../harness/report/results-file.js";
import type { RunResults } from "../../harness/run/results.js";
import { ROOT } from "../spec/helpers.js";
import { skipBecause } from "../support/skip.js";
import { ioCancelSuite } from "../../harness/scenarios/io_cancel/suite.js";

const MAX_NR = "/proc/sys/fs/aio-max-nr";
const CLI = path.join(ROOT, "build/harness/cli/main.js");

/** io_cancel scenarios that create no AIO context (an unmapped id, ctx_id 0): they must still pass. */
const NEEDS_NO_CONTEXT = new Set(["ctx-never-created", "ctx-zero", "check-order-ctx0-iocb-null"]);
/** Skipped for a reason of their own whatever the limit (kernel config, hardware). */
const SKIPPED_ANYWAY = new Set(["aio-not-configured", ...ioCancelSuite.environmentOnly.map((e) => e.id)]);

const scenarioOf = (caseId: string): string => caseId.split(".")[1] ?? caseId;

describe("soak: a run with AIO contexts exhausted (fs.aio-max-nr reached)", function () {
  let original: string | undefined;
  let restored = true;
  let dir: string | undefined;
  let run: SpawnSyncReturns<string>;
  let results: RunResults;
  let limitDuringRun: string;

  /** Puts the original limit back; safe to call any number of times, from any path out. */
  const restore = (): void => {
    if (restored || original === undefined) return;
    writeFileSync(MAX_NR, original);
    restored = true;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    restore();
    process.kill(process.pid, signal);
  };

  before(async function () {
    this.timeout(120000);
    if (process.getuid?.() !== 0) skipBecause(this, `not root (uid ${process.getuid?.()}): cannot lower ${MAX_NR}`);
    try {
      original = readFileSync(MAX_NR, "utf8").trim();
      // Writing the value it already has is the harmless way to learn whether we may write it.
      writeFileSync(MAX_NR, original);
    } catch (err) {
      skipBecause(this, `${MAX_NR} is not writable here (${(err as NodeJS.ErrnoException).code ?? String(err)}), so io_setup cannot be made to fail`);
    }
    dir = mkdtempSync(path.join(tmpdir(), "kapi-exhaustion-"));
    process.on("exit", restore);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    restored = false;
    try {
      writeFileSync(MAX_NR, "0");
      limitDuringRun = readFileSync(MAX_NR, "utf8").trim();
      run = spawnSync(process.execPath, [CLI, "run", "--quiet", "--reports", dir], { cwd: ROOT, encoding: "utf8", timeout: 110000 });
    } finally {
      restore();
    }
    results = await readResults(path.join(dir, "results.json"));
  });

  after(function () {
    restore();
    process.off("exit", restore);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("lowered the limit for the run and put the original back afterwards", function () {
    expect(limitDuringRun).to.equal("0");
    expect(readFileSync(MAX_NR, "utf8").trim()).to.equal(original);
  });

  it("the run completes and exits 0 (skips allowed), with no fail or error", function () {
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stderr).to.not.include("internal error");
    const bad = results.cases.filter((c) => !["pass", "skip"].includes(c.verdict)).map((c) => `${c.id}: ${c.verdict} ${c.reason ?? ""}`);
    expect(bad).to.deep.equal([]);
  });

  it("every case that needs an AIO context is a skip saying so, with io_setup, EAGAIN and fs.aio-max-nr in its detail", function () {
    const needing = results.cases.filter((c) => !NEEDS_NO_CONTEXT.has(scenarioOf(c.id)) && !SKIPPED_ANYWAY.has(scenarioOf(c.id)));
    expect(needing.length, "cases that need a context").to.be.greaterThan(10);
    for (const c of needing) {
      expect(c.verdict, `${c.id}: ${c.reason}`).to.equal("skip");
      expect(c.reason, c.id).to.match(/AIO context/);
      expect(c.detail, c.id).to.match(/io_setup/).and.match(/EAGAIN/).and.match(/fs\.aio-max-nr/);
    }
  });

  it("the cases that need no context still pass", function () {
    const free = results.cases.filter((c) => NEEDS_NO_CONTEXT.has(scenarioOf(c.id)));
    expect(new Set(free.map((c) => scenarioOf(c.id)))).to.deep.equal(NEEDS_NO_CONTEXT);
    for (const c of free) expect(c.verdict, `${c.id}: ${c.reason}`).to.equal("pass");
  });
});
