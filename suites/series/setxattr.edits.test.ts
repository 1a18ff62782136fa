// SPDX-License-Identifier: GPL-2.0-only
// Verdicts of the *setxattr suite follow the corpus specs: each spec is
// edited (an errno renamed, the success value changed, a condition moved to
// another error block) and exactly the cases the plan says read the edited
// item fail, besides the known disagreements (suites/series/expectations.yaml),
// each naming the edited line.
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResults } from "../../harness/run/results.js";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import { skipBecause } from "../support/skip.js";
import { casesExpectingFrom, failed, lineOf, runEdited, runOriginal, specUnderEdit, type SpecUnderEdit } from "./edit-spec.js";
import { REPRODUCED } from "./setxattr.repro.test.js";
import { corpusFile, XATTR_SYSCALLS } from "./xattr-corpus.js";

const EEXIST_HEADER = "+ * error: EEXIST, Attribute already exists";
const ENODATA_HEADER = "+ * error: ENODATA, Attribute not found";
const union = (...lists: string[][]): string[] => [...new Set(lists.flat())].sort();
const skipped = (r: RunResults): string[] => r.cases.filter((c) => c.verdict === "skip").map((c) => c.id);
const REPLACE_MISSING = "XATTR_REPLACE was specified but the named attribute does not exist";

for (const syscall of XATTR_SYSCALLS) {
  describe(`series: ${syscall} verdicts follow the edited corpus spec`, function () {
    this.timeout(60_000);
    let dir: string;
    let spec: SpecUnderEdit;
    let original: RunResults;

    before(async function () {
      const file = corpusFile(syscall);
      if (!file) skipBecause(this, `no ${syscall} spec: ../shared/kapi-corpus is absent`);
      dir = mkdtempSync(join(tmpdir(), "kapi-conform-series-edit-"));
      spec = specUnderEdit(file, syscall, suiteRefFor(syscall)!);
      original = await runOriginal(spec);
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    it("the unedited spec fails exactly its known, C-confirmed disagreements", function () {
      expect(failed(original)).to.deep.equal(Object.keys(REPRODUCED[syscall]).sort());
      expect(original.cases.length, "cases per spec").to.be.at.least(8);
    });

    it("EEXIST renamed to EBUSY: exactly the cases expecting it fail, naming its line", async function () {
      const r = await runEdited(spec, dir, "eexist-ebusy", (t) => t.replace(EEXIST_HEADER, "+ * error: EBUSY, Attribute already exists"));
      const affected = await casesExpectingFrom(spec, (item) => item.section === "errors" && /already exists/i.test(item.summary));
      expect(affected).to.include.members([`${syscall}.create-existing.rejected`, `${syscall}.both-flags-existing.rejected`]);
      expect(failed(r)).to.deep.equal(union(failed(original), affected));
      for (const id of affected) {
        const c = r.cases.find((x) => x.id === id)!;
        expect(c.reason, id).to.include(`:${lineOf(spec.original, EEXIST_HEADER)}`).and.include("EBUSY").and.include("EEXIST");
      }
    });

    it("success value changed to 1: exactly the cases expecting the success value fail", async function () {
      const r = await runEdited(spec, dir, "success-1", (t) => t.replace("+ *   success: 0", "+ *   success: 1"));
      // A case that skipped on the original (its item is not in this spec) cannot fail.
      const affected = (await casesExpectingFrom(spec, (item) => item.section === "return")).filter((id) => !skipped(original).includes(id));
      expect(affected).to.include.members([`${syscall}.set-new.returns-success`, `${syscall}.create-missing.accepted`, `${syscall}.size-zero.accepted`]);
      expect(failed(r)).to.deep.equal(union(failed(original), affected));
    });

    it("S_NOSEC denied ('is not cleared'): exactly the S_NOSEC case fails", async function () {
      const r = await runEdited(spec, dir, "nosec-kept", (t) => t.replace("S_NOSEC flag is cleared from", "S_NOSEC flag is not cleared from"));
      const affected = [`${syscall}.security-capability-clears-nosec.nosec-cleared`].filter((id) => !skipped(original).includes(id));
      expect(failed(r)).to.deep.equal(union(failed(original), affected));
    });

    it("the size-limits sentence says EIO or E2BIG: the case beyond the filesystem's limit fails, naming that line", async function () {
      const sentence = "Exceeding filesystem limits returns ENOSPC or E2BIG.";
      const r = await runEdited(spec, dir, "limit-eio", (t) => t.replace(sentence, "Exceeding filesystem limits returns EIO or E2BIG."));
      // It skips where the temp filesystem holds the probe's value: nothing to exceed.
      const affected = [`${syscall}.beyond-filesystem-limit.reported`].filter((id) => !skipped(original).includes(id));
      expect(failed(r)).to.deep.equal(union(failed(original), affected));
      for (const id of affected) expect(r.cases.find((x) => x.id === id)!.reason, id).to.include(`:${lineOf(spec.original, sentence)}`);
    });

    it("'EPERM (for write)' renamed to EACCES: the user.* on a FIFO case fails", async function () {
      const claim = "returns EPERM (for write)";
      // lsetxattr's spec names an errno for symbolic links only (its FIFO case is a known failure).
      if (!spec.original.includes(claim)) skipBecause(this, `the ${syscall} spec has no "${claim}"`);
      const r = await runEdited(spec, dir, "write-eacces", (t) => t.replace(claim, "returns EACCES (for write)"));
      expect(failed(r)).to.deep.equal(union(failed(original), [`${syscall}.user-on-fifo.write-claim`]));
    });

    it("the XATTR_REPLACE condition moved from ENODATA to EEXIST: its cases fail with both errnos and the new block's line", async function () {
      const moved = (t: string): string => {
        const at = t.indexOf(REPLACE_MISSING);
        const sentenceEnd = t.indexOf(".", at) + 1;
        const sentence = t.slice(at, sentenceEnd).replace(/\n\+ \*\s+/g, " ");
        const without = `${t.slice(0, at)}Returned when the attribute is missing.${t.slice(sentenceEnd)}`;
        // Appended to the EEXIST block's desc, the last line before the ERANGE block.
        const next = without.indexOf("+ *\n+ * error: ERANGE");
        return `${without.slice(0, next)}+ *     ${sentence}\n${without.slice(next)}`;
      };
      const text = moved(spec.original);
      const r = await runEdited(spec, dir, "replace-moved", () => text);
      // Computed from the plan of the edited spec: the cases now bound to the moved condition in the EEXIST block.
      const editedFile = join(dir, "replace-moved-plan.patch");
      writeFileSync(editedFile, text);
      const affected = await casesExpectingFrom(specUnderEdit(editedFile, syscall, spec.suite), (item, bound) => item.errno === "EEXIST" && (bound.condition?.text ?? "").includes("XATTR_REPLACE"));
      expect(affected).to.include.members([`${syscall}.replace-missing.rejected`, `${syscall}.both-flags-missing.rejected`]);
      expect(failed(r)).to.deep.equal(union(failed(original), affected));
      for (const id of affected) {
        const c = r.cases.find((x) => x.id === id)!;
        expect(c.reason, id).to.include("EEXIST").and.include("ENODATA").and.include(`:${lineOf(text, EEXIST_HEADER)}`);
      }
      expect(text.indexOf(ENODATA_HEADER)).to.be.greaterThan(-1);
    });
  });
}
