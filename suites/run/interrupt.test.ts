// SPDX-License-Identifier: GPL-2.0-only
// A run that is stopped: SIGINT, SIGTERM and SIGHUP end the worker and every
// helper, the reports say "interrupted", and the exit code is 128 + the
// signal. SIGKILL, which no handler sees, at 30 random moments: the reports
// directory never passes for a finished run, every file in it is whole, the
// AIO contexts are freed and no process of the run is left (the worker and
// helpers die with their parent: PR_SET_PDEATHSIG).
import { expect } from "chai";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { aioNr } from "../../harness/kernel/procfs.js";
import { checkKtap } from "../../harness/report/ktap-check.js";
import { ROOT } from "../spec/helpers.js";

const CLI = path.join(ROOT, "build/harness/cli/main.js");
/** Every process of a run inherits this variable: how the test finds them, whatever their group or parent. */
const TAG = "KAPI_SOAK_TAG";

interface Running {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startRun(args: string[], tag: string): Running {
  // Its own session, as CI runners start jobs: the test's signals reach only what it sends them to.
  const child = spawn(process.execPath, [CLI, "run", "--quiet", ...args], { cwd: ROOT, env: { ...process.env, [TAG]: tag }, stdio: ["ignore", "ignore", "pipe"], detached: true });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => stderr, exited };
}

