// SPDX-License-Identifier: GPL-2.0-only
// Proof that the verdicts come from the spec: run the suite against edited
// copies of the io_cancel spec and check that exactly the cases the edit
// touches fail, each naming the spec line.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultSpecPath, loadSpecs } from "../../harness/spec/load.js";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import { runConformance } from "../../harness/run/conformance.js";
import type { RunResults } from "../../harness/run/results.js";
import { casesExpectingFrom, failed, lineOf, original, runEdited as runEditedIn } from "./edited.js";

let dir: string;
const runEdited = (name: string, edit: (text: string) => string): Promise<RunResults> => runEditedIn(dir, name, edit);

describe("verdicts follow the spec: edited specs make exactly the affected cases fail", function () {
  let baseline: RunResults;
  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-edited-"));
    const { specs } = await loadSpecs([defaultSpecPath()]);
    baseline = await runConformance(specs.find((s) => s.name === "io_cancel")!, suiteRefFor("io_cancel")!);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("the unedited spec has no failing case", function () {
    expect(failed(baseline)).to.deep.equal([]);
  });

  it("success value changed to 0: exactly the cases expecting the success value fail, naming the return line", async function () {
    const r = await runEdited("success-0", (t) => t.replace("+ *   success: -EINPROGRESS", "+ *   success: 0"));
    const fromReturn = await casesExpectingFrom((item) => item.section === "return");
    expect(fromReturn).to.include.members([
      "io_cancel.poll-cancel.returns-success",
      "io_cancel.result-null-accepted.accepted",
      "io_cancel.result-unreadable-accepted.accepted",
      "io_cancel.cancel-race.one-outcome-each",
    ]);
    expect(failed(r)).to.deep.equal(fromReturn);
    // The notes' own sentences still say -EINPROGRESS: the cases that read them expect it from there, and pass.
    const fromNotes = (await casesExpectingFrom((item) => item.section === "claims" && item.errno === "EINPROGRESS")).filter((id) => !fromReturn.includes(id));
    expect(fromNotes).to.include.members(["io_cancel.poll-cancel.notes-unusual-return", "io_cancel.poll-cancel.notes-poll-async-return"]);
    for (const id of fromNotes) expect(r.cases.find((c) => c.id === id)?.verdict, id).to.equal("pass");
    for (const c of r.cases.filter((x) => x.verdict === "fail")) {
      expect(c.reason).to.include(`:${lineOf(original, "+ * return:")}`).and.include("EINPROGRESS");
      if (c.expected.outcome === "success") expect(c.expected.success).to.equal("0");
    }
  });

  it('"not found" renamed to EAGAIN: exactly the not-found cases fail, expecting EAGAIN from that line', async function () {
    const header = "+ * error: EINVAL, iocb not found or not cancellable";
    const r = await runEdited("not-found-eagain", (t) => t.replace(header, "+ * error: EAGAIN, iocb not found or not cancellable"));
    const expectedFailures = await casesExpectingFrom((item) => /not found/.test(item.summary));
    // Anchors independent of the binding code: the not-found cases named in the issue.
    expect(expectedFailures).to.include.members([
      "io_cancel.never-submitted.rejected",
      "io_cancel.poll-completed-reaped.rejected",
      "io_cancel.pread-no-cancel-callback.rejected",
      "io_cancel.poll-completed.rejected",
      "io_cancel.poll-second-cancel.rejected",
      "io_cancel.iocb-copied-elsewhere.rejected",
    ]);
    expect(failed(r)).to.deep.equal(expectedFailures);
    expect(expectedFailures.length).to.be.greaterThan(5);
    for (const c of r.cases.filter((x) => x.verdict === "fail")) {
      expect(c.reason).to.include("EAGAIN").and.include(`:${lineOf(original, header)}`);
    }
  });

  it("a constraint block removed: the check about it skips with the reason instead of passing", async function () {
    const start = original.indexOf("+ * constraint: Operation must support cancellation");
    const end = original.indexOf("+ * constraint: Timing window for cancellation");
    const r = await runEdited("no-constraint", (t) => t.slice(0, start) + t.slice(end));
    const c = r.cases.find((x) => x.id === "io_cancel.pread-no-cancel-callback.not-cancellable")!;
    expect(c.verdict).to.equal("skip");
    expect(c.reason).to.match(/^nothing to check/);
    expect(c.detail).to.match(/^no spec item matches constraints/);
    expect(failed(r)).to.deep.equal([]);
  });

  it("EFAULT block removed: exactly the cases whose kernel answer is EFAULT, and that no sentence still documents, fail", async function () {
    const start = original.indexOf("+ * error: EFAULT");
    const end = original.indexOf("+ * error: EINVAL, iocb not submitted");
    const r = await runEdited("no-efault", (t) => t.slice(0, start) + t.slice(end));
    const efault = baseline.cases.filter((c) => c.observed.errno === "EFAULT").map((c) => c.id).sort();
    expect(efault).to.include.members(["io_cancel.iocb-null.rejected", "io_cancel.iocb-unreadable.rejected"]);
    // The iocb param's own sentence "A NULL pointer will result in EFAULT." still documents the NULL case: it expects EFAULT from there, and passes.
    const nullCase = r.cases.find((c) => c.id === "io_cancel.iocb-null.rejected")!;
    expect(nullCase.verdict).to.equal("pass");
    expect(nullCase.expected).to.deep.include({ errno: "EFAULT" });
    expect(nullCase.expected.from).to.include({ section: "claims", line: lineOf(original, "A NULL pointer will result in EFAULT.") });
    expect(failed(r)).to.deep.equal(efault.filter((id) => id !== nullCase.id));
    for (const c of r.cases.filter((x) => x.verdict === "fail")) {
      expect(c.reason).to.match(/undocumented errno|documents no outcome|expected one of/);
      // An undocumented errno names the spec it is missing from; an outcome no item documents has no line to name.
      if (/undocumented errno/.test(c.reason ?? "")) expect(c.reason).to.match(/\.txt:\d+/);
    }
  });

  it("a condition moved to another error block: its case fails with both errnos and the line of the block that now holds it", async function () {
    const r = await runEdited("moved-condition", (t) =>
      t
        .replace("(2) the\n+ *     operation was never submitted to this context, (3) the iocb pointer", "(2) the iocb pointer")
        .replace("+ *     A NULL iocb pointer will trigger this error.", "+ *     A NULL iocb pointer will trigger this error. It is also returned\n+ *     when the operation was never submitted to this context."),
    );
    const c = r.cases.find((x) => x.id === "io_cancel.never-submitted.rejected")!;
    expect(r.cases.filter((x) => x.verdict === "fail").map((x) => x.id)).to.include("io_cancel.never-submitted.rejected");
    expect(c.verdict).to.equal("fail");
    expect(c.reason).to.include("EFAULT").and.include("EINVAL").and.include(`:${lineOf(original, "+ * error: EFAULT")})`);
  });
});
