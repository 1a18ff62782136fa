// SPDX-License-Identifier: GPL-2.0-only
// Running a suite against edited copies of any spec file (a corpus patch, the
// bundled archive page), and asking the plan which cases an edit should
// affect: the proof, for every suite, that its verdicts follow the spec.
//
//   const madvise = await specUnderEdit(corpusFile(/sys_madvise\.patch$/), "madvise");
//   const r = await runEdited(madvise, dir, "eacces-renamed", (t) => t.replace("error: EACCES", "error: EPERM"));
//   expect(failed(r)).to.deep.equal(await casesExpectingFrom(madvise, (i) => i.summary === "Permission denied"));
//
// Corpus files are read in place (../shared/kapi-corpus) and edited copies
// written to a temporary directory: never copied into the project.
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadSuite, suiteRefFor, type SuiteRef } from "../../harness/scenarios/registry.js";
import { runConformance } from "../../harness/run/conformance.js";
import { expectedFrom, undocumented as undocumentedErrno } from "../../harness/run/expectation.js";
import type { Spec } from "../../harness/spec/model.js";
import { planCases, type PlannedCheck } from "../../harness/run/plan.js";
import type { RunResults } from "../../harness/run/results.js";
import type { Bound, SpecItem } from "../../harness/scenarios/target.js";
import { loadSpecs } from "../../harness/spec/load.js";
import { CORPUS } from "../spec/helpers.js";

/** A spec file and the suite that runs it: what every edit starts from. */
export interface SpecUnderEdit {
  file: string;
  syscall: string;
  suite: SuiteRef;
  original: string;
}

/** The corpus file whose name matches, or undefined when the corpus or the file is absent (tests skip, saying so). */
export function corpusFile(name: RegExp): string | undefined {
  if (!existsSync(CORPUS)) return undefined;
  const found = readdirSync(CORPUS).filter((f) => name.test(f));
  if (found.length > 1) throw new Error(`${found.length} corpus files match ${name}: ${found.join(", ")}`);
  return found[0] === undefined ? undefined : path.join(CORPUS, found[0]);
}

export function specUnderEdit(file: string, syscall: string, suite: SuiteRef | undefined = suiteRefFor(syscall)): SpecUnderEdit {
  if (!suite) throw new Error(`no suite is registered for ${syscall}`);
  return { file, syscall, suite, original: readFileSync(file, "utf8") };
}

/** Writes `text` as `name` in `dir` and runs the suite on the spec of the syscall it holds. */
export async function runText(under: SpecUnderEdit, dir: string, name: string, text: string): Promise<RunResults> {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const { specs } = await loadSpecs([file]);
  const spec = specs.find((s) => s.name === under.syscall);
  expect(spec, `${name}: the edited ${under.syscall} spec did not parse`).to.not.equal(undefined);
  return runConformance(spec!, under.suite);
}

/** The suite run on the unedited file, by the same path as every edit. */
export const runOriginal = (under: SpecUnderEdit): Promise<RunResults> => runConformanceOn(under.file, under);

async function runConformanceOn(file: string, under: SpecUnderEdit): Promise<RunResults> {
  const { specs } = await loadSpecs([file]);
  const spec = specs.find((s) => s.name === under.syscall);
  if (!spec) throw new Error(`${file} holds no ${under.syscall} spec`);
  return runConformance(spec, under.suite);
}

/** Runs the suite on a copy of the spec with `edit` applied; the edit must change something. */
export async function runEdited(under: SpecUnderEdit, dir: string, name: string, edit: (text: string) => string): Promise<RunResults> {
  const edited = edit(under.original);
  expect(edited, `the ${name} edit changed nothing`).to.not.equal(under.original);
  return runText(under, dir, `${name}${path.extname(under.file) || ".txt"}`, edited);
}

async function plannedChecks(under: SpecUnderEdit): Promise<PlannedCheck[]> {
  const { specs } = await loadSpecs([under.file]);
  const spec = specs.find((s) => s.name === under.syscall);
  if (!spec) throw new Error(`${under.file} holds no ${under.syscall} spec`);
  return planCases(spec, await loadSuite(under.suite)).scenarios.flatMap((s) => s.checks);
}

/** The cases whose expected outcome (or one of whose allowed outcomes) the plan reads from a spec item matching `which`. */
export async function casesExpectingFrom(under: SpecUnderEdit, which: (item: SpecItem, bound: Bound) => boolean): Promise<string[]> {
  return (await plannedChecks(under))
    .filter((c) => [...c.expectations, ...(c.candidates ?? [])].some((r) => r.status === "bound" && which(r.bound.item, r.bound)))
    .map((c) => c.id)
    .sort();
}

