// SPDX-License-Identifier: GPL-2.0-only
// Running the io_cancel suite against edited copies of the bundled spec, and
// asking the plan which cases an edit should affect: shared by the tests that
// prove verdicts follow the spec.
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultSpecPath, loadSpecs } from "../../harness/spec/load.js";
import { ioCancelSuite } from "../../harness/scenarios/io_cancel/suite.js";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import { runConformance } from "../../harness/run/conformance.js";
import { planCases, type PlannedCheck } from "../../harness/run/plan.js";
import type { SpecItem } from "../../harness/scenarios/target.js";
import type { RunResults } from "../../harness/run/results.js";

const IO_CANCEL = suiteRefFor("io_cancel")!;

export const original = readFileSync(defaultSpecPath(), "utf8");

/** Writes `text` as `name` in `dir` and runs the suite on the io_cancel spec it holds. */
export async function runText(dir: string, name: string, text: string): Promise<RunResults> {
  const path = join(dir, name);
  writeFileSync(path, text);
  const { specs } = await loadSpecs([path]);
  const spec = specs.find((s) => s.name === "io_cancel");
  expect(spec, `${name}: the edited spec did not parse`).to.not.equal(undefined);
  return runConformance(spec!, IO_CANCEL);
}

export async function runEdited(dir: string, name: string, edit: (text: string) => string): Promise<RunResults> {
  const edited = edit(original);
  expect(edited, `the ${name} edit changed nothing`).to.not.equal(original);
  return runText(dir, `${name}.txt`, edited);
}

async function plannedChecks(): Promise<PlannedCheck[]> {
  const { specs } = await loadSpecs([defaultSpecPath()]);
  return planCases(specs[0]!, ioCancelSuite).scenarios.flatMap((s) => s.checks);
}

/** The cases whose expected outcome (or one of whose allowed outcomes) the plan reads from a spec item matching `which`. */
export async function casesExpectingFrom(which: (item: SpecItem) => boolean): Promise<string[]> {
  return (await plannedChecks())
    .filter((c) => [...c.expectations, ...(c.candidates ?? [])].some((r) => r.status === "bound" && which(r.bound.item)))
    .map((c) => c.id)
    .sort();
}

/** The cases whose expectation the plan derives from the content of a spec item matching `which`. */
export async function casesReading(which: (item: SpecItem) => boolean): Promise<string[]> {
  return (await plannedChecks())
    .filter((c) => c.reads.some((b) => which(b.item)))
    .map((c) => c.id)
    .sort();
}

export const failed = (r: RunResults): string[] => r.cases.filter((c) => c.verdict === "fail").map((c) => c.id).sort();
export const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split("\n").length;
export const verdicts = (r: RunResults): Record<string, string> => Object.fromEntries(r.cases.map((c) => [c.id, c.verdict]));
