// SPDX-License-Identifier: GPL-2.0-only
// Isolation: a case that crashes its process is an error naming the signal, a
// case that hangs is a timeout after the per-case limit, and the cases after
// them still run and pass. Also: the isolated io_cancel run leaves no AIO
// context or descriptor behind.
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { parseInput } from "../../harness/spec/parse-input.js";
import { runConformance } from "../../harness/run/conformance.js";
import { exitCodeOf } from "../../harness/run/verdicts.js";
import { suiteRefFor, type SuiteRef } from "../../harness/scenarios/registry.js";
import { defaultSpecPath, loadSpecs } from "../../harness/spec/load.js";
import { aioNr } from "../../harness/kernel/procfs.js";
import type { RunResults } from "../../harness/run/results.js";
import { preinitWorker, prestartWorker } from "../../harness/run/worker-fork.js";
import { DEFAULT_RACE_ITERATIONS } from "../../harness/scenarios/scenario.js";
import { MISBEHAVING_SPEC } from "./fixtures/misbehaving-suite.js";
import { liveChildren } from "../support/processes.js";
import { skipBecause } from "../support/skip.js";

const MOUNTING: SuiteRef = { syscall: "getpid", module: new URL("./fixtures/mounting-suite.js", import.meta.url).href, exportName: "mountingSuite" };
const MISBEHAVING: SuiteRef = { syscall: "getpid", module: new URL("./fixtures/misbehaving-suite.js", import.meta.url).href, exportName: "misbehavingSuite" };
const openFds = (): number => readdirSync("/proc/self/fd").length;

describe("isolation: crashes and hangs cost one verdict, not the run", function () {
  let results: RunResults;
  const verdict = (id: string) => results.cases.find((c) => c.id === id);

  before(async function () {
    const { specs, diagnostics } = parseInput("misbehaving.c", MISBEHAVING_SPEC);
    expect(diagnostics.filter((d) => d.severity === "error")).to.deep.equal([]);
    results = await runConformance(specs[0]!, MISBEHAVING, { caseTimeoutMs: 1000 });
  });

  it("a SIGSEGV in a scenario is an error naming the signal; the scenario's later checks say why they did not run", function () {
    expect(verdict("getpid.segfault.returns")).to.include({ verdict: "error" });
    expect(verdict("getpid.segfault.returns")!.reason).to.include("SIGSEGV");
    expect(verdict("getpid.segfault.never-reached")).to.include({ verdict: "error" });
    expect(verdict("getpid.segfault.never-reached")!.reason).to.match(/^not run/);
  });

  it("an abort is an error naming SIGABRT", function () {
    expect(verdict("getpid.abort.returns")).to.include({ verdict: "error" });
    expect(verdict("getpid.abort.returns")!.reason).to.include("SIGABRT");
  });

  it("a call blocked in the kernel is a timeout after the per-case limit", function () {
    const c = verdict("getpid.hang.returns")!;
    expect(c.verdict).to.equal("timeout");
    expect(c.reason).to.match(/no result within 1000 ms/);
  });

  it("the cases before and after still run and pass", function () {
    expect(verdict("getpid.healthy-before.returns")).to.include({ verdict: "pass" });
    expect(verdict("getpid.healthy-after.returns")).to.include({ verdict: "pass" });
    expect(results.cases).to.have.length(6);
  });

  it("errors and timeouts fail the gate (exit 1)", function () {
    expect(exitCodeOf(results)).to.equal(1);
  });
});

/** kapi-conform's tmpfs mounts this process can see. */
const ourMounts = (): number => readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter((l) => / - tmpfs kapi-conform /.test(l)).length;

describe("isolation: a killed worker's mounts go with it", function () {
  it("a tmpfs mounted by a scenario whose worker is killed (timeout) is not left mounted", async function () {
    if (process.geteuid?.() !== 0) skipBecause(this, "mounting needs root");
    const before = ourMounts();
    const spec = parseInput("misbehaving.c", MISBEHAVING_SPEC).specs[0]!;
    const results = await runConformance(spec, MOUNTING, { caseTimeoutMs: 1000 });
    // A timeout, not an error: the setup mounted and reached the blocking read.
    expect(results.cases.map((c) => `${c.id} ${c.verdict}`)).to.deep.equal(["getpid.mount-then-hang.returns timeout"]);
    expect(ourMounts(), "kapi-conform tmpfs mounts").to.equal(before);
  });
});

