// SPDX-License-Identifier: GPL-2.0-only
// Condition splitting that survives harmless edits, and the word matcher used
// to bind by words: edited copies of the bundled io_cancel spec (numbers
// dropped, a "- item" list, "a; b; or c", unnumbered prose, reflowed lines)
// must yield the same conditions, or conditions the same phrases bind to.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { splitConditions } from "../../harness/spec/conditions.js";
import { parseInput } from "../../harness/spec/parse-input.js";
import type { ErrorSpec } from "../../harness/spec/model.js";
import { contentWords, stem, wordsMatch } from "../../harness/spec/words.js";
import { ROOT } from "./helpers.js";

const ARCHIVE = path.join(ROOT, "specs", "io_cancel.archive.txt");
const ORIGINAL = readFileSync(ARCHIVE, "utf8");

/** The lines of the original from `first` (a fragment of the first line) for `count` lines. */
function span(first: string, count: number): string[] {
  const lines = ORIGINAL.split("\n");
  const at = lines.findIndex((l) => l.includes(first));
  expect(at, first).to.be.greaterThan(-1);
  return lines.slice(at, at + count);
}

/** The archive with `old` lines replaced by `body` (written as "+ * " lines), the hunk's new-line count adjusted. */
function edited(old: string[], body: string[]): string {
  const replacement = body.map((b) => (b === "" ? "+ *" : `+ * ${b}`));
  const text = ORIGINAL.replace(old.join("\n"), replacement.join("\n"));
  expect(text, "edit applied").to.not.equal(ORIGINAL);
  return text.replace(/^@@ -(\d+),(\d+) \+(\d+),(\d+) @@/m, (_m, a: string, b: string, c: string, d: string) => `@@ -${a},${b} +${c},${Number(d) + replacement.length - old.length} @@`);
}

function invalidContext(text: string): ErrorSpec {
  const out = parseInput(ARCHIVE, text);
  expect(out.unattributed, "every line stored").to.deep.equal([]);
  return out.specs[0]!.errors.find((e) => wordsMatch(e.summary, "invalid AIO context"))!;
}

const ORIGINAL_DESC = span("error: EINVAL, Invalid AIO context", 6).slice(1);
/** The six conditions as the checked-in spec has them (io_cancel.test.ts pins that file). */
const SIX = (JSON.parse(readFileSync(path.join(ROOT, "specs", "io_cancel.spec.json"), "utf8")) as { errors: ErrorSpec[] }).errors.find((e) =>
  wordsMatch(e.summary, "invalid AIO context"),
)!.conditions;
/** The phrases io_cancel's scenarios bind to, one per condition. */
const BINDINGS = ["never created", "destroyed", "is 0", "header cannot be read", "different process", "internal ID doesn't match"];

function expectEachBindsOnce(conditions: string[]): void {
  for (const phrase of BINDINGS) {
    expect(conditions.filter((c) => wordsMatch(c, phrase)), `'${phrase}' in ${JSON.stringify(conditions)}`).to.have.length(1);
  }
}

