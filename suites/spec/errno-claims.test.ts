// SPDX-License-Identifier: GPL-2.0-only
// Errno claims in prose: which errnos are found where, their sentence and
// exact line (also when the sentence is wrapped), the stance, the condition
// words, and the line maps behind them.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { claimCondition, errnoClaims, lineAt, sentences } from "../../harness/spec/errno-claims.js";
import { parseInput } from "../../harness/spec/parse-input.js";
import type { Spec } from "../../harness/spec/model.js";
import { DEMO_DEFINE, ROOT, cSource, demoBody } from "./helpers.js";

const ARCHIVE = path.join(ROOT, "specs", "io_cancel.archive.txt");

function parse(file: string, text: string): Spec {
  const out = parseInput(file, text);
  expect(out.specs).to.have.length(1);
  return out.specs[0]!;
}

/** The line of the archive holding `fragment` (exactly once). */
function archiveLine(fragment: string): number {
  const lines = readFileSync(ARCHIVE, "utf8").split("\n");
  const hits = lines.flatMap((l, i) => (l.includes(fragment) ? [i + 1] : []));
  expect(hits, fragment).to.have.length(1);
  return hits[0]!;
}

describe("spec: errno claims in prose", () => {
  const ioCancel = parse(ARCHIVE, readFileSync(ARCHIVE, "utf8"));
  const claims = errnoClaims(ioCancel);

  it("finds the param constraint's EFAULT with its sentence, subject and the line of that sentence", () => {
    const efault = claims.filter((c) => c.section === "param");
    expect(efault).to.have.length(1);
    expect(efault[0]).to.deep.include({
      errno: "EFAULT",
      written: "EFAULT",
      sentence: "A NULL pointer will result in EFAULT.",
      field: "constraint",
      index: 1,
      subject: "iocb",
      stance: "asserts",
      file: ARCHIVE,
      line: archiveLine("A NULL pointer will result in EFAULT"),
    });
    expect(claimCondition(efault[0]!)).to.equal("a null pointer");
  });

  it("finds constraint, return, long-desc and notes claims, never an error block's", () => {
    const where = claims.map((c) => `${c.section}:${c.errno}`);
    expect(where).to.include.members(["constraint:EINVAL", "constraint:ENOSYS", "return:EINPROGRESS", "long-desc:EINPROGRESS", "notes:EAGAIN", "notes:EINVAL"]);
    const timing = claims.find((c) => c.section === "constraint" && c.errno === "EINVAL")!;
    expect([timing.index, timing.subject, timing.line]).to.deep.equal([1, "Timing window for cancellation", archiveLine("io_cancel is invoked. In this case, EINVAL")]);
    expect(claimCondition(timing)).to.equal("the iocb is no longer in the active_reqs list");
    const nosys = claims.find((c) => c.errno === "ENOSYS")!;
    expect(claimCondition(nosys)).to.equal("not configured");
    // Error blocks are not prose claims: "returns EFAULT if this fails" sits in error: EFAULT.
    expect(claims.some((c) => c.sentence.includes("get_user()"))).to.equal(false);
  });

  it("gives a wrapped sentence the line it starts on, and the errno its own line", () => {
    const wrapped = claims.find((c) => c.section === "notes" && c.errno === "EINVAL" && c.sentence.startsWith("If an application"))!;
    expect(wrapped.line).to.equal(archiveLine("value during io_submit. If an application attempts"));
    expect(wrapped.errnoLine).to.equal(archiveLine("will fail with EINVAL."));
    expect(claimCondition(wrapped)).to.equal("an application attempts to cancel an iocb before submitting it, or after the memory has been reused");
  });

  it("tells the spec's claim from a reported one: the man page's EAGAIN is 'reports', the EINVAL beside it 'asserts'", () => {
    const manPage = claims.filter((c) => c.sentence.startsWith("The man page documents EAGAIN"));
    expect(manPage.map((c) => [c.errno, c.stance])).to.deep.equal([
      ["EAGAIN", "reports"],
      ["EINVAL", "asserts"],
    ]);
    expect(claimCondition(manPage[0]!)).to.equal("the iocb specified was not cancelled");
  });

  it("recognises the usual phrasings, only real errno names, aliases as canonical names, and denials", () => {
    const body = demoBody();
    const at = body.indexOf("  flags: KAPI_PARAM_OUT | KAPI_PARAM_USER");
    body.splice(
      at + 1,
      0,
      "  constraint: Must be writable; returns EINVAL if unaligned. A NULL buf",
      "    fails with -EFAULT. Too large a count will result in ENOMEM. EOF and",
      "    EPOLLIN are not errnos. Returns EWOULDBLOCK when the pipe is empty.",
      "    It does not return EINTR.",
    );
    const src = cSource(body, DEMO_DEFINE);
    const spec = parse("demo.c", src.text);
    const found = errnoClaims(spec);
    expect(found.map((c) => [c.errno, c.written, c.stance, claimCondition(c)])).to.deep.equal([
      ["EINVAL", "EINVAL", "asserts", "unaligned"],
      ["EFAULT", "EFAULT", "asserts", "a null buf"],
      ["ENOMEM", "ENOMEM", "asserts", "too large a count"],
      ["EAGAIN", "EWOULDBLOCK", "asserts", "the pipe is empty"],
      ["EINTR", "EINTR", "denies", undefined],
    ]);
    expect(found.map((c) => c.line)).to.deep.equal([at + 1, at + 1, at + 2, at + 3, at + 4].map((i) => src.line(i)));
    expect(found.map((c) => c.errnoLine)).to.deep.equal([at + 1, at + 2, at + 2, at + 3, at + 4].map((i) => src.line(i)));
  });

  it("gives each errno of a list the list's condition, and no condition to a pronoun", () => {
    const c = (sentence: string, written: string) => claimCondition({ sentence, written });
    expect(c("Exceeding filesystem limits returns ENOSPC or E2BIG.", "E2BIG")).to.equal("exceeding filesystem limits");
    expect(c("If the acquisition is killed by a fatal signal, the syscall returns -EINTR.", "EINTR")).to.equal("the acquisition is killed by a fatal signal");
    expect(c("Otherwise the call returns -EINVAL.", "EINVAL")).to.equal(undefined);
    expect(c("EINVAL: the flags are unknown.", "EINVAL")).to.equal(undefined);
    expect(c("Returns EPERM (for write) or ENODATA (for read).", "EPERM")).to.equal("write");
    expect(c("-EINPROGRESS indicates successful cancellation initiation, not an error.", "EINPROGRESS")).to.equal("successful cancellation initiation");
  });

  it("splits sentences at full stops and line breaks, not after e.g. or i.e.", () => {
    expect(sentences("One, e.g. this. Two (i.e. that)!\n- three\n\nFour.").map((s) => s.text)).to.deep.equal([
      "One, e.g. this.",
      "Two (i.e. that)!",
      "- three",
      "Four.",
    ]);
    expect(lineAt([[0, 10], [40, 11], [80, 12]], 40, 1)).to.equal(11);
    expect(lineAt([[0, 10], [40, 11]], 39, 1)).to.equal(10);
    expect(lineAt(undefined, 5, 7)).to.equal(7);
  });

  it("maps every joined line of a prose field back to its input line", () => {
    for (const p of ioCancel.params) {
      const map = p.textLines?.["constraint"];
      expect(map, p.name).to.not.equal(undefined);
      const lines = readFileSync(ARCHIVE, "utf8").split("\n");
      for (const [offset, line] of map!) {
        const written = lines[line - 1]!.replace(/^\+ \*\s*/, "").replace(/^constraint:\s*/, "");
        expect(p.constraint!.slice(offset).startsWith(written.trim()), `${p.name} line ${line}`).to.equal(true);
      }
    }
    const notes = ioCancel.notes!;
    expect(notes.textLines![0]).to.deep.equal([0, notes.source.line]);
    const para = notes.text.indexOf("The result parameter");
    expect(lineAt(notes.textLines, para, 0)).to.equal(archiveLine("The result parameter is completely ignored"));
  });
});
