// SPDX-License-Identifier: GPL-2.0-only
// `run` killed with SIGKILL at 30 moments spread over its whole life (seeded,
// over the length of a first, finished run: the seed and that length, both in
// a failure's message, replay it): whatever the moment, nothing in the reports
// directory can be taken for a finished run. results.json is absent, or says
// "running", or says "complete" and then the whole set is there and agrees
// with it; every file present is complete; the previous set lives in
// .previous/, where readers do not look. A kill before the run reaches its
// first write (Node's start-up, loading the spec) leaves the directory
// exactly as it was: no process can mark anything before it runs. (That the worker and its helpers
// die with the CLI is the signal handling's test.)
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "xmlbuilder2";
import { checkResults } from "../../harness/report/results-file.js";
import { checkKtap } from "../../harness/report/ktap-check.js";
import { renderKtap } from "../../harness/report/ktap.js";
import { PREVIOUS_DIR } from "../../harness/report/write.js";
import { between, mulberry32 } from "../../harness/soak/prng.js";
import { CLI } from "../gate/fixtures.js";

const KILLS = 30;
const SEED = 0x6b696c6c;
/**
 * The run marks the directory about 160 ms after it is spawned (measured:
 * 155-174 ms on 2 cores); a kill after this much must find the mark, even on
 * a loaded machine.
 */
const MARKED_BY_MS = 800;

/** Starts `run`, kills it after `ms`; resolves with how it ended. */
function runKilledAfter(dir: string, ms: number): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "run", "--quiet", "--reports", dir], { stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Problems with the set in `dir`: [] when a reader can trust it. */
/** The report files of `dir` (not the hidden ones), by name. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).filter((f) => !f.startsWith(".")).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

function problems(dir: string, started: number, before: Record<string, string>, killedAfterMs: number): string[] {
  const out: string[] = [];
  const path = (f: string) => join(dir, f);
  if (!existsSync(path("results.json"))) return readdirSync(dir).filter((f) => !f.startsWith(".")).map((f) => `${f} present without results.json`);
  const doc = JSON.parse(readFileSync(path("results.json"), "utf8")) as { status?: string };
  if (doc.status === "running" || doc.status === "interrupted") {
    const stray = readdirSync(dir).filter((f) => !f.startsWith(".") && f !== "results.json");
    // Renamed in before results.json: complete files of the new set, never the old set's.
    for (const f of stray) if (f === "results.tap" && checkKtap(readFileSync(path(f), "utf8")).length) out.push("results.tap incomplete");
    return out;
  }
  const results = checkResults(doc, "results.json");
  if (results.status !== "complete") out.push(`status ${results.status}`);
  // A complete set of an earlier run is only allowed untouched: the run was killed before it
  // reached its first write (Node's start-up, loading the spec), so it changed nothing.
  if (Date.parse(results.startedAt) < started - 1000) {
    if (JSON.stringify(snapshot(dir)) !== JSON.stringify(before)) out.push(`an earlier run's results.json (${results.startedAt}) beside files the killed run changed`);
    if (killedAfterMs >= MARKED_BY_MS) out.push(`killed ${killedAfterMs} ms in, the earlier run's complete set is still where readers look`);
    return out;
  }
  for (const f of ["results.tap", "junit.xml", "summary.md"]) if (!existsSync(path(f))) out.push(`results.json says complete but ${f} is missing`);
  if (existsSync(path("results.tap")) && readFileSync(path("results.tap"), "utf8") !== renderKtap(results)) out.push("results.tap is not the KTAP of results.json");
  if (existsSync(path("junit.xml"))) {
    try {
      create(readFileSync(path("junit.xml"), "utf8"));
    } catch {
      out.push("junit.xml is not XML");
    }
  }
  return out;
}

describe("run killed with SIGKILL at random moments", function () {
  let root: string;
  before(() => (root = mkdtempSync(join(tmpdir(), "kapi-kill-"))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it(`${KILLS} kills: nothing left can be taken for a finished run`, async function () {
    this.timeout(240000);
    const dir = join(root, "reports");
    // A finished run first, so each kill has a previous set to hide; its
    // length spreads the kills over a run's whole life on this machine.
    const t0 = Date.now();
    const first = await runKilledAfter(dir, 60000);
    expect(first.signal).to.equal(null);
    const span = Math.round((Date.now() - t0) * 1.1);
    const rng = mulberry32(SEED);
    let killed = 0;
    for (let i = 0; i < KILLS; i++) {
      const ms = between(rng, 0, span);
      const before = snapshot(dir);
      const started = Date.now();
      const end = await runKilledAfter(dir, ms);
      if (end.signal === "SIGKILL") killed += 1;
      expect(problems(dir, started, before, end.signal === "SIGKILL" ? ms : 0), `kill ${i} after ${ms} ms (seed ${SEED}, over ${span} ms)`).to.deep.equal([]);
      if (existsSync(join(dir, PREVIOUS_DIR))) {
        for (const f of readdirSync(join(dir, PREVIOUS_DIR))) expect(f, "only report files in .previous").to.match(/^(results\.(json|tap)|junit\.xml|summary\.md|drift\.(json|md))$/);
      }
    }
    // Most moments must land before the run ends, or the test proves little.
    expect(killed, `runs killed before their end, of ${KILLS} (kills over ${span} ms)`).to.be.greaterThan(KILLS / 2);
  });
});
