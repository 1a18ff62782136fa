// SPDX-License-Identifier: GPL-2.0-only
// The KTAP we emit, for every verdict, passes the strict KTAP v1 checker and
// parses with tap-parser with the right counts; the checker finds each kind
// of broken KTAP at its line.
import { expect } from "chai";
import { Parser, type Result } from "tap-parser";
import { checkKtap } from "../../harness/report/ktap-check.js";
import { renderKtap } from "../../harness/report/ktap.js";
import type { RunResults } from "../../harness/run/results.js";
import { everyVerdict } from "./fixtures.js";

interface Parsed {
  ok: boolean;
  /** One per syscall. */
  top: Result[];
  /** One per spec item. */
  items: Result[];
  /** One per case. */
  nested: Result[];
}

function parseTap(text: string): Promise<Parsed> {
  return new Promise((resolve) => {
    const top: Result[] = [];
    const items: Result[] = [];
    const nested: Result[] = [];
    const parser = new Parser((final) => resolve({ ok: final.ok, top, items, nested }));
    parser.on("assert", (a: Result) => top.push(a));
    parser.on("child", (child: Parser) => {
      child.on("assert", (a: Result) => items.push(a));
      child.on("child", (grandchild: Parser) => grandchild.on("assert", (a: Result) => nested.push(a)));
    });
    parser.end(text);
  });
}

const strictly = (r: RunResults): RunResults => ({ ...r, gate: { expectations: "expect.yaml", strict: true } });
const lineOf = (ktap: string, id: string): string => ktap.split("\n").find((l) => new RegExp(`^ *(not )?ok \\d+ ${id.replace(/\./g, "\\.")}( |$)`).test(l)) ?? "";

