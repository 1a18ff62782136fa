// SPDX-License-Identifier: GPL-2.0-only
// The roff layer on its own: escapes, comments, macro arguments, and the event
// stream the man-page reader builds on. Fixtures are written for these tests.
import { expect } from "chai";
import { decodeEscapes, roffEvents, splitArgs, stripComment } from "../../harness/drift/groff.js";
import type { RoffEvent } from "../../harness/drift/groff.js";

const texts = (events: RoffEvent[]): string[] =>
  events.flatMap((e) => (e.kind === "text" || e.kind === "tag" || e.kind === "heading" ? [e.text] : []));

describe("drift/groff: escapes", () => {
  it("drops font changes in every spelling", () => {
    expect(decodeEscapes(String.raw`\fBbold\fP \fIital\fR \f[B]br\f[] \f(BIbi\fP \f[CR]code\f[R]`).text).to.equal(
      "bold ital br bi code",
    );
  });

  it("renders the character escapes man pages use", () => {
    expect(decodeEscapes(String.raw`\-1 \e \(em\[em] a\~b c\ d \&.x \%nohyphen a\(aqb \[u00E9] \*(lqq\*(rq \(bu`).text).to.equal(
      "-1 \\ \u2014\u2014 a b c d .x nohyphen a'b \u00e9 \u201cq\u201d \u2022",
    );
  });

  it("drops size, motion and spacing escapes", () => {
    expect(decodeEscapes(String.raw`\s-1SMALL\s0 \s+2big\s[0] \h'2n'x\v'-1'y \|\^z \w'abc'`).text).to.equal(
      "SMALL big xy z ",
    );
  });

  it("ends the line at \\c and reports the continuation", () => {
    expect(decodeEscapes(String.raw`open\c ignored`)).to.deep.equal({ text: "open", continued: true });
    expect(decodeEscapes("plain")).to.deep.equal({ text: "plain", continued: false });
  });

  it("treats \\\" as a comment but \\\\\" as a backslash and a quote", () => {
    expect(stripComment(String.raw`text \" a comment`)).to.equal("text ");
    expect(stripComment(String.raw`a\\"b`)).to.equal(String.raw`a\\"b`);
    expect(decodeEscapes(String.raw`a\\"b`).text).to.equal('a\\"b');
  });
});

describe("drift/groff: macro arguments", () => {
  it("splits on blanks and keeps quoted arguments whole", () => {
    expect(splitArgs(String.raw` "RETURN VALUE"`)).to.deep.equal(["RETURN VALUE"]);
    expect(splitArgs(String.raw`EAGAIN " or " EWOULDBLOCK`)).to.deep.equal(["EAGAIN", " or ", "EWOULDBLOCK"]);
    expect(splitArgs(String.raw`"say ""hi""" x`)).to.deep.equal(['say "hi"', "x"]);
    expect(splitArgs(String.raw`a\ b c`)).to.deep.equal([String.raw`a\ b`, "c"]);
    expect(splitArgs("")).to.deep.equal([]);
  });
});

describe("drift/groff: events", () => {
  it("joins alternating-font arguments without blanks and same-font ones with blanks", () => {
    const events = roffEvents(
      [".BR io_cancel ()", ".IR ctx_id ,", '.BI "int frob(int " fd );', ".RB [ \\-n ]", ".B two words", ".I"].join("\n"),
    );
    expect(texts(events)).to.deep.equal(["io_cancel()", "ctx_id,", "int frob(int fd);", "[-n]", "two words"]);
  });

  it("joins a \\c line with the next text line, macro or plain", () => {
    const events = roffEvents([".B EROFS\\c", '.RB ", " EPERM', "plain\\c", "text"].join("\n"));
    expect(events).to.deep.equal([
      { kind: "text", text: "EROFS, EPERM", line: 1 },
      { kind: "text", text: "plaintext", line: 3 },
    ]);
  });

  it("joins lines ending in an escaped newline and keeps the first line number", () => {
    expect(roffEvents("one \\\ntwo")).to.deep.equal([{ kind: "text", text: "one two", line: 1 }]);
  });

  it("drops comment lines, macro definitions and unknown requests", () => {
    const src = [
      '.\\" a comment line',
      "'\\\" t",
      ".de XX",
      "never shown",
      "..",
      ".ig",
      "ignored block",
      "..",
      ".frobnicate 3",
      ".in +4n",
      ".PD 0",
      "shown \\\" trailing comment",
    ].join("\n");
    expect(roffEvents(src)).to.deep.equal([{ kind: "text", text: "shown ", line: 12 }]);
  });

  it("takes the line after .TP (and .TQ) as a tag, and headings from .SH/.SS with or without arguments", () => {
    const src = ['.SH "RETURN VALUE"', ".SH", "ERRORS", ".SS Sub section", ".TP", ".B EAGAIN", ".TQ", "\\fBEWOULDBLOCK\\fP", "body"].join("\n");
    expect(roffEvents(src)).to.deep.equal([
      { kind: "heading", level: 1, text: "RETURN VALUE", line: 1 },
      { kind: "heading", level: 1, text: "ERRORS", line: 3 },
      { kind: "heading", level: 2, text: "Sub section", line: 4 },
      { kind: "tag", text: "EAGAIN", more: false, line: 6 },
      { kind: "tag", text: "EWOULDBLOCK", more: true, line: 8 },
      { kind: "text", text: "body", line: 9 },
    ]);
  });

  it("reports paragraphs, indents, breaks and no-fill blocks", () => {
    const src = [".PP", ".P", ".LP", ".IP \\(bu 2", ".RS 4", ".RE", ".br", ".sp", ".nf", ".fi", ".EX", ".EE"].join("\n");
    expect(roffEvents(src).map((e) => e.kind)).to.deep.equal([
      "paragraph", "paragraph", "paragraph", "indented", "indent", "indent", "break", "break", "fill", "fill", "fill", "fill",
    ]);
    const ip = roffEvents(".IP \\(bu 2")[0];
    expect(ip).to.deep.equal({ kind: "indented", tag: "\u2022", line: 1 });
  });

  it("reads .TH arguments and groff 1.23's .MR", () => {
    expect(roffEvents('.TH io_cancel 2 2022-10-30 "Linux man-pages 6.03"\n.MR read 2 ,')).to.deep.equal([
      { kind: "title", args: ["io_cancel", "2", "2022-10-30", "Linux man-pages 6.03"], line: 1 },
      { kind: "text", text: "read(2),", line: 2 },
    ]);
  });

  it("keeps table rows as text and skips the table format", () => {
    const src = [".TS", "allbox;", "l l.", "EAGAIN\tbusy", "_", "T{", "long cell", "T}", ".TE"].join("\n");
    expect(texts(roffEvents(src))).to.deep.equal(["EAGAIN  busy", "long cell"]);
  });
});
