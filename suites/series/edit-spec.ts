// SPDX-License-Identifier: GPL-2.0-only
// Edited copies of any spec file, run with the suite of its syscall, and
// which cases an edit should make fail, computed from the plan: the cases
// whose expected outcome the plan reads from an item the edit changed
// (planned on the original and on the edited text), and the call-outcome
// cases that observed an errno the edit made undocumented. The generalised
// form of suites/conformance/edited.ts (which stays io_cancel's).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { expect } from "chai";
import { loadSuite, suiteRefFor, type SuiteRef } from "../../harness/scenarios/registry.js";
import { documentedErrnos, expectedFrom } from "../../harness/run/expectation.js";
import { planCases } from "../../harness/run/plan.js";
import { runConformance } from "../../harness/run/conformance.js";
import type { RunResults } from "../../harness/run/results.js";
import type { Spec } from "../../harness/spec/model.js";
import { specOf } from "./corpus.js";

const OUTCOME_KINDS = new Set(["outcome", "precedence", "again"]);

export class SpecEditor {
  readonly original: string;
  readonly ref: SuiteRef;
  readonly #dir = mkdtempSync(join(tmpdir(), "kapi-conform-edit-"));

  constructor(
    readonly file: string,
    readonly syscall: string,
  ) {
    this.original = readFileSync(file, "utf8");
    const ref = suiteRefFor(syscall);
    if (!ref) throw new Error(`no suite registered for ${syscall}`);
    this.ref = ref;
  }

  /** Writes the edited text next to nothing of the project's, parses it, and returns its spec. */
  async spec(text: string, name: string): Promise<Spec> {
    const path = join(this.#dir, `${name}-${basename(this.file)}`);
    writeFileSync(path, text);
    return specOf(path, this.syscall);
  }

  async run(text: string, name: string): Promise<RunResults> {
    return runConformance(await this.spec(text, name), this.ref);
  }

  /** The edit applied to the original; an edit that changes nothing is an error of the test. */
  edited(edit: (text: string) => string, what: string): string {
    const text = edit(this.original);
    expect(text, `the edit "${what}" changed nothing in ${this.file}`).to.not.equal(this.original);
    return text;
  }

  /** Per case: the outcomes its plan expects (errno or success clause of each bound item), as text. */
  async expectations(text: string, name: string): Promise<Map<string, string>> {
    const spec = await this.spec(text, name);
    const plan = planCases(spec, await loadSuite(this.ref));
    const out = new Map<string, string>();
    for (const c of plan.scenarios.flatMap((s) => s.checks)) {
      // The outcome each bound item documents (not where it says it: a reworded condition with the same errno changes nothing).
      const items = [...c.expectations, ...(c.candidates ?? [])].map((r) => {
        if (r.status !== "bound") return "unresolved";
        const e = expectedFrom(r.bound, spec);
        return `${e.outcome}:${e.errno ?? ""}:${e.success ?? ""}`;
      });
      // A return-type check reads the return's check-type and, except for FD (an open descriptor whatever the clause), the kind of its success clause.
      const type = spec.return?.checkType?.value;
      const reads = c.check.kind === "return-type" ? `${type}:${type === "FD" ? "" : spec.return?.success?.kind}` : "";
      out.set(c.id, `${c.validity ? `valid:${c.validity.valid};` : ""}${items.join("|")};${reads}`);
    }
    return out;
  }

  /**
   * The cases the edit must make fail, from the plans of both texts and the
   * unedited run: every case whose planned expectation changed, and every
   * call-outcome case whose observed errno the edited spec no longer documents.
   */
  async affected(editedText: string, baseline: RunResults): Promise<string[]> {
    const before = await this.expectations(this.original, "original");
    const after = await this.expectations(editedText, "edited");
    const documented = documentedErrnos(await this.spec(editedText, "edited"));
    const changed = [...before].filter(([id, e]) => after.get(id) !== e).map(([id]) => id);
    const plan = planCases(await this.spec(this.original, "original"), await loadSuite(this.ref));
    const outcomeIds = new Set(plan.scenarios.flatMap((s) => s.checks).filter((c) => OUTCOME_KINDS.has(c.check.kind)).map((c) => c.id));
    const undocumented = baseline.cases.filter((c) => outcomeIds.has(c.id) && c.observed.errno !== undefined && !documented.has(c.observed.errno)).map((c) => c.id);
    return [...new Set([...changed, ...undocumented])].sort();
  }

  release(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

export const failedIds = (r: RunResults): string[] => r.cases.filter((c) => c.verdict === "fail").map((c) => c.id).sort();