describe("the io_cancel scenarios leave nothing behind", function () {
  // In this process, not in a worker: a worker's exit would free whatever a
  // scenario's scope forgot, and hide the leak.
  it("fs.aio-nr and this process's open descriptors are back to their start values", async function () {
    const { specs } = await loadSpecs([defaultSpecPath()]);
    // A first run lets Node open what it keeps for the life of the process
    // (child-process plumbing); what a run leaks shows up across the second.
    await runConformance(specs[0]!, suiteRefFor("io_cancel")!, { inProcess: true });
    const aioBefore = aioNr();
    const fdsBefore = openFds();
    const results = await runConformance(specs[0]!, suiteRefFor("io_cancel")!, { inProcess: true });
    expect(results.totals.fail + results.totals.error + results.totals.timeout).to.equal(0);
    // Child processes (worker, foreign context, pipe writer) exit asynchronously.
    for (let i = 0; i < 100 && (aioNr() !== aioBefore || openFds() !== fdsBefore); i++) await new Promise((r) => setTimeout(r, 20));
    expect(aioNr(), "fs.aio-nr").to.equal(aioBefore);
    expect(openFds(), "open descriptors").to.equal(fdsBefore);
  });
});

describe("isolation: a worker started and given its spec ahead of the run", function () {
  const HEALTHY = ["*healthy-before*", "*healthy-after*"];

  /** A worker started now and given the misbehaving spec under `label`: the spec and the worker's pid. */
  async function workerAhead(label: string): Promise<{ spec: Parameters<typeof runConformance>[0]; ahead: number[] }> {
    const spec = parseInput("misbehaving.c", MISBEHAVING_SPEC).specs[0]!;
    prestartWorker();
    preinitWorker({ type: "init", spec, label, suite: MISBEHAVING, iterations: DEFAULT_RACE_ITERATIONS });
    for (let i = 0; i < 200 && liveChildren("run/worker.js").length === 0; i++) await sleep(5);
    const ahead = liveChildren("run/worker.js");
    expect(ahead, "the worker started ahead").to.have.length(1);
    return { spec, ahead };
  }

  /** Runs the healthy cases, noting every worker process seen meanwhile. */
  async function runWatched(spec: Parameters<typeof runConformance>[0], label: string): Promise<{ results: RunResults; seen: Set<number> }> {
    const seen = new Set<number>();
    const timer = setInterval(() => liveChildren("run/worker.js").forEach((pid) => seen.add(pid)), 2);
    try {
      const results = await runConformance(spec, MISBEHAVING, { caseTimeoutMs: 5000, tests: HEALTHY, label });
      return { results, seen };
    } finally {
      clearInterval(timer);
    }
  }

  it("runs the run it was given: the same worker, every case passes", async function () {
    const { spec, ahead } = await workerAhead("getpid");
    const { results, seen } = await runWatched(spec, "getpid");
    expect([...seen], "workers seen during the run").to.deep.equal(ahead);
    expect(results.cases.map((c) => `${c.id} ${c.verdict}`)).to.deep.equal(["getpid.healthy-before.returns pass", "getpid.healthy-after.returns pass"]);
  });

  it("is not used for another run (its plan has other case ids): that run forks its own and passes", async function () {
    const { spec, ahead } = await workerAhead("elsewhere");
    const { results, seen } = await runWatched(spec, "getpid");
    expect([...seen].filter((pid) => !ahead.includes(pid)), "a worker of its own").to.have.length(1);
    expect(liveChildren("run/worker.js"), "the one given another spec is gone").to.not.include(ahead[0]);
    expect(results.cases.map((c) => `${c.id} ${c.verdict}`)).to.deep.equal(["getpid.healthy-before.returns pass", "getpid.healthy-after.returns pass"]);
  });
});
