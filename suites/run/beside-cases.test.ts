// SPDX-License-Identifier: GPL-2.0-only
// Containment beside the cases: a scenario whose cleanup hangs is an error
// case (it fails the run), and drift's library claims run in the isolated
// worker under the per-case limit, so a claim that crashes or hangs costs one
// error row, never the CLI; traced, the CLI process makes no AIO call itself.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseInput } from "../../harness/spec/parse-input.js";
import { runConformance } from "../../harness/run/conformance.js";
import { exitCodeOf } from "../../harness/run/verdicts.js";
import { libraryClaims, libraryClaimsWithRun } from "../../harness/drift/library-claims.js";
import type { SuiteRef } from "../../harness/scenarios/registry.js";
import type { Spec } from "../../harness/spec/model.js";
import { MISBEHAVING_SPEC } from "./fixtures/misbehaving-suite.js";
import { ROOT } from "../spec/helpers.js";
import { skipBecause } from "../support/skip.js";

const ref = (exportName: string): SuiteRef => ({ syscall: "getpid", module: new URL("./fixtures/side-suite.js", import.meta.url).href, exportName });

describe("containment beside the cases", function () {
  this.timeout(30_000);
  let spec: Spec;
  before(function () {
    spec = parseInput("getpid.c", MISBEHAVING_SPEC).specs[0]!;
  });

  it("a cleanup that hangs is an error case of its own, and the next scenario still runs", async function () {
    const results = await runConformance(spec, ref("cleanupHangSuite"), { caseTimeoutMs: 1000 });
    const cleanup = results.cases.find((c) => c.id === "getpid.hangs-in-cleanup.cleanup");
    expect(cleanup, JSON.stringify(results.cases.map((c) => c.id))).to.include({ verdict: "error" });
    expect(cleanup!.reason).to.match(/^cleanup did not finish: no result within 1000 ms/);
    expect(results.cases.find((c) => c.id === "getpid.hangs-in-cleanup.returns")).to.include({ verdict: "pass" });
    expect(results.cases.find((c) => c.id === "getpid.plain.returns")).to.include({ verdict: "pass" });
    expect(results.observations.map((o) => o.id)).to.not.include("getpid.hangs-in-cleanup.cleanup");
    expect(exitCodeOf(results)).to.equal(1);
  });

  it("library claims are checked in the worker process, not in this one", async function () {
    const rows = await libraryClaims(spec, { suite: ref("claimsInWorkerSuite") });
    expect(rows).to.have.length(1);
    expect(Number(rows[0]!.observed)).to.be.a("number").and.not.equal(process.pid).and.not.equal(0);
  });

  it("asked before the run, the claims are checked by the run's own worker (getpid's return is its pid); otherwise by another", async function () {
    const suite = ref("claimsInWorkerSuite");
    const workerPid = async (): Promise<string> => (await runConformance(spec, suite)).cases.find((c) => c.id === "getpid.plain.returns")!.observed.ret!;
    libraryClaimsWithRun(spec);
    const pid = await workerPid();
    expect((await libraryClaims(spec, { suite }))[0]!.observed).to.equal(pid);
    const other = await workerPid();
    expect((await libraryClaims(spec, { suite }))[0]!.observed).to.not.equal(other);
  });

  it("a library claim that blocks in the kernel is an error row after the per-case limit", async function () {
    const start = performance.now();
    const rows = await libraryClaims(spec, { suite: ref("claimsHangSuite"), caseTimeoutMs: 500 });
    expect(performance.now() - start).to.be.below(5000);
    expect(rows).to.deep.equal([
      { claim: "library claims", spec: "the suite's library checks", observed: "not checked: no answer within 500 ms (per-case limit); the process was killed", verdict: "error" },
    ]);
  });

  it("a library claim that kills its process is an error row naming the signal", async function () {
    const rows = await libraryClaims(spec, { suite: ref("claimsCrashSuite") });
    expect(rows[0]).to.include({ verdict: "error", observed: "not checked: the process was killed by SIGKILL" });
  });

  it("a suite without the hook has no library claims, and no worker is started for it", async function () {
    expect(await libraryClaims(spec, { suite: ref("cleanupHangSuite") })).to.deep.equal([]);
  });
});

describe("the CLI process itself makes no AIO call", function () {
  this.timeout(60_000);
  const AIO = "io_setup,io_submit,io_cancel,io_destroy,io_getevents";
  /** The AIO syscalls the CLI's own main thread made (strace without -f: not the worker, not the helpers). */
  function aioCallsOfCli(...args: string[]): string[] {
    const dir = mkdtempSync(path.join(tmpdir(), "kapi-strace-"));
    try {
      const log = path.join(dir, "trace");
      const r = spawnSync("strace", ["-e", `trace=${AIO}`, "-o", log, process.execPath, path.join(ROOT, "build/harness/cli/main.js"), ...args, "--reports", path.join(dir, "reports")], { cwd: ROOT, encoding: "utf8" });
      expect(r.status, r.stderr).to.be.oneOf([0, 1]);
      return readFileSync(log, "utf8").split("\n").filter((l) => /^io_/.test(l));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  before(function () {
    if (spawnSync("strace", ["-V"]).status !== 0) skipBecause(this, "strace is not installed (Debian package strace)");
  });

  it("run: every io_* call (cases, ENOSYS check, library claims) is made in the worker", function () {
    expect(aioCallsOfCli("run", "--quiet")).to.deep.equal([]);
  });

  it("drift: the library claims too", function () {
    expect(aioCallsOfCli("drift")).to.deep.equal([]);
  });

  it("run --list makes none in any process", function () {
    const dir = mkdtempSync(path.join(tmpdir(), "kapi-strace-"));
    try {
      const log = path.join(dir, "trace");
      const r = spawnSync("strace", ["-f", "-e", `trace=${AIO},prctl`, "-o", log, process.execPath, path.join(ROOT, "build/harness/cli/main.js"), "run", "--list"], { cwd: ROOT, encoding: "utf8" });
      expect(r.status, r.stderr).to.equal(0);
      expect(readFileSync(log, "utf8").split("\n").filter((l) => /\b(io_\w+|prctl)\(/.test(l))).to.deep.equal([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