describe("spec: conditions that survive harmless edits", () => {
  it("the bundled spec's numbered conditions, as before", () => {
    expect(SIX).to.have.length(6);
    expect(invalidContext(ORIGINAL).conditions).to.deep.equal(SIX);
    expectEachBindsOnce(SIX);
  });

  it("numbers dropped: the same six conditions", () => {
    const text = edited(ORIGINAL_DESC, [
      "  desc: Returned if ctx_id does not refer to a valid AIO context. This can",
      "    occur if: the context was never created, the context was",
      "    destroyed via io_destroy(), the ctx_id is 0, the ring buffer",
      "    header cannot be read from userspace, the context belongs to a",
      "    different process, or the context's internal ID doesn't match.",
    ]);
    expect(invalidContext(text).conditions).to.deep.equal(SIX);
  });

  it("a '- item' list after 'occur if:': the same six conditions", () => {
    const text = edited(ORIGINAL_DESC, [
      "  desc: Returned if ctx_id does not refer to a valid AIO context. This can",
      "    occur if:",
      "    - the context was never created",
      "    - the context was destroyed via io_destroy()",
      "    - the ctx_id is 0",
      "    - the ring buffer header cannot be read from userspace",
      "    - the context belongs to a different process",
      "    - the context's internal ID doesn't match",
    ]);
    expect(invalidContext(text).conditions).to.deep.equal(SIX);
  });

  it("'a; b; or c' after 'when:', reflowed to another width: the same six conditions", () => {
    const text = edited(ORIGINAL_DESC, [
      "  desc: Returned if ctx_id does not refer to a valid AIO context, which happens when: the",
      "    context was never created; the context was destroyed via io_destroy(); the ctx_id is",
      "    0; the ring buffer header cannot be read from userspace; the context belongs to a different",
      "    process; or the context's internal ID doesn't match.",
    ]);
    expect(invalidContext(text).conditions).to.deep.equal(SIX);
  });

  it("unnumbered prose with another subject: every scenario phrase still binds to exactly one condition", () => {
    const text = edited(ORIGINAL_DESC, [
      "  desc: The ctx_id is invalid if it was never created, was destroyed via",
      "    io_destroy(), is 0, has a ring buffer header that cannot be read from",
      "    userspace, belongs to a different process, or its internal ID doesn't",
      "    match. Other words follow here.",
    ]);
    const conditions = invalidContext(text).conditions;
    expect(conditions).to.have.length(6);
    expectEachBindsOnce(conditions);
  });

  it("the other numbered block and the checked-in conditions are untouched by the new forms", () => {
    const notFound = parseInput(ARCHIVE, ORIGINAL).specs[0]!.errors.find((e) => wordsMatch(e.summary, "iocb not found"))!;
    expect(notFound.conditions).to.have.length(4);
    // No list in these: a leading "If X, ..." clause and single conditions stay unsplit.
    const spec = parseInput(ARCHIVE, ORIGINAL).specs[0]!;
    expect(spec.errors.filter((e) => e.conditions.length > 0).map((e) => e.summary)).to.deep.equal(["Invalid AIO context", "iocb not found or not cancellable"]);
  });

  it("splits the list forms on their own, and leaves sentences that are not lists alone", () => {
    expect(splitConditions("Fails when: a is bad; b is bad; or c is bad. Commentary.")).to.deep.equal(["a is bad", "b is bad", "c is bad"]);
    expect(splitConditions("Fails if one of: - a is bad - b is bad")).to.deep.equal(["a is bad", "b is bad"]);
    expect(splitConditions("Occurs when fd is out of range, has no file assigned, or was already closed.")).to.deep.equal([
      "fd is out of range",
      "has no file assigned",
      "was already closed",
    ]);
    expect(splitConditions("Returned if a is bad, b is bad or c is bad.")).to.deep.equal(["a is bad", "b is bad", "c is bad"]);
    expect(splitConditions("Returned if it is closed, ...")).to.deep.equal([]);
    expect(splitConditions("If aio_key differs, it indicates the iocb was never submitted, is corrupted, or was reused.")).to.deep.equal([]);
    expect(splitConditions("Note: the file, the pipe, or the socket.")).to.deep.equal([]);
    expect(splitConditions("Returned if the pointer is invalid.")).to.deep.equal([]);
  });

  it("stays linear on a 200 KB line of sentences", () => {
    const long = "Returned if a, b, or c. ".repeat(9000);
    const t0 = process.hrtime.bigint();
    splitConditions(`${"x ".repeat(100000)}`);
    splitConditions(long);
    expect(Number(process.hrtime.bigint() - t0) / 1e6, "ms").to.be.lessThan(500);
  });
});

describe("spec: matching by words", () => {
  it("matches reordered words, case-insensitively", () => {
    expect(wordsMatch("AIO context is invalid", "invalid AIO context")).to.equal(true);
    expect(wordsMatch("Invalid AIO context", "AIO context is invalid")).to.equal(true);
    expect(wordsMatch("iocb not found or not cancellable", "iocb not cancellable")).to.equal(true);
    expect(wordsMatch("Invalid AIO context", "invalid iocb")).to.equal(false);
  });

  it("stems cancel/cancelled/cancellation, destroy/destroyed, read/readable, submit/submitted", () => {
    expect(["cancel", "cancelled", "cancellation", "cancels", "cancellable"].map(stem)).to.deep.equal(Array(5).fill("cancel"));
    expect(stem("destroyed")).to.equal(stem("destroy"));
    expect(stem("readable")).to.equal(stem("read"));
    expect(stem("submitted")).to.equal(stem("submit"));
    expect(stem("process")).to.equal("process");
    expect(wordsMatch("the operation was cancelled", "cancellation of the operation")).to.equal(true);
    expect(wordsMatch("the context was destroyed via io_destroy()", "destroy context")).to.equal(true);
    expect(wordsMatch("the fd is not readable", "read fd")).to.equal(true);
    expect(wordsMatch("operation was never submitted to this context", "never submit")).to.equal(true);
  });

  it("folds doesn't/does not, can't/cannot, 0/zero and NULL/null pointer", () => {
    expect(wordsMatch("the context's internal ID doesn't match", "internal id does not match")).to.equal(true);
    expect(wordsMatch("the header can't be read", "header cannot be read")).to.equal(true);
    expect(wordsMatch("the ctx_id is 0", "ctx_id is zero")).to.equal(true);
    expect(wordsMatch("a NULL iocb", "iocb is a null pointer")).to.equal(true);
    expect(wordsMatch("a non-zero value", "nonzero value")).to.equal(true);
  });

  it("keeps negations as content words and matches nothing with an empty phrase", () => {
    expect(wordsMatch("the fd is readable", "fd not readable")).to.equal(false);
    expect(wordsMatch("anything", "the of a")).to.equal(false);
    expect(contentWords("The iocb doesn't exist")).to.deep.equal(["iocb", "not", "exist"]);
  });
});
