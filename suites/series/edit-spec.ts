// SPDX-License-Identifier: GPL-2.0-only
// Edited copies of a spec, run against its suite, for the tests that prove
// verdicts follow the spec (the generalisation of suites/conformance/edited.ts
// to any spec file and suite). Which cases an edit should make fail is computed
// from the plans of the original and the edited spec: a case is affected when
// the outcome it expects (an errno, or the success clause) changed, or, for a
// precedence check, when the errnos it accepts no longer include the one the
// kernel gave on the original spec.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { runConformance } from "../../harness/run/conformance.js";
import { documentedErrnos } from "../../harness/run/expectation.js";
import { planCases, type PlannedCheck } from "../../harness/run/plan.js";
import type { RunResults } from "../../harness/run/results.js";
import { loadSuite, suiteRefFor, type SuiteRef } from "../../harness/scenarios/registry.js";
import type { Resolution } from "../../harness/scenarios/target.js";
import { loadSpecs } from "../../harness/spec/load.js";
import type { Spec } from "../../harness/spec/model.js";

export interface EditedRun {
  spec: Spec;
  results: RunResults;
}

/** A spec file and the suite that serves it, with a scratch directory for edited copies. */
export class SpecEditor {
  readonly original: string;
  readonly ref: SuiteRef;
  readonly #dir = mkdtempSync(join(tmpdir(), "kapi-conform-edit-spec-"));

  constructor(
    readonly file: string,
    readonly syscall: string,
  ) {
    this.original = readFileSync(file, "utf8");
    const ref = suiteRefFor(syscall);
    if (!ref) throw new Error(`no suite is registered for ${syscall}`);
    this.ref = ref;
  }

  /** Parses `text` (written as `name` in the scratch directory) and returns its spec of the syscall. */
  async specOf(name: string, text: string): Promise<Spec> {
    const path = join(this.#dir, name);
    writeFileSync(path, text);
    const { specs } = await loadSpecs([path]);
    const spec = specs.find((s) => s.name === this.syscall);
    expect(spec, `${name}: the spec did not parse`).to.not.equal(undefined);
    return spec!;
  }

  async run(name: string, text: string): Promise<EditedRun> {
    const spec = await this.specOf(name, text);
    return { spec, results: await runConformance(spec, this.ref) };
  }

  /** Applies `edit` (which must change something) and runs the suite on the result. */
  async runEdited(name: string, edit: (text: string) => string): Promise<EditedRun> {
    const edited = edit(this.original);
    expect(edited, `the ${name} edit changed nothing`).to.not.equal(this.original);
    return this.run(`${name}.patch`, edited);
  }

  async plan(spec: Spec): Promise<PlannedCheck[]> {
    return planCases(spec, await loadSuite(this.ref)).scenarios.flatMap((s) => s.checks);
  }

  /** Cases whose expected outcome differs between the two specs' plans (see the file comment). */
  async affected(original: EditedRun, edited: Spec): Promise<string[]> {
    const before = new Map((await this.plan(original.spec)).map((c) => [c.id, c]));
    const observed = new Map(original.results.cases.map((c) => [c.id, c.observed.errno]));
    return (await this.plan(edited))
      .filter((after) => {
        const was = before.get(after.id);
        if (!was) return false;
        if (after.check.kind === "precedence") {
          const accepted = new Set(outcomes(after.candidates ?? []));
          return !same(outcomes(was.candidates ?? []), outcomes(after.candidates ?? [])) && !accepted.has(observed.get(after.id) ?? "");
        }
        // The return's check-type is judged against the success clause.
        if (after.check.kind === "return-type") return successOf(original.spec) !== successOf(edited) && readsSuccess(edited);
        if (!same(outcomes(was.expectations), outcomes(after.expectations))) return true;
        // Closed world: an errno expected from prose that no error block documents any more fails the case.
        return outcomes(after.expectations).some((errno) => documented(original.spec).has(errno) && !documented(edited).has(errno));
      })
      .map((c) => c.id)
      .sort();
  }

  release(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** What each resolution expects, as text: an errno, "success <clause>", or why it is unresolved. */
function outcomes(rs: Resolution[]): string[] {
  return rs.map((r) => {
    if (r.status === "unresolved") return `unresolved`;
    const { item } = r.bound;
    if (item.section === "return") return `success ${item.fields?.success ?? ""}`;
    return item.errno ?? `(${item.section} ${item.summary})`;
  });
}

const successOf = (spec: Spec): string | undefined => spec.return?.success?.raw;
/** Check-types whose judgement reads the success clause's kind (RANGE wants a range, EXACT a value). */
const readsSuccess = (spec: Spec): boolean => ["RANGE", "EXACT"].includes(spec.return?.checkType?.value ?? "");
const documented = (spec: Spec): Set<string> => documentedErrnos(spec);

const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export const failed = (r: RunResults): string[] => r.cases.filter((c) => c.verdict === "fail").map((c) => c.id).sort();
export const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split("\n").length;

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
 * One mocha suite per spec: the unedited spec's failures are the confirmed
 * ones; each edit makes exactly the cases its plan says fail (plus those that
 * already failed), and names what the edit put there.
 */
export function describeSpecEdits(syscall: string, corpusFile: () => string | undefined, edits: SpecEdit[]): void {
  describe(`${syscall}: edited specs make exactly the affected cases fail`, function () {
    this.timeout(60_000);
    let editor: SpecEditor;
    let original: EditedRun;
    before(async function () {
      const file = corpusFile();
      if (!file) {
        process.stderr.write(`# SKIP ${syscall} spec edits: the KAPI corpus (../shared/kapi-corpus) is absent\n`);
        this.skip();
      }
      editor = new SpecEditor(file!, syscall);
      original = await editor.run("original.patch", editor.original);
    });
    after(() => editor?.release());

    for (const e of edits) {
      it(`${e.title}: exactly the cases the plan says`, async function () {
        const edited = await editor.runEdited(e.name, e.edit);
        const affected = await editor.affected(original, edited.spec);
        expect(affected).to.include.members(e.anchors);
        const already = failed(original.results).filter((id) => !affected.includes(id));
        expect(failed(edited.results)).to.deep.equal([...new Set([...affected, ...already])].sort());
        for (const c of edited.results.cases.filter((x) => affected.includes(x.id))) {
          // Closed world: the errno expected from prose is what the kernel gave, but no error block documents it now.
          if (c.expected.errno !== undefined && c.expected.errno === c.observed.errno) {
            expect(c.reason, c.id).to.include(`undocumented errno: the kernel returned ${c.observed.errno}`);
            continue;
          }
          for (const text of e.reasonIncludes?.(e.edit(editor.original)) ?? []) expect(c.reason, c.id).to.include(text);
        }
      });
    }
  });
}
