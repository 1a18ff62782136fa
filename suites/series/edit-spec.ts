// SPDX-License-Identifier: GPL-2.0-only
// Edited copies of any spec file, run with its suite, and the cases an edit
// should affect, computed from the plan: the generalisation of
// suites/conformance/edited.ts (which serves the bundled io_cancel spec) for
// the series' suites. The spec file is read where it is (the corpus is never
// copied); edited copies go to a temp directory of the caller's.
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { runConformance } from "../../harness/run/conformance.js";
import { planCases, type PlannedCheck } from "../../harness/run/plan.js";
import type { RunResults } from "../../harness/run/results.js";
import { loadSuite, type SuiteRef } from "../../harness/scenarios/registry.js";
import type { SpecItem } from "../../harness/scenarios/target.js";
import { loadSpecs } from "../../harness/spec/load.js";
import type { Spec } from "../../harness/spec/model.js";

export interface SpecUnderEdit {
  file: string;
  syscall: string;
  suite: SuiteRef;
  original: string;
}

export function specUnderEdit(file: string, syscall: string, suite: SuiteRef): SpecUnderEdit {
  return { file, syscall, suite, original: readFileSync(file, "utf8") };
}

async function specIn(path: string, syscall: string): Promise<Spec> {
  const { specs } = await loadSpecs([path]);
  const spec = specs.find((s) => s.name === syscall);
  expect(spec, `${path}: no ${syscall} spec parsed`).to.not.equal(undefined);
  return spec!;
}

/** The spec `text` (the original when omitted), written into `dir` when edited. */
async function specOf(s: SpecUnderEdit, dir?: string, name?: string, text?: string): Promise<Spec> {
  if (text === undefined) return specIn(s.file, s.syscall);
  const path = join(dir!, `${name ?? "edited"}-${basename(s.file)}`);
  writeFileSync(path, text);
  return specIn(path, s.syscall);
}

export async function runOriginal(s: SpecUnderEdit): Promise<RunResults> {
  return runConformance(await specOf(s), s.suite);
}

/** Runs the suite on a copy of the spec with `edit` applied (which must change something). */
export async function runEdited(s: SpecUnderEdit, dir: string, name: string, edit: (text: string) => string): Promise<RunResults> {
  const edited = edit(s.original);
  expect(edited, `the ${name} edit changed nothing`).to.not.equal(s.original);
  return runConformance(await specOf(s, dir, name, edited), s.suite);
}

/** The planned checks of the original spec, or of an edited copy. */
export async function plannedChecks(s: SpecUnderEdit, edited?: { dir: string; name: string; text: string }): Promise<PlannedCheck[]> {
  const spec = await specOf(s, edited?.dir, edited?.name, edited?.text);
  return planCases(spec, await loadSuite(s.suite)).scenarios.flatMap((p) => p.checks);
}

const bindsTo = (c: PlannedCheck, which: (item: SpecItem, condition?: string) => boolean): boolean =>
  [...c.expectations, ...(c.candidates ?? [])].some((r) => r.status === "bound" && which(r.bound.item, r.bound.condition?.text));

/** The cases whose expected outcome (or an allowed one) the plan reads from an item matching `which`. */
export async function casesExpectingFrom(s: SpecUnderEdit, which: (item: SpecItem, condition?: string) => boolean, edited?: { dir: string; name: string; text: string }): Promise<string[]> {
  return (await plannedChecks(s, edited))
    .filter((c) => bindsTo(c, which))
    .map((c) => c.id)
    .sort();
}

export const failed = (r: RunResults): string[] => r.cases.filter((c) => c.verdict === "fail").map((c) => c.id).sort();
export const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split("\n").length;
export const union = (...lists: string[][]): string[] => [...new Set(lists.flat())].sort();
