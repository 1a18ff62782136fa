// SPDX-License-Identifier: GPL-2.0-only
// Confirms the failing cases of an AIO suite in C: a program in
// suites/series/<syscall>.repro.c makes each failing condition with raw
// syscall() and prints "<case id> <ret> <errno> [key=value ...]"; the test
// runs the suite on the corpus spec and asserts that exactly the cases the C
// program names fail, each with the same return, errno and extra facts
// (aio_key after the call) that the run observed. So a failure is the spec's
// or the kernel's, never the harness's.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { compileC } from "../../harness/kernel/cc.js";
import { errnoNumber } from "../../harness/kernel/errno.js";
import { loadExpectations, matchesCase } from "../../harness/gate/expectations.js";
import { runConformance } from "../../harness/run/conformance.js";
import type { CaseResult, RunResults } from "../../harness/run/results.js";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import { loadSpecs } from "../../harness/spec/load.js";
import { projectRoot } from "../kernel/support.js";
import { corpusFile, CORPUS } from "../spec/helpers.js";
import { skipBecause } from "../support/skip.js";

export interface ReproLine {
  id: string;
  ret: bigint;
  errno: number;
  extra: Record<string, string>;
}

const SERIES = join(projectRoot(), "suites", "series");
export const EXPECTATIONS = join(SERIES, "expectations.yaml");

/** The case ids a C reproduction names, read from its source (so the mocha tests have stable names). */
export function reproducedIds(syscall: string): string[] {
  const text = readFileSync(join(SERIES, `${syscall}.repro.c`), "utf8");
  return [...new Set([...text.matchAll(new RegExp(`"(${syscall}\\.[a-z0-9.-]+)[" ]`, "g"))].map((m) => m[1]!))].sort();
}

function parseLines(stdout: string): Map<string, ReproLine> {
  const lines = new Map<string, ReproLine>();
  for (const line of stdout.split("\n").filter(Boolean)) {
    const [id, ret, errno, ...rest] = line.split(" ");
    if (!id || ret === undefined || errno === undefined) throw new Error(`unexpected line from the C reproduction: ${line}`);
    lines.set(id, { id, ret: BigInt(ret), errno: Number(errno), extra: Object.fromEntries(rest.map((kv) => kv.split("=") as [string, string])) });
  }
  return lines;
}

export interface Confirmation {
  results: RunResults;
  repro: Map<string, ReproLine>;
  byId: Map<string, CaseResult>;
}

/** Compiles and runs the C reproduction and the suite on the corpus spec; skips with the reason when either cannot run here. */
export async function confirm(ctx: Mocha.Context, syscall: string, corpusPart: string): Promise<Confirmation> {
  if (!existsSync(CORPUS)) skipBecause(ctx, `KAPI corpus not found at ${CORPUS} (it lives in ../shared, outside the project)`);
  const program = compileC(join(SERIES, `${syscall}.repro.c`), `${syscall}-repro`);
  if (!program.ok) {
    if (program.noCompiler) skipBecause(ctx, program.reason);
    throw new Error(`${syscall}.repro.c does not compile: ${program.reason}`);
  }
  let stdout: string;
  try {
    const run = spawnSync(program.path, { encoding: "utf8", timeout: 30_000 });
    if (run.status !== 0) throw new Error(`${syscall}.repro.c exited with ${run.status ?? run.signal}: ${run.stderr}`);
    stdout = run.stdout;
  } finally {
    program.cleanup();
  }
  const { specs } = await loadSpecs([corpusFile(corpusPart)]);
  const spec = specs.find((s) => s.name === syscall);
  if (!spec) throw new Error(`the corpus file for ${corpusPart} holds no ${syscall} spec`);
  const results = await runConformance(spec, suiteRefFor(syscall)!);
  return { results, repro: parseLines(stdout), byId: new Map(results.cases.map((c) => [c.id, c])) };
}

/** The run's failure of `id` is what C saw: same return, errno and extra facts. */
export function expectSameAsC(c: Confirmation, id: string): void {
  const line = c.repro.get(id);
  const seen = c.byId.get(id);
  expect(line, `the C reproduction printed no line for ${id}`).to.not.equal(undefined);
  expect(seen, `the run has no case ${id}`).to.not.equal(undefined);
  expect(seen!.verdict, `${id}: ${seen!.reason ?? ""}`).to.equal("fail");
  // A claims check records its facts; the call's own result is on the outcome case of the same scenario.
  const scenario = id.slice(0, id.lastIndexOf("."));
  const call = seen!.observed.ret !== undefined ? seen! : c.results.cases.find((x) => x.id.startsWith(`${scenario}.`) && x.observed.ret !== undefined);
  expect(call, `${id}: no case of its scenario recorded the call's result`).to.not.equal(undefined);
  expect(call!.observed.ret, `${id}: the return`).to.equal(line!.ret.toString());
  expect(call!.observed.errno === undefined ? 0 : errnoNumber(call!.observed.errno), `${id}: the errno`).to.equal(line!.errno);
  // aio_key after the call: the run records the keys of its iocbs (one here).
  if (line!.extra.key !== undefined && seen!.observed.facts?.keys !== undefined) expect(String(seen!.observed.facts.keys), `${id}: aio_key after the call`).to.equal(line!.extra.key);
}

/** The failing cases of the run for this syscall, sorted. */
export const failing = (c: Confirmation): string[] => c.results.cases.filter((x) => x.verdict === "fail").map((x) => x.id).sort();

/** The cases of the run that an entry of expectations.yaml (an id or a glob) lists, sorted. */
export async function listedCases(c: Confirmation): Promise<string[]> {
  const all = await loadExpectations(EXPECTATIONS);
  return c.results.cases.filter((x) => all.some((e) => matchesCase(e, x.id))).map((x) => x.id).sort();
}

/** The mocha suite for one syscall: its failing cases are exactly the C reproductions, each seeing what the run saw, all listed. */
export function describeConfirmation(syscall: string, corpusPart: string): void {
  const ids = reproducedIds(syscall);
  describe(`${syscall}: failures on this kernel are confirmed in C`, function () {
    this.timeout(60_000);
    let c: Confirmation;
    before(async function () {
      c = await confirm(this, syscall, corpusPart);
    });

    it("the failing cases are exactly those the C reproduction makes", function () {
      expect(failing(c)).to.deep.equal(ids);
    });

    it("no case is an error or a timeout", function () {
      expect(c.results.cases.filter((x) => x.verdict === "error" || x.verdict === "timeout").map((x) => `${x.id}: ${x.reason ?? ""}`)).to.deep.equal([]);
    });

    it("expectations.yaml lists exactly the confirmed failures", async function () {
      expect(await listedCases(c)).to.deep.equal(ids);
    });

    for (const id of ids) it(`${id}: C sees what the run saw`, function () {
      expectSameAsC(c, id);
    });
  });
}