/** The cases whose expectation the plan derives from the content of a spec item matching `which`. */
export async function casesReading(under: SpecUnderEdit, which: (item: SpecItem) => boolean): Promise<string[]> {
  return (await plannedChecks(under))
    .filter((c) => c.reads.some((b) => which(b.item)))
    .map((c) => c.id)
    .sort();
}

/** Cases failing in `r` that did not fail in `base` (the unedited spec's known disagreements stay out). */
export const newFailures = (r: RunResults, base: RunResults): string[] => failed(r).filter((id) => !failed(base).includes(id));

export const failed = (r: RunResults): string[] => r.cases.filter((c) => c.verdict === "fail").map((c) => c.id).sort();
export const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split("\n").length;
export const verdicts = (r: RunResults): Record<string, string> => Object.fromEntries(r.cases.map((c) => [c.id, c.verdict]));

/** Per case: the outcome of every item its plan expects from (errno or success clause, not where it is said), and what a return-type check reads. */
async function plannedOutcomes(spec: Spec, suite: SuiteRef): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of await checksOf(spec, suite)) {
    const items = [...c.expectations, ...(c.candidates ?? [])].map((r) => {
      if (r.status !== "bound") return "unresolved";
      const e = expectedFrom(r.bound, spec);
      return `${e.outcome}:${e.errno ?? ""}:${e.success ?? ""}`;
    });
    // A return-type check reads the return's check-type and, except for FD (an open descriptor whatever the clause), the kind of its success clause.
    const type = spec.return?.checkType?.value;
    const reads = c.check.kind === "return-type" ? `${type}:${type === "FD" ? "" : spec.return?.success?.kind}` : "";
    // A value the param's text calls valid is judged against the return's success clause.
    const validity = c.validity ? `valid:${c.validity.valid}${c.validity.valid ? `:${spec.return?.success?.raw ?? ""}` : ""};` : "";
    out.set(c.id, `${validity}${items.join("|")};${reads}`);
  }
  return out;
}

async function checksOf(spec: Spec, suite: SuiteRef): Promise<PlannedCheck[]> {
  return planCases(spec, await loadSuite(suite)).scenarios.flatMap((s) => s.checks);
}

/** The errnos a check accepts when the plan leaves it several documented outcomes (a probe's candidates), else undefined. */
function allowedErrnos(c: PlannedCheck, spec: Spec): Set<string> | undefined {
  if (c.expectations.length > 0 || !c.candidates?.length) return undefined;
  return new Set(c.candidates.flatMap((r) => (r.status === "bound" ? [expectedFrom(r.bound, spec).errno ?? ""] : [])));
}

async function specOfText(under: SpecUnderEdit, dir: string, name: string, text: string): Promise<Spec> {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  const { specs } = await loadSpecs([file]);
  const spec = specs.find((s) => s.name === under.syscall);
  if (!spec) throw new Error(`${name} holds no ${under.syscall} spec`);
  return spec;
}

const OUTCOME_KINDS = new Set(["outcome", "precedence", "again"]);

/**
 * The cases an edit must make fail, computed from the plans of the original
 * and the edited text and the unedited run: every case whose planned outcome
 * changed (unless the edited plan leaves it several documented outcomes, the
 * one the unedited run observed among them), and every call-outcome case
 * whose observed errno the edited spec no longer documents (closed world).
 */
export async function casesAffectedByEdit(under: SpecUnderEdit, dir: string, editedText: string, baseline: RunResults): Promise<string[]> {
  const original = await specOfText(under, dir, `plan-original${path.extname(under.file)}`, under.original);
  const edited = await specOfText(under, dir, `plan-edited${path.extname(under.file)}`, editedText);
  const before = await plannedOutcomes(original, under.suite);
  const after = await plannedOutcomes(edited, under.suite);
  const editedChecks = new Map((await checksOf(edited, under.suite)).map((c) => [c.id, c]));
  const stillAllowed = (id: string): boolean => {
    const allowed = editedChecks.has(id) ? allowedErrnos(editedChecks.get(id)!, edited) : undefined;
    const observed = baseline.cases.find((c) => c.id === id)?.observed.errno;
    return allowed !== undefined && observed !== undefined && allowed.has(observed);
  };
  const changed = [...before].filter(([id, e]) => after.get(id) !== e && !stillAllowed(id)).map(([id]) => id);
  const outcomeIds = new Set(planCases(original, await loadSuite(under.suite)).scenarios.flatMap((s) => s.checks).filter((c) => OUTCOME_KINDS.has(c.check.kind)).map((c) => c.id));
  const undocumented = baseline.cases.filter((c) => outcomeIds.has(c.id) && c.observed.errno !== undefined && undocumentedErrno({ ret: -1n, errno: c.observed.errno }, edited) !== undefined).map((c) => c.id);
  return [...new Set([...changed, ...undocumented])].sort();
}
