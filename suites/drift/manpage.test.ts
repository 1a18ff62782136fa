// SPDX-License-Identifier: GPL-2.0-only
// The man-page reader: claims from the installed io_cancel(2) and other section 2
// pages when present (skipped with a reason otherwise), and from fixtures written
// for these tests that exercise each macro, .so redirections, gzip and lookups.
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { ManPageNotFoundError, parseManPage, readManPage } from "../../harness/drift/manpage.js";
import type { ManClaims } from "../../harness/drift/manpage.js";
import { skipBecause } from "../support/skip.js";

// Compiled to build/suites/drift/; the fixtures stay in the source tree.
const FIXTURES = fileURLToPath(new URL("../../../suites/drift/fixtures/", import.meta.url));
const MAN2 = "/usr/share/man/man2";
const IO_CANCEL = path.join(MAN2, "io_cancel.2.gz");

/** 1-based number of the first source line matching `re`. */
function lineOf(source: string, re: RegExp): number {
  const index = source.split("\n").findIndex((l) => re.test(l));
  expect(index, `no line matches ${re}`).to.be.greaterThan(-1);
  return index + 1;
}

/** A page with just a RETURN VALUE sentence, for the success-value rules. */
function returnPage(sentence: string): ManClaims {
  return parseManPage(`.TH FROB 2\n.SH NAME\nfrob \\- x\n.SH RETURN VALUE\n${sentence}\n`, "inline", "frob");
}

describe("drift/manpage: installed io_cancel(2)", () => {
  let source = "";
  before(function () {
    if (!existsSync(IO_CANCEL)) skipBecause(this, `${IO_CANCEL} not installed (Debian package manpages-dev)`);
    source = gunzipSync(readFileSync(IO_CANCEL)).toString("utf8");
  });

  it("claims success returns 0", async () => {
    const claims = await readManPage("io_cancel", IO_CANCEL);
    expect(claims.page).to.equal(IO_CANCEL);
    expect(claims.name).to.equal("io_cancel");
    expect(claims.success?.value).to.equal("0");
    expect(claims.success?.text).to.match(/^On success, io_cancel\(\) returns 0\.$/);
    expect(claims.success?.line).to.equal(lineOf(source, /^On success/));
    expect(claims.returnText).to.contain("returns 0");
    expect(claims.header?.section).to.equal("2");
    expect(claims.header?.source).to.match(/^Linux man-pages /);
  });

  it("lists exactly EAGAIN, EFAULT, EINVAL and ENOSYS, with their texts and lines", async () => {
    const claims = await readManPage("io_cancel", IO_CANCEL);
    expect(claims.errors.map((e) => e.errno)).to.deep.equal(["EAGAIN", "EFAULT", "EINVAL", "ENOSYS"]);
    const byErrno = new Map(claims.errors.map((e) => [e.errno, e]));
    expect(byErrno.get("EAGAIN")?.text).to.match(/iocb specified was not canceled/);
    expect(byErrno.get("EFAULT")?.text).to.match(/invalid data/);
    expect(byErrno.get("EINVAL")?.text).to.match(/AIO context specified by ctx_id is invalid/);
    expect(byErrno.get("ENOSYS")?.text).to.match(/^io_cancel\(\) is not implemented/);
    for (const e of claims.errors) expect(e.line, e.errno).to.equal(lineOf(source, new RegExp(`^\\.B ${e.errno}$`)));
  });

  it("is found by name (man -w, or the man2 directory)", async function () {
    const claims = await readManPage("io_cancel");
    expect(claims.page).to.match(/\/man2\/io_cancel\.2(\.gz)?$/);
    expect(claims.errors).to.have.length(4);
    const direct = await readManPage("io_cancel", undefined, { useMan: false });
    expect(direct.page).to.equal(IO_CANCEL);
  });
});

