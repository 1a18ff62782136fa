// SPDX-License-Identifier: GPL-2.0-only
// Spec text is data in every format: line breaks of every kind (U+2028, FF,
// CR, ...), control characters (ESC, NUL), "#", pipes, raw HTML and XML
// markup in a condition, a case id or a --spec path never add a KTAP line or
// a JUnit testcase, never make the XML invalid, never reach the terminal as
// escapes and never become HTML in summary.md.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create } from "xmlbuilder2";
import { ktapName, ktapTestName, ktapText } from "../../harness/report/encode/ktap.js";
import { mdCell, mdCode } from "../../harness/report/encode/markdown.js";
import { terminalText } from "../../harness/report/encode/terminal.js";
import { xmlAttribute, xmlText } from "../../harness/report/encode/xml.js";
import { checkKtap } from "../../harness/report/ktap-check.js";
import { renderKtap } from "../../harness/report/ktap.js";
import { renderJunit } from "../../harness/report/junit.js";
import { renderSummary } from "../../harness/report/summary.js";
import type { RunResults } from "../../harness/run/results.js";
import { cli, everyVerdict } from "../gate/fixtures.js";

/** Every line break Python's str.splitlines() (kunit_parser) or a CR-splitting reader honours. */
const SPLITLINES = /\r\n|[\n\r\v\f\x1c-\x1e\u0085\u2028\u2029]/;
const BREAKS = ["\n", "\r", "\v", "\f", "\u0085", "\u2028", "\u2029", "\x1c"];
const HOSTILE = `cond${BREAKS.join("x")}y # SKIP fake\u001b[2J\u0000\u0007 | <script>alert(1)</script> &amp; ]]>`;

function hostile(r: RunResults, where: "reason" | "summary" | "id" | "specFile"): RunResults {
  switch (where) {
    case "specFile":
      return { ...r, specs: r.specs.map((s) => ({ ...s, file: `specs/x\nnot ok 99 injected\n${s.file}` })) };
    case "id":
      return { ...r, cases: r.cases.map((c) => ({ ...c, id: `${c.id}\nok 7 fake\u2028<testcase name="fake"/>` })) };
    default:
      return { ...r, cases: r.cases.map((c) => (where === "reason" ? { ...c, reason: HOSTILE, detail: HOSTILE, call: HOSTILE } : { ...c, specRef: { ...c.specRef, summary: HOSTILE } })) };
  }
}

describe("encoders", function () {
  it("KTAP: no line break of any kind, no '#' in a name, controls escaped", function () {
    for (const b of BREAKS) expect(SPLITLINES.test(ktapName(`a${b}b`)), JSON.stringify(b)).to.equal(false);
    expect(ktapName("a # SKIP b")).to.equal("a no. SKIP b");
    expect(ktapText("a\u001b[31mb\u0000c\td")).to.equal("a\\x1b[31mb\\x00c\\x09d");
    expect(ktapText("see https://x/y#c1")).to.equal("see https://x/y#c1");
    expect(ktapTestName("")).to.equal("unnamed");
    expect(ktapTestName(" \u2028 ")).to.equal("unnamed");
    expect(ktapTestName("- x")).to.equal("_- x");
  });

  it("XML: forbidden characters replaced, attributes on one line", function () {
    expect(xmlText("a\u0000b\u000cc\u001bd\ufffe")).to.equal("a\\x00b\\x0cc\\x1bd\\ufffe");
    expect(xmlText("ok\ttab\nnl")).to.equal("ok\ttab\nnl");
    expect(xmlText("\ud800x\udc00")).to.equal("\\ud800x\\udc00");
    expect(xmlText("\ud83d\ude00")).to.equal("\ud83d\ude00");
    expect(xmlAttribute("a\nb\u2028c")).to.equal("a b c");
  });

  it("markdown: pipes escaped, HTML inert, one line, code spans closed", function () {
    expect(mdCell("a|b<script>&\nc")).to.equal("a\\|b&lt;script&gt;&amp; c");
    expect(mdCode("x`y")).to.equal("`` x`y ``");
  });

  it("terminal: ESC, CSI (U+009B), BEL and line breaks shown, not obeyed", function () {
    expect(terminalText("a\u001b[2Jb\u009b31mc\u0007d\ne")).to.equal("a\\x1b[2Jb\\x9b31mc\\x07d e");
  });
});

describe("reports from hostile spec text", function () {
  for (const where of ["reason", "summary", "id", "specFile"] as const) {
    describe(`in the ${where}`, function () {
      const results = hostile(everyVerdict(), where);

      it("KTAP stays valid, one line per test, for every line-splitting reader", function () {
        const ktap = renderKtap(results);
        expect(checkKtap(ktap), ktap).to.deep.equal([]);
        expect(ktap.split(SPLITLINES).length).to.equal(ktap.split("\n").length);
        const resultLines = ktap.split("\n").filter((l) => /^ *(not )?ok \d+ /.test(l));
        expect(resultLines).to.have.length(results.cases.length + 3 + 1);
        expect(ktap).to.not.match(/\x1b|\x00/);
        expect(ktap).to.not.match(/^ *(not )?ok (7|99) /m);
      });

      it("JUnit stays well-formed XML with every testcase and no injected one", async function () {
        const xml = await renderJunit(results);
        const doc = create(xml).end({ format: "object" }) as unknown as { testsuites: { testsuite: { testcase: Array<{ "@name": string }> } } };
        expect(doc.testsuites.testsuite.testcase).to.have.length(results.cases.length);
        expect(xml).to.not.match(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
        expect(xml).to.not.include('<testcase name="fake"');
      });

      it("summary.md: no raw HTML, no broken table row", function () {
        const md = renderSummary(results);
        expect(md).to.not.include("<script>");
        expect(md).to.not.match(/\x1b|\x00/);
        expect(md.split(SPLITLINES).length).to.equal(md.split("\n").length);
        const table = md.split("## Cases")[1]!.split("\n\n")[1]!.split("\n");
        const cells = (row: string) => row.split(/(?<!\\)\|/).length;
        for (const row of table) expect(cells(row), row).to.equal(cells(table[0]!));
      });
    });
  }

  it("a syscall or case with an empty name, or one starting with '- ', still pairs header and result (fuzz seed 20261129 iteration 25)", function () {
    const r = everyVerdict();
    for (const name of ["", "- x"]) {
      const odd = { ...r, specs: r.specs.map((s) => ({ ...s, name })), cases: r.cases.map((c) => ({ ...c, syscall: name, id: `${name}` })) };
      expect(checkKtap(renderKtap(odd)), name).to.deep.equal([]);
    }
  });

  it("`report` on a results.json whose case ids carry newlines and ANSI: no injected KTAP line or testcase, no escape on stderr", function () {
    const root = mkdtempSync(join(tmpdir(), "kapi-hostile-"));
    try {
      const dir = join(root, "run\u001b[31m");
      mkdirSync(dir);
      const r = everyVerdict();
      const bad = { ...r, cases: r.cases.map((c) => ({ ...c, id: `${c.id}\nok 1 injected\u001b]0;title\u0007`, reason: `${c.reason ?? ""}\u001b[2J` })) };
      writeFileSync(join(dir, "results.json"), JSON.stringify(bad));
      const out = cli("report", dir);
      expect(out.status, out.stderr).to.equal(1);
      expect(checkKtap(out.stdout)).to.deep.equal([]);
      expect(out.stdout).to.not.match(/^ok 1 injected/m);
      expect(out.stderr).to.not.include("\u001b");
      expect(readFileSync(join(dir, "junit.xml"), "utf8").match(/<testcase /g)).to.have.length(bad.cases.length);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
