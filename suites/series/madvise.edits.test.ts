// SPDX-License-Identifier: GPL-2.0-only
// The madvise verdicts follow the corpus spec: edited copies of the PATCH v4
// madvise spec make exactly the cases the plan reads from the edited item
// fail (beyond the unedited spec's confirmed disagreements), naming the line.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResults } from "../../harness/run/results.js";
import { skipBecause } from "../support/skip.js";
import { casesExpectingFrom, casesReading, corpusFile, failed, lineOf, newFailures, runEdited, runOriginal, specUnderEdit, verdicts, type SpecUnderEdit } from "./edit-spec.js";

const MADVISE = /PATCH_v4_10_11_.*sys_madvise\.patch$/;

describe("madvise (PATCH v4): edited specs make exactly the affected cases fail", function () {
  let under: SpecUnderEdit;
  let dir: string;
  let base: RunResults;
  const reasonsOf = (r: RunResults, ids: string[]): string[] => r.cases.filter((c) => ids.includes(c.id)).map((c) => c.reason ?? "");

  before(async function () {
    const file = corpusFile(MADVISE);
    if (!file) skipBecause(this, "the PATCH v4 madvise spec is not in ../shared/kapi-corpus (the corpus lives outside the project)");
    under = specUnderEdit(file, "madvise");
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-madvise-edited-"));
    base = await runOriginal(under);
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("the unedited spec fails only on its confirmed disagreement (DOFORK on a VM_DONTEXPAND-only VMA)", function () {
    expect(failed(base)).to.deep.equal(["madvise.dofork-vm-dontexpand.rejected"]);
    expect(base.cases.length).to.be.greaterThan(80);
    expect(base.cases.filter((c) => c.verdict === "error" || c.verdict === "timeout")).to.deep.equal([]);
  });

  it("EACCES renamed to EPERM: exactly the MADV_REMOVE permission cases fail, expecting EPERM from that line", async function () {
    const header = "+ * error: EACCES, Permission denied";
    const r = await runEdited(under, dir, "eacces-eperm", (t) => t.replace(header, "+ * error: EPERM, Permission denied"));
    const expected = await casesExpectingFrom(under, (item) => item.section === "errors" && item.summary === "Permission denied");
    expect(expected).to.include.members(["madvise.remove-private-file.rejected", "madvise.remove-readonly-shared.rejected"]);
    // The MADV_REMOVE constraint's sentence still says EACCES: the cases reading it expect EACCES from there, and pass.
    const claimed = await casesExpectingFrom(under, (item) => item.section === "claims" && item.errno === "EACCES");
    expect(claimed).to.deep.equal(["madvise.remove-private-file.constraint-claim", "madvise.remove-readonly-shared.constraint-claim"]);
    expect(newFailures(r, base)).to.deep.equal(expected);
    for (const id of claimed) expect(r.cases.find((c) => c.id === id)?.verdict, id).to.equal("pass");
    for (const reason of reasonsOf(r, expected)) expect(reason).to.include("EPERM").and.include(`:${lineOf(under.original, header)}`);
  });

  it("success value changed to 1: exactly the cases expecting the success value fail, naming the return line", async function () {
    const r = await runEdited(under, dir, "success-1", (t) => t.replace("+ *   success: 0", "+ *   success: 1"));
    const expected = await casesExpectingFrom(under, (item) => item.section === "return");
    expect(expected).to.include.members(["madvise.dontneed.returns-success", "madvise.len-zero.accepted", "madvise.remove-shared-memfd.returns-success"]);
    expect(newFailures(r, base)).to.deep.equal(expected);
    for (const reason of reasonsOf(r, expected)) expect(reason).to.include(`:${lineOf(under.original, "+ * return:")}`);
  });

  it("'unaligned start' moved from the EINVAL block to ENOMEM: the cases bound to it fail with both errnos and the ENOMEM line", async function () {
    const r = await runEdited(under, dir, "unaligned-moved", (t) =>
      t
        .replace("behavior, unaligned start, range wrap,", "behavior, range wrap,")
        .replace("+ *     hugepage available) to -ENOMEM.", "+ *     hugepage available) to -ENOMEM. Also returned for an unaligned start."),
    );
    // From the plans: the cases that read EINVAL from the unedited spec and ENOMEM from the edited one.
    const edited = specUnderEdit(join(dir, "unaligned-moved.patch"), "madvise");
    const wasEinval = await casesExpectingFrom(under, (item) => item.section === "errors" && item.summary === "Invalid argument");
    const nowEnomem = await casesExpectingFrom(edited, (item) => item.section === "errors" && item.summary === "Cannot allocate memory");
    const expected = wasEinval.filter((id) => nowEnomem.includes(id));
    expect(expected).to.include.members(["madvise.start-unaligned.rejected", "madvise.start-unaligned-len-zero.rejected"]);
    expect(newFailures(r, base)).to.deep.equal(expected);
    for (const reason of reasonsOf(r, expected)) expect(reason).to.include("ENOMEM").and.include("EINVAL").and.include(`:${lineOf(under.original, "+ * error: ENOMEM")})`);
  });

  it("the MADV_REMOVE constraint's EINVAL renamed to EPERM: exactly its two EINVAL cases fail, naming that line", async function () {
    const text = "two cases return -EINVAL; a private";
    const r = await runEdited(under, dir, "remove-einval-eperm", (t) => t.replace(text, "two cases return -EPERM; a private"));
    const expected = await casesExpectingFrom(under, (item) => item.section === "claims" && item.errno === "EINVAL" && item.summary.includes("The first two cases"));
    expect(expected).to.deep.equal(["madvise.remove-anonymous.constraint-claim", "madvise.remove-locked.constraint-claim"]);
    expect(newFailures(r, base)).to.deep.equal(expected);
    for (const reason of reasonsOf(r, expected)) expect(reason).to.include("EPERM").and.include(`:${lineOf(under.original, text)}`);
  });

  it("EFAULT dropped from the stop-on-error sentence: the populate beyond EOF fails that check", async function () {
    const r = await runEdited(under, dir, "stop-on-error", (t) => t.replace("(-EHWPOISON, -EFAULT, -ENOMEM, ...)", "(-EHWPOISON, -ENOMEM, ...)"));
    expect(newFailures(r, base)).to.deep.equal(["madvise.populate-beyond-eof.stop-on-error"]);
  });

  it("the hole-punch side effect negated: exactly the case reading it fails", async function () {
    const r = await runEdited(under, dir, "no-dealloc", (t) => t.replace("the backing file, deallocating the corresponding", "the backing file, never deallocating the corresponding"));
    const expected = await casesReading(under, (item) => item.section === "sideEffects" && item.summary.startsWith("backing file"));
    expect(expected).to.deep.equal(["madvise.remove-shared-memfd.hole-punched"]);
    expect(newFailures(r, base)).to.deep.equal(expected);
  });

  it("the KSM side effect's reversibility denied: exactly the MADV_UNMERGEABLE case reading it fails", async function () {
    const r = await runEdited(under, dir, "ksm-irreversible", (t) => t.replace("The flag toggle itself is reversible\n+ *     by issuing the inverse advice.", "The flag toggle itself is not reversible\n+ *     by issuing the inverse advice."));
    const expected = await casesReading(under, (item) => item.section === "sideEffects" && item.summary.startsWith("KSM merge state"));
    expect(expected).to.include("madvise.unmergeable-undoes-mergeable.flag-reversed");
    const affected = r.cases.filter((c) => expected.includes(c.id) && c.verdict === "fail").map((c) => c.id);
    expect(newFailures(r, base)).to.deep.equal(affected);
    expect(affected).to.deep.equal(["madvise.unmergeable-undoes-mergeable.flag-reversed"]);
  });

  it("harmless edits (CRLF line endings, an error summary's words reordered): every verdict unchanged", async function () {
    const r = await runEdited(under, dir, "harmless", (t) => t.replace("+ * error: EACCES, Permission denied", "+ * error: EACCES, Denied permission").replace(/\n/g, "\r\n"));
    expect(verdicts(r)).to.deep.equal(verdicts(base));
  });
});