describe("drift/manpage: other installed section 2 pages", () => {
  // name -> success value the page states (man-pages 5.x and 6.x agree on these).
  const pages: Record<string, string> = {
    read: ">= 0",
    write: ">= 0",
    open: ">= 0",
    io_submit: ">= 0",
    io_setup: "0",
    io_getevents: ">= 0",
    io_destroy: "0",
  };
  for (const [name, value] of Object.entries(pages)) {
    it(`${name}(2) yields errors and success ${value}`, async function () {
      const file = path.join(MAN2, `${name}.2.gz`);
      if (!existsSync(file)) skipBecause(this, `${file} not installed (Debian package manpages-dev)`);
      const claims = await readManPage(name, file);
      expect(claims.errors.length).to.be.greaterThan(0);
      for (const e of claims.errors) {
        expect(e.errno).to.match(/^E[A-Z0-9]{2,}$/);
        expect(e.text, e.errno).to.not.equal("");
      }
      expect(claims.success?.value).to.equal(value);
    });
  }

  it("every installed page parses, and each ERRORS list written with .TP yields errors", async function () {
    if (!existsSync(MAN2)) skipBecause(this, `${MAN2} absent (Debian package manpages-dev)`);
    const files = readdirSync(MAN2).filter((f) => /\.2\.gz$/.test(f));
    if (files.length === 0) skipBecause(this, `no section 2 pages in ${MAN2}`);
    let withErrors = 0;
    for (const f of files) {
      const file = path.join(MAN2, f);
      const claims = await readManPage(f.replace(/\.2\.gz$/, ""), file);
      const source = gunzipSync(await readFile(file)).toString("utf8");
      const errorsSection = /^\.SH ERRORS\n([\s\S]*?)(?=^\.SH |$(?![\s\S]))/m.exec(source)?.[1] ?? "";
      if (/^\.TP\n\.BR? E[A-Z0-9]{2,}\b/m.test(errorsSection)) expect(claims.errors.length, f).to.be.greaterThan(0);
      if (claims.errors.length > 0) withErrors++;
    }
    process.stderr.write(`  ${files.length} pages parsed, ${withErrors} with errno claims\n`);
  });
});