describe("KTAP output: every verdict", function () {
  const results = everyVerdict();
  const ktap = renderKtap(results);

  it("passes the strict KTAP v1 checker, with and without --strict", function () {
    expect(checkKtap(ktap), ktap).to.deep.equal([]);
    expect(checkKtap(renderKtap(strictly(results)))).to.deep.equal([]);
  });

  it("prints each verdict with its KTAP result and directive", function () {
    expect(lineOf(ktap, "io_cancel.a.pass")).to.equal("        ok 1 io_cancel.a.pass");
    expect(lineOf(ktap, "io_cancel.a.fail")).to.equal("        not ok 2 io_cancel.a.fail");
    expect(lineOf(ktap, "io_cancel.b.skip")).to.equal("        ok 1 io_cancel.b.skip # SKIP CONFIG_AIO is not set");
    expect(lineOf(ktap, "io_cancel.b.error")).to.equal("        not ok 2 io_cancel.b.error");
    expect(lineOf(ktap, "io_cancel.c.timeout")).to.equal("        not ok 1 io_cancel.c.timeout # TIMEOUT io_getevents did not return in 5 s");
    expect(lineOf(ktap, "io_cancel.c.xfail")).to.equal("        ok 2 io_cancel.c.xfail # XFAIL 6.8-rc7 returned 0");
    expect(lineOf(ktap, "io_cancel.c.xpass")).to.equal("        ok 3 io_cancel.c.xpass # XPASS 6.8-rc7 returned 0");
    expect(lineOf(renderKtap(strictly(results)), "io_cancel.c.xpass")).to.equal("        not ok 3 io_cancel.c.xpass # XPASS 6.8-rc7 returned 0");
  });

  it("explains expected failures and unexpected passes in diagnostics, links intact", function () {
    expect(ktap).to.include("        # io_cancel.c.xfail: expected failure (expect.yaml:3, https://example.org/bug#c1): expected -EINPROGRESS, got 0\n");
    expect(ktap).to.match(/ {8}# io_cancel\.c\.xpass: listed as failing in expect\.yaml:3 \(https:\/\/example\.org\/bug#c1\) but it passed/);
    expect(ktap).to.include("# Totals: pass:1 fail:1 xfail:1 xpass:1 skip:1 error:2\n");
  });

  it("parses with tap-parser: one top-level result per syscall, one per spec item inside it, one per case inside that", async function () {
    const tap = await parseTap(ktap);
    expect(tap.top.map((a) => [a.name, a.ok])).to.deep.equal([["io_cancel", false]]);
    expect(tap.items.map((a) => [a.name, a.ok])).to.deep.equal([
      ["io_cancel.return.0", false],
      ["io_cancel.errors.0", false],
      ["io_cancel.errors.1", false],
    ]);
    expect(tap.nested).to.have.length(results.cases.length);
    const okOf = (t: Parsed) => Object.fromEntries(t.nested.map((a) => [a.name.split(" # ")[0], a.ok]));
    expect(okOf(tap)).to.deep.equal({
      "io_cancel.a.pass": true,
      "io_cancel.a.fail": false,
      "io_cancel.b.skip": true,
      "io_cancel.b.error": false,
      "io_cancel.c.timeout": false,
      "io_cancel.c.xfail": true,
      "io_cancel.c.xpass": true,
    });
    expect(tap.nested.filter((a) => a.skip).map((a) => [a.name, a.skip])).to.deep.equal([["io_cancel.b.skip", "CONFIG_AIO is not set"]]);
    expect(okOf(await parseTap(renderKtap(strictly(results))))["io_cancel.c.xpass"]).to.equal(false);
  });

  it("a spec item whose cases are all expected failures is ok, with XFAIL", async function () {
    const r = everyVerdict();
    const only = { ...r, cases: r.cases.filter((c) => c.verdict === "xfail") };
    const text = renderKtap(only);
    expect(checkKtap(text)).to.deep.equal([]);
    expect(text).to.match(/^ {4}ok 1 io_cancel\.return\.0 # XFAIL$/m);
    expect(text).to.match(/^ok 1 io_cancel # XFAIL$/m);
    expect((await parseTap(text)).ok).to.equal(true);
  });
});

describe("KTAP checker: broken KTAP", function () {
  const valid = ["KTAP version 1", "1..1", "    KTAP version 1", "    # Subtest: g", "    1..2", "    ok 1 a", "    ok 2 b # SKIP why", "ok 1 g", "# Totals: pass:1"];
  const edit = (f: (lines: string[]) => void): string => {
    const lines = [...valid];
    f(lines);
    return lines.join("\n") + "\n";
  };

  it("accepts the valid base, and ktap.rst's two-space example with indent 2", function () {
    expect(checkKtap(edit(() => undefined))).to.deep.equal([]);
    const rst = "KTAP version 1\n1..1\n  KTAP version 1\n  1..2\n  ok 1 test_1\n  not ok 2 test_2\n# example failed\nnot ok 1 example\n";
    expect(checkKtap(rst, { indent: 2 })).to.deep.equal([]);
  });

  const broken: Array<[string, (l: string[]) => void, number, RegExp]> = [
    ["no version line first", (l) => l.shift(), 1, /first line must be 'KTAP version 1'/],
    ["TAP 13 instead of KTAP 1", (l) => (l[0] = "TAP version 13"), 1, /first line must be 'KTAP version 1'/],
    ["a missing plan", (l) => l.splice(1, 1), 2, /plan '1\.\.N' must follow the version line/],
    ["a diagnostic between Subtest header and plan", (l) => l.splice(4, 0, "    # note"), 5, /plan '1\.\.N' must follow the version line and the '# Subtest:' header/],
    ["a plan larger than the results", (l) => (l[4] = "    1..3"), 7, /plan 1\.\.3 at line 5 but 2 result/],
    ["results out of order", (l) => (l[6] = "    ok 3 b"), 7, /test number 3 out of order: expected 2/],
    ["a result beyond the plan", (l) => l.splice(7, 0, "    ok 3 c"), 8, /test 3 is beyond the plan 1\.\.2/],
    ["a zero-padded number", (l) => (l[5] = "    ok 01 a"), 6, /'01' is not a positive integer/],
    ["a '#' inside the description", (l) => (l[5] = "    ok 1 a#b"), 6, /'#' inside the description/],
    ["an unknown directive", (l) => (l[6] = "    ok 2 b # SKIPPED why"), 7, /unknown directive 'SKIPPED'/],
    ["a lower-case directive", (l) => (l[6] = "    ok 2 b # skip why"), 7, /directive 'skip' must be written 'SKIP'/],
    ["an ok TIMEOUT", (l) => (l[6] = "    ok 2 b # TIMEOUT 5 s"), 7, /a TIMEOUT result must be 'not ok'/],
    ["a subtest without its parent result line", (l) => l.splice(7, 1), 8, /subtest opened at line 3 is not followed by its result line/],
    ["a parent result not named as the Subtest header", (l) => (l[7] = "ok 1 h"), 8, /result 'h' does not match the subtest header '# Subtest: g'/],
    ["a three-space indent", (l) => (l[5] = "   ok 1 a"), 6, /indentation of 3 spaces is not a multiple of 4/],
    ["a tab indent", (l) => (l[5] = "\tok 1 a"), 6, /tab in indentation/],
    ["indented lines outside a subtest", (l) => l.splice(2, 0, "    # stray"), 3, /indented line outside a subtest/],
    ["a subtest two levels deep", (l) => (l[2] = "        KTAP version 1"), 3, /indented too deep/],
    ["a blank line", (l) => l.splice(5, 0, ""), 6, /blank line/],
    ["junk", (l) => l.splice(5, 0, "    [   12.3] kernel: hello"), 6, /unknown line/],
    ["a second plan", (l) => l.splice(5, 0, "    1..2"), 6, /second plan at this level/],
    ["a version line at the same level", (l) => l.splice(5, 0, "    KTAP version 1"), 6, /version line at the same level/],
    ["a Subtest header out of place", (l) => l.splice(5, 0, "    # Subtest: x"), 6, /'# Subtest:' header not right after a version line/],
    ["a diagnostic without a space", (l) => l.splice(5, 0, "    #note"), 6, /diagnostic line must start with '# '/],
    ["a malformed result", (l) => (l[5] = "    ok"), 6, /malformed result line/],
    ["a carriage return", (l) => (l[5] = "    ok 1 a\r"), 6, /carriage return/],
  ];
  for (const [what, f, line, message] of broken) {
    it(`reports ${what} at line ${line}`, function () {
      const violations = checkKtap(edit(f));
      expect(violations.some((v) => v.line === line && message.test(v.message)), JSON.stringify(violations)).to.equal(true);
    });
  }

  it("reports empty output", function () {
    expect(checkKtap("")).to.deep.equal([{ line: 1, message: "empty output: expected 'KTAP version 1'" }]);
  });
});