/** Live (non-zombie) processes carrying the tag, with their command lines. */
function live(tag: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      if (!`\0${readFileSync(`/proc/${pid}/environ`, "latin1")}`.includes(`\0${TAG}=${tag}\0`)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, "latin1").replace(/\0/g, " ").trim()}`);
    } catch {
      // gone while we looked
    }
  }
  return found;
}

async function until(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`after ${timeoutMs} ms: ${what()}`);
    await sleep(10);
  }
}

/** Whether the file is whole for its format; a reason when it is not. */
function wholeFile(file: string): string | undefined {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".json")) {
    try {
      JSON.parse(text);
    } catch (err) {
      return (err as Error).message;
    }
  } else if (file.endsWith(".xml")) {
    const r = spawnSync("xmllint", ["--noout", file], { encoding: "utf8" });
    if (r.status !== 0) return r.stderr;
  } else if (file.endsWith(".tap")) {
    const violations = checkKtap(text);
    if (violations.length) return JSON.stringify(violations.slice(0, 3));
  }
  return undefined;
}

describe("run under signals", function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), "kapi-signal-"));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    it(`${signal} during the race: worker and pipe writer ended, reports marked interrupted, exit ${code}`, async function () {
      const tag = randomUUID();
      const dir = tempDir();
      const aioStart = aioNr();
      const run = startRun(["--reports", dir, "--stress", "500000"], tag);
      await until(() => live(tag).some((p) => p.includes("pipe-writer.child.js")), 30_000, () => `no pipe writer; stderr: ${run.stderr()}`);
      expect(live(tag).length, live(tag).join("\n")).to.be.at.least(3); // CLI, worker, writer
      run.child.kill(signal);
      const ended = await run.exited;
      expect(ended, run.stderr()).to.deep.equal({ code, signal: null });
      // The CLI waited for its processes: nothing is left the moment it is gone.
      expect(live(tag)).to.deep.equal([]);
      await until(() => aioNr() === aioStart, 2000, () => `fs.aio-nr ${aioNr()}, was ${aioStart}`);
      const results = JSON.parse(readFileSync(path.join(dir, "results.json"), "utf8")) as { status: string; cases: unknown[] };
      expect(results.status).to.equal("interrupted");
      expect(results.cases.length).to.be.above(0);
      expect(run.stderr()).to.match(new RegExp(`interrupted by ${signal} after ${results.cases.length} cases; reports \\(status interrupted\\)`));
      expect(run.stderr()).to.not.match(/error:/);
    });
  }

  it("SIGKILL of the runner while its worker is blocked in the kernel and the pipe writer runs: both die with it", async function () {
    const tag = randomUUID();
    const aioStart = aioNr();
    const fixture = new URL("./fixtures/side-suite.js", import.meta.url).href;
    const script = `
      import { runConformance } from ${JSON.stringify(new URL("../../harness/run/conformance.js", import.meta.url).href)};
      import { parseInput } from ${JSON.stringify(new URL("../../harness/spec/parse-input.js", import.meta.url).href)};
      import { MISBEHAVING_SPEC } from ${JSON.stringify(new URL("./fixtures/misbehaving-suite.js", import.meta.url).href)};
      const spec = parseInput("getpid.c", MISBEHAVING_SPEC).specs[0];
      await runConformance(spec, { syscall: "getpid", module: ${JSON.stringify(fixture)}, exportName: "writerThenHangSuite" }, { caseTimeoutMs: 600000 });`;
    // A file, not -e: the worker is forked with this process's execArgv, and --input-type would break it.
    const file = path.join(tempDir(), "runner.mjs");
    writeFileSync(file, script);
    const runner = spawn(process.execPath, [file], { env: { ...process.env, [TAG]: tag }, stdio: ["ignore", "ignore", "inherit"], detached: true });
    const exited = new Promise((resolve) => runner.once("close", resolve));
    await until(() => live(tag).some((p) => p.includes("pipe-writer.child.js")), 20_000, () => `no pipe writer: ${live(tag).join("; ")}`);
    await sleep(200); // the worker is in its blocking read by now
    runner.kill("SIGKILL");
    await exited;
    await until(() => live(tag).length === 0, 2000, () => `still running after the runner's SIGKILL: ${live(tag).join("; ")}`);
    await until(() => aioNr() === aioStart, 2000, () => `fs.aio-nr ${aioNr()}, was ${aioStart}`);
  });

  for (const [signal, code] of [["SIGHUP", 129], ["SIGKILL", null]] as const) {
    it(`vm --host: ${signal} to vm ends the host run it started${code ? `, which writes its reports marked interrupted; exit ${code}` : " (it dies with vm)"}`, async function () {
      const tag = randomUUID();
      const dir = tempDir();
      const child = spawn(process.execPath, [CLI, "vm", "--host", "--reports", dir, "--stress", "500000"], { cwd: ROOT, env: { ...process.env, [TAG]: tag }, stdio: ["ignore", "ignore", "pipe"], detached: true });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
      await until(() => live(tag).some((p) => p.includes("pipe-writer.child.js")), 30_000, () => `no pipe writer; stderr: ${stderr}`);
      child.kill(signal);
      expect(await exited, stderr).to.equal(code);
      await until(() => live(tag).length === 0, 3000, () => `still running: ${live(tag).join("; ")}`);
      const [release] = readdirSync(dir);
      const results = JSON.parse(readFileSync(path.join(dir, release!, "results.json"), "utf8")) as { status: string };
      expect(results.status).to.equal(code ? "interrupted" : "running");
    });
  }

  it("SIGINT during drift: exit 130, no drift report written, nothing left", async function () {
    const tag = randomUUID();
    const dir = tempDir();
    const child = spawn(process.execPath, [CLI, "drift", "--reports", dir], { cwd: ROOT, env: { ...process.env, [TAG]: tag }, stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    await until(() => live(tag).some((p) => p.includes("pipe-writer.child.js")), 30_000, () => `no pipe writer; stderr: ${stderr}`);
    child.kill("SIGINT");
    expect(await exited, stderr).to.equal(130);
    expect(stderr).to.match(/drift interrupted by SIGINT: no drift report written/);
    expect(readdirSync(dir)).to.deep.equal([]);
    expect(live(tag)).to.deep.equal([]);
  });

  it("SIGKILL at 30 random moments: no finished-looking reports, whole files, AIO contexts freed, no process left", async function () {
    this.timeout(300_000);
    const reference = tempDir();
    const t0 = Date.now();
    const first = startRun(["--reports", reference], randomUUID());
    expect((await first.exited).code, first.stderr()).to.equal(0);
    const duration = Date.now() - t0;
    const casesOfAFullRun = (JSON.parse(readFileSync(path.join(reference, "results.json"), "utf8")) as { cases: unknown[] }).cases.length;
    const buckets: Record<string, number> = {};
    for (let i = 0; i < 30; i++) {
      const tag = randomUUID();
      const dir = tempDir();
      // The previous run's complete set, which a killed run must not leave looking current.
      cpSync(reference, dir, { recursive: true });
      const aioStart = aioNr();
      const run = startRun(["--reports", dir], tag);
      await sleep(Math.random() * duration * 1.1);
      const started = run.stderr().includes(" from ");
      run.child.kill("SIGKILL");
      await run.exited;
      const where = `kill ${i} (${started ? "after" : "before"} the start line): ${run.stderr()}`;
      await until(() => live(tag).length === 0, 3000, () => `${where}: still running: ${live(tag).join("; ")}`);
      await until(() => aioNr() === aioStart, 3000, () => `${where}: fs.aio-nr ${aioNr()}, was ${aioStart}`);
      const files = readdirSync(dir).filter((n) => !n.startsWith("."));
      for (const f of files) expect(wholeFile(path.join(dir, f)), `${where}: ${f}`).to.equal(undefined);
      const resultsFile = path.join(dir, "results.json");
      const status = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, "utf8")) as { status?: string }).status : "absent";
      let bucket = status ?? "no status";
      if (status === "complete") {
        const untouched = files.every((f) => readFileSync(path.join(dir, f)).equals(readFileSync(path.join(reference, f))));
        // Every case ran; the other reports may still be on their way (their atomic set is the report writer's).
        const whole = (JSON.parse(readFileSync(resultsFile, "utf8")) as { cases: unknown[] }).cases.length === casesOfAFullRun;
        // Legitimate only as the previous set before this run touched anything, or as this run, finished.
        expect(untouched ? !started : whole, `${where}: results.json says complete`).to.equal(true);
        bucket = untouched ? "previous set, untouched (killed during start-up)" : "finished before the kill";
      }
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    process.stderr.write(`# SIGKILL moments: ${JSON.stringify(buckets)} (run ${duration} ms)\n`);
  });
});