describe("drift/manpage: fixture pages", () => {
  const frob = (): Promise<ManClaims> => readManPage("frob", path.join(FIXTURES, "frob.2"));

  it("reads the man-pages 6.x style: .BR name (), quoted .SH, success value", async () => {
    const claims = await frob();
    const source = readFileSync(path.join(FIXTURES, "frob.2"), "utf8");
    expect(claims.success).to.deep.equal({ value: "0", text: "On success, frob() returns 0.", line: lineOf(source, /^On success/) });
    expect(claims.returnText).to.equal(
      "On success, frob() returns 0. On error, -1 is returned, and errno is set to indicate the error.",
    );
    expect(claims.header).to.deep.equal({ title: "frob", section: "2", date: "2024-01-01", source: "kapi-conform fixtures" });
  });

  it("gives one entry per errno of a tag, across .TQ, \\c and .SS, and none from prose", async () => {
    const claims = await frob();
    expect(claims.errors.map((e) => e.errno)).to.deep.equal([
      "EAGAIN", "EWOULDBLOCK", "EFAULT", "EINVAL", "ENOSYS", "ENOTSUP", "EROFS", "EPERM", "ENOMEM",
    ]);
    const source = readFileSync(path.join(FIXTURES, "frob.2"), "utf8");
    const [eagain, ewouldblock] = claims.errors;
    expect(eagain?.line).to.equal(lineOf(source, /^\.BR EAGAIN/));
    expect(ewouldblock?.line).to.equal(eagain?.line);
    expect(eagain?.text).to.equal("The context is busy\u2014try again later.");
    expect(claims.errors.find((e) => e.errno === "ENOTSUP")?.line).to.equal(lineOf(source, /^\.B ENOTSUP/));
  });

  it("keeps an entry's .RS sub-list and .IP paragraphs in its text", async () => {
    const einval = (await frob()).errors.find((e) => e.errno === "EINVAL");
    expect(einval?.text).to.equal(
      [
        "ctx_id is not valid; either:",
        "\u2022 it was never set up, or",
        "\u2022 it was already destroyed.",
        "A second paragraph of the same entry.",
      ].join("\n"),
    );
  });

  it("joins \\c continuations in bodies and tags", async () => {
    const claims = await frob();
    expect(claims.errors.find((e) => e.errno === "ENOSYS")?.text).to.equal("frob() is not implemented on this architecture.");
    expect(claims.errors.find((e) => e.errno === "EPERM")?.text).to.equal("The context is read-only.");
  });

  it("reads the older style: inline fonts, unquoted headings, .TP width, .br, .LP", async () => {
    const claims = await readManPage("oldfrob", path.join(FIXTURES, "oldfrob.2"));
    expect(claims.success?.value).to.equal("0");
    expect(claims.success?.text).to.equal("Upon successful completion, oldfrob() returns zero.");
    expect(claims.errors).to.deep.equal([
      { errno: "EBADF", text: "fd isn't a valid open file descriptor.", line: 14 },
      { errno: "EPERM", text: "Not permitted \u2014 at all.", line: 17 },
      { errno: "EINTR", text: "Interrupted by a signal.", line: 20 },
    ]);
    expect(claims.header?.manual).to.equal("Linux Programmer's Manual");
  });

  it("gives no errors and no success for a page without those sections", () => {
    const claims = parseManPage(".TH X 2\n.SH NAME\nx \\- y\n.SH DESCRIPTION\nReturns 0 (not a claim here).\n", "inline", "x");
    expect(claims.errors).to.deep.equal([]);
    expect(claims.success).to.equal(undefined);
    expect(claims.returnText).to.equal("");
  });

  it("gives errors [] for a page with RETURN VALUE but no ERRORS", () => {
    const claims = returnPage("On success, zero is returned.");
    expect(claims.errors).to.deep.equal([]);
    expect(claims.success?.value).to.equal("0");
  });

  it("reads .SH with the heading on the next line, and .IP errno tags", () => {
    const src = [".TH X 2", ".SH", "ERRORS", ".IP EACCES 10", "Denied.", ".IP \\fBEIO\\fP", "Broken", "badly."].join("\n");
    const claims = parseManPage(src, "inline", "x");
    expect(claims.errors).to.deep.equal([
      { errno: "EACCES", text: "Denied.", line: 4 },
      { errno: "EIO", text: "Broken badly.", line: 6 },
    ]);
  });

  it("keeps bullets under a .TP entry in that entry", () => {
    const src = [".SH ERRORS", ".TP", ".B EINVAL", "One of:", ".IP \\(bu 2", "a;", ".IP \\(bu", "b.", ".TP", ".B EIO", "I/O."].join("\n");
    expect(parseManPage(src, "inline", "x").errors).to.deep.equal([
      { errno: "EINVAL", text: "One of:\n\u2022 a;\n\u2022 b.", line: 3 },
      { errno: "EIO", text: "I/O.", line: 10 },
    ]);
  });

  it("reads an errno whose .TP was forgotten (as in mincore(2))", () => {
    const src = [".SH ERRORS", ".B EAGAIN", "kernel is out of resources.", ".TP", ".B EFAULT", "bad address."].join("\n");
    expect(parseManPage(src, "inline", "x").errors.map((e) => [e.errno, e.text])).to.deep.equal([
      ["EAGAIN", "kernel is out of resources."],
      ["EFAULT", "bad address."],
    ]);
  });

  it("ignores text in macro definitions, tables' format lines and comments", () => {
    const src = [
      ".de XE", ".TP", ".B EXDEF", "..", ".SH ERRORS", '.\\" .TP', '.\\" .B ECOMMENT', ".TS", "l l.", ".TE", ".TP", ".B EIO", "x",
    ].join("\n");
    expect(parseManPage(src, "inline", "x").errors.map((e) => e.errno)).to.deep.equal(["EIO"]);
  });
});

describe("drift/manpage: success values", () => {
  const cases: [string, string | undefined][] = [
    ["On success, frob() returns 0.", "0"],
    ["On success, zero is returned.", "0"],
    ["On success, 1 is returned.", "1"],
    ["On success, the return value of frob() is 0.", "0"],
    ["On success, the number of bytes read is returned (zero indicates end of file).", ">= 0"],
    ["On success, frob() returns a nonnegative file descriptor.", ">= 0"],
    ["On success, frob() returns the new file descriptor.", ">= 0"],
    ["On success, frob() returns a positive key.", "> 0"],
    ["frob() returns the number of events, or \\-1 if an error occurred.", ">= 0"],
    ["On success, the PID of the child is returned in the parent, and 0 is returned in the child.", undefined],
    ["On success, frob() does not return, on error \\-1 is returned.", undefined],
    ["On success, frob() returns the address; on error, (void *) \\-1 is returned.", undefined],
    ["On success, the PEEK requests return the data, and the others return the number of bytes.", undefined],
  ];
  for (const [sentence, value] of cases) {
    it(`${JSON.stringify(sentence)} -> ${value ?? "no value"}`, () => {
      const claims = returnPage(sentence);
      expect(claims.success, "a success claim").to.not.equal(undefined);
      expect(claims.success?.value).to.equal(value);
      expect(claims.success?.text).to.equal(sentence.replace(/\\-/g, "-"));
      expect(claims.success?.line).to.equal(5);
    });
  }

  it("prefers the sentence that says what is returned and names the call", () => {
    const claims = returnPage(
      "Note that a successful frob() may do less.\nOn success, the number of bytes is returned.\nOn success, frob() returns 7.",
    );
    expect(claims.success).to.deep.equal({ value: "7", text: "On success, frob() returns 7.", line: 7 });
  });

  it("keeps the text when no sentence states a value", () => {
    const claims = returnPage("On success, frob() returns the previous persona.");
    expect(claims.success).to.deep.equal({ text: "On success, frob() returns the previous persona.", line: 5 });
  });
});

