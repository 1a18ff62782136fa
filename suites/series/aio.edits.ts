// SPDX-License-Identifier: GPL-2.0-only
// Edited-spec tests for the AIO suites, on edit-spec.ts. Which cases an edit
// should make fail is computed from the plans of the original and the edited
// spec: a case is affected when the outcome it expects (an errno, or the
// success clause) changed; when an errno it expects from prose is no longer
// documented by any error block (closed world); for a precedence check, when
// the errnos it accepts no longer include the one the kernel gave; for the
// return's check-type, when the success clause changed and the check-type
// reads it (RANGE, EXACT).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { documentedErrnos } from "../../harness/run/expectation.js";
import { planCases, type PlannedCheck } from "../../harness/run/plan.js";
import type { RunResults } from "../../harness/run/results.js";
import { loadSuite } from "../../harness/scenarios/registry.js";
import type { Resolution } from "../../harness/scenarios/target.js";
import { loadSpecs } from "../../harness/spec/load.js";
import type { Spec } from "../../harness/spec/model.js";
import { corpusFile, failed, runEdited, runOriginal, specUnderEdit, type SpecUnderEdit } from "./edit-spec.js";

async function specIn(file: string, syscall: string): Promise<Spec> {
  const { specs } = await loadSpecs([file]);
  const spec = specs.find((s) => s.name === syscall);
  if (!spec) throw new Error(`${file} holds no ${syscall} spec`);
  return spec;
}

async function planOf(under: SpecUnderEdit, spec: Spec): Promise<PlannedCheck[]> {
  return planCases(spec, await loadSuite(under.suite)).scenarios.flatMap((s) => s.checks);
}

/** What each resolution expects, as text: an errno, "success <clause>", or "unresolved". */
function outcomes(rs: Resolution[]): string[] {
  return rs.map((r) => {
    if (r.status === "unresolved") return "unresolved";
    const { item } = r.bound;
    if (item.section === "return") return `success ${item.fields?.success ?? ""}`;
    return item.errno ?? `(${item.section} ${item.summary})`;
  });
}

/** Closed world: whether one of `expected` was documented by an error block before the edit and is not after it. */
const undocumentedAfterEdit = (expected: string[], before: Set<string>, after: Set<string>): boolean => expected.some((errno) => before.has(errno) && !after.has(errno));
const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
/** Check-types whose judgement reads the success clause's kind (RANGE wants a range, EXACT a value). */
const readsSuccess = (spec: Spec): boolean => ["RANGE", "EXACT"].includes(spec.return?.checkType?.value ?? "");

/** The cases an edit should make fail, from the two plans (see the file comment). */
export async function affectedCases(under: SpecUnderEdit, original: Spec, originalRun: RunResults, edited: Spec): Promise<string[]> {
  const before = new Map((await planOf(under, original)).map((c) => [c.id, c]));
  const observed = new Map(originalRun.cases.map((c) => [c.id, c.observed.errno]));
  const documentedBefore = documentedErrnos(original);
  const documentedAfter = documentedErrnos(edited);
  return (await planOf(under, edited))
    .filter((after) => {
      const was = before.get(after.id);
      if (!was) return false;
      if (after.check.kind === "precedence") {
        const accepted = new Set(outcomes(after.candidates ?? []));
        return !same(outcomes(was.candidates ?? []), outcomes(after.candidates ?? [])) && !accepted.has(observed.get(after.id) ?? "");
      }
      // A race classifies every result against its outcomes: a changed outcome, or one from prose no error block documents any more, fails it.
      if (after.check.kind === "race") {
        const now = outcomes(after.candidates ?? []);
        return !same(outcomes(was.candidates ?? []), now) || undocumentedAfterEdit(now, documentedBefore, documentedAfter);
      }
      if (after.check.kind === "return-type") return original.return?.success?.raw !== edited.return?.success?.raw && readsSuccess(edited);
      if (!same(outcomes(was.expectations), outcomes(after.expectations))) return true;
      return undocumentedAfterEdit(outcomes(after.expectations), documentedBefore, documentedAfter);
    })
    .map((c) => c.id)
    .sort();
}

export interface SpecEdit {
  name: string;
  /** What the edit changes, for the test title. */
  title: string;
  edit(text: string): string;
  /** Cases the edit must affect, named independently of the computation (anchors). */
  anchors: string[];
  /** Text each affected failure's reason must contain (the new errno, a line of the edited text as ":N"). */
  reasonIncludes?(edited: string): string[];
}

/**
 * One mocha suite per spec: each edit makes exactly the cases its plans say
 * fail (besides the unedited spec's confirmed failures), and their reasons
 * name what the edit put there.
 */
export function describeSpecEdits(syscall: string, corpusName: RegExp, edits: SpecEdit[]): void {
  describe(`${syscall}: edited specs make exactly the affected cases fail`, function () {
    this.timeout(60_000);
    let under: SpecUnderEdit;
    let dir: string;
    let original: Spec;
    let originalRun: RunResults;
    before(async function () {
      const file = corpusFile(corpusName);
      if (!file) {
        process.stderr.write(`# SKIP ${syscall} spec edits: the KAPI corpus (../shared/kapi-corpus) or its ${syscall} file is absent\n`);
        this.skip();
      }
      under = specUnderEdit(file, syscall);
      dir = mkdtempSync(path.join(tmpdir(), "kapi-conform-aio-edits-"));
      original = await specIn(file, syscall);
      originalRun = await runOriginal(under);
    });
    after(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const e of edits) {
      it(`${e.title}: exactly the cases the plan says`, async function () {
        const results = await runEdited(under, dir, e.name, e.edit);
        const edited = await specIn(path.join(dir, `${e.name}${path.extname(under.file)}`), syscall);
        const affected = await affectedCases(under, original, originalRun, edited);
        expect(affected).to.include.members(e.anchors);
        const already = failed(originalRun).filter((id) => !affected.includes(id));
        expect(failed(results)).to.deep.equal([...new Set([...affected, ...already])].sort());
        const text = e.edit(under.original);
        const races = new Map((await planOf(under, edited)).filter((p) => p.check.kind === "race").map((p) => [p.id, p]));
        const [documentedBefore, documentedAfter] = [documentedErrnos(original), documentedErrnos(edited)];
        const undocumentedNow = (p: PlannedCheck): boolean => undocumentedAfterEdit(outcomes(p.candidates ?? []), documentedBefore, documentedAfter);
        for (const c of results.cases.filter((x) => affected.includes(x.id))) {
          // Closed world: the errno expected from prose is what the kernel gave, but no error block documents it now.
          if (c.expected.errno !== undefined && c.expected.errno === c.observed.errno) {
            expect(c.reason, c.id).to.include(`undocumented errno: the kernel returned ${c.observed.errno}`);
            continue;
          }
          // A race whose outcome is now such an errno: its results fall outside every documented outcome.
          if (races.has(c.id) && undocumentedNow(races.get(c.id)!)) {
            expect(c.reason, c.id).to.include("ended outside the documented outcomes");
            continue;
          }
          for (const needle of e.reasonIncludes?.(text) ?? []) expect(c.reason, c.id).to.include(needle);
        }
      });
    }
  });
}