describe("drift/manpage: files, gzip, .so and lookup", () => {
  let dir = "";
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "kapi-man-"));
    const page = await readFile(path.join(FIXTURES, "frob.2"));
    await mkdir(path.join(dir, "man2"));
    await writeFile(path.join(dir, "man2", "frob.2.gz"), gzipSync(page));
    await writeFile(path.join(dir, "man2", "plainfrob.2"), page);
    await writeFile(path.join(dir, "man2", "alias.2"), '.\\" an alias\n.so man2/frob.2\n');
    await writeFile(path.join(dir, "man2", "alias2.2.gz"), gzipSync(".so man2/alias.2\n"));
    await writeFile(path.join(dir, "man2", "dangling.2"), ".so man2/missing.2\n");
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reads gzip and plain files to the same claims", async () => {
    const gz = await readManPage("frob", path.join(dir, "man2", "frob.2.gz"));
    const plain = await readManPage("frob", path.join(dir, "man2", "plainfrob.2"));
    expect(gz.page).to.equal(path.join(dir, "man2", "frob.2.gz"));
    expect({ ...gz, page: "" }).to.deep.equal({ ...plain, page: "" });
    expect(gz.errors).to.have.length(9);
  });

  it("follows .so relative to the man root, through a chain and to a .gz target", async () => {
    const claims = await readManPage("frob", path.join(dir, "man2", "alias2.2.gz"));
    expect(claims.page).to.equal(path.join(dir, "man2", "frob.2.gz"));
    expect(claims.success?.value).to.equal("0");
  });

  it("finds a page by name under given roots without man(1)", async () => {
    const claims = await readManPage("alias", undefined, { roots: [dir], useMan: false });
    expect(claims.page).to.equal(path.join(dir, "man2", "frob.2.gz"));
  });

  it("throws ManPageNotFoundError naming the places it looked and the package", async () => {
    const err = await readManPage("kapi_conform_no_such_call", undefined, { roots: [dir], useMan: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ManPageNotFoundError);
    const e = err as ManPageNotFoundError;
    expect(e.name).to.equal("ManPageNotFoundError");
    expect(e.message).to.contain(path.join(dir, "man2", "kapi_conform_no_such_call.2.gz"));
    expect(e.message).to.contain("manpages-dev");
    expect(e.looked).to.deep.equal([
      path.join(dir, "man2", "kapi_conform_no_such_call.2.gz"),
      path.join(dir, "man2", "kapi_conform_no_such_call.2"),
    ]);
  });

  it("throws ManPageNotFoundError for a missing name on this machine's man setup", async () => {
    const err = await readManPage("kapi_conform_no_such_call").catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ManPageNotFoundError);
    expect((err as Error).message).to.contain("/usr/share/man/man2/kapi_conform_no_such_call.2.gz");
  });

  it("throws ManPageNotFoundError for a missing explicit path and a dangling .so", async () => {
    const missing = path.join(dir, "nope.2");
    const e1 = await readManPage("x", missing).catch((e: unknown) => e);
    expect(e1).to.be.instanceOf(ManPageNotFoundError);
    expect((e1 as Error).message).to.contain(missing);
    const e2 = await readManPage("x", path.join(dir, "man2", "dangling.2")).catch((e: unknown) => e);
    expect(e2).to.be.instanceOf(ManPageNotFoundError);
    expect((e2 as Error).message).to.contain("missing.2");
  });

  it("refuses a name that is a path or an option", async () => {
    for (const bad of ["../etc/passwd", "-k", "a b"]) {
      const err = await readManPage(bad).catch((e: unknown) => e);
      expect(err, bad).to.be.instanceOf(Error);
      expect(err, bad).to.not.be.instanceOf(ManPageNotFoundError);
    }
  });
});
