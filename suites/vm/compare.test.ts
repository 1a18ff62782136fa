// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform compare`: the case-by-kernel matrix, its markdown and HTML, and
// the command's handling of good and bad input, on synthetic results.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildMatrix, renderMarkdown } from "../../harness/compare/matrix.js";
import { renderHtml } from "../../harness/compare/html.js";
import { caseOf, resultsOf } from "./fixtures.js";

const CLI = "build/harness/cli/main.js";
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

const old = resultsOf("6.1.0-56-cloud-amd64", [
  caseOf("a.same", "pass", { ret: "-1", errno: "EINVAL" }),
  caseOf("b.differs", "pass", { ret: "-1", errno: "EINPROGRESS" }),
  caseOf("c.only-old", "skip", {}, "needs <gadget> & \"USB\""),
]);
const recent = resultsOf("6.12.117+deb12-cloud-amd64", [
  caseOf("a.same", "pass", { ret: "-1", errno: "EINVAL" }),
  caseOf("b.differs", "fail", { ret: "0" }, "expected -EINPROGRESS | got 0"),
  caseOf("d.only-new", "pass"),
]);

describe("compare matrix", () => {
  const m = buildMatrix([
    { source: "reports/a", results: old },
    { source: "reports/b", results: recent },
  ]);

  it("has one column per run, labelled by kernel release", () => {
    expect(m.columns.map((c) => c.label)).to.deep.equal(["6.1.0-56-cloud-amd64", "6.12.117+deb12-cloud-amd64"]);
    expect(m.syscalls).to.deep.equal(["io_cancel"]);
  });

  it("puts the rows where kernels differ first, in run order, and counts them", () => {
    expect(m.rows.map((r) => r.id)).to.deep.equal(["io_cancel.b.differs", "io_cancel.c.only-old", "io_cancel.d.only-new", "io_cancel.a.same"]);
    expect(m.rows.map((r) => r.differs)).to.deep.equal([true, true, true, false]);
    expect(m.differing).to.equal(3);
  });

  it("keeps verdict, observed return and reason per cell, and no cell for a missing case", () => {
    const b = m.rows[0]!;
    expect(b.cells[0]).to.deep.equal({ verdict: "pass", observed: "-1 EINPROGRESS" });
    expect(b.cells[1]).to.deep.equal({ verdict: "fail", observed: "0", reason: "expected -EINPROGRESS | got 0" });
    expect(m.rows[1]!.cells[1]).to.equal(undefined);
  });

  it("tells two runs of one release apart by their source", () => {
    const twice = buildMatrix([
      { source: "x", results: old },
      { source: "y", results: old },
    ]);
    expect(twice.columns.map((c) => c.label)).to.deep.equal(["6.1.0-56-cloud-amd64 (x)", "6.1.0-56-cloud-amd64 (y)"]);
    expect(twice.differing).to.equal(0);
  });

  it("renders markdown with escaped pipes and a marker on differing rows", () => {
    const md = renderMarkdown(m);
    expect(md).to.contain("3 of 4 cases differ between kernels");
    expect(md).to.contain("| ≠ | io_cancel.b.differs | pass (-1 EINPROGRESS) | fail (0) |");
    expect(md).to.contain("|  | io_cancel.a.same | pass (-1 EINVAL) | pass (-1 EINVAL) |");
    expect(md).to.contain("| ≠ | io_cancel.c.only-old | skip | — |");
    // Every table row has as many cells as the header.
    const table = md.split("\n").filter((l) => l.startsWith("| ≠") || l.startsWith("|  |"));
    for (const row of table) expect(row.split(/(?<!\\)\|/).length).to.equal(table[0]!.split(/(?<!\\)\|/).length);
  });

  it("renders a self-contained, escaped, colour-coded HTML page", () => {
    const html = renderHtml(m, "2026-01-01T00:00:00Z");
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).not.to.match(/<script|<link|src=|https?:\/\//);
    expect(html).to.contain('<tr class="differs"><td class="case">io_cancel.b.differs');
    expect(html).to.contain('<td class="cell v-fail" title="returned 0: expected -EINPROGRESS | got 0">fail<small>0</small></td>');
    expect(html).to.contain("needs &lt;gadget&gt; &amp; &quot;USB&quot;");
    expect(html).to.contain('<td class="cell v-absent">—</td>');
    expect(html).to.match(/\.v-pass \{ background: #[0-9a-f]{6}/);
    // Differing rows come before the rows that agree.
    expect(html.indexOf("io_cancel.d.only-new")).to.be.lessThan(html.indexOf("io_cancel.a.same"));
  });
});

describe("kapi-conform compare (CLI)", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-compare-"));
    for (const [name, r] of [["a", old], ["b", recent]] as const) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "results.json"), JSON.stringify(r));
    }
    mkdirSync(join(dir, "bad"));
    writeFileSync(join(dir, "bad", "results.json"), "{ not json");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the markdown matrix on stdout and writes the HTML page", () => {
    const html = join(dir, "out", "compare.html");
    const r = cli("compare", join(dir, "a"), join(dir, "b"), "--html", html);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.contain("| ≠ | io_cancel.b.differs |");
    expect(readFileSync(html, "utf8")).to.contain("6.12.117+deb12-cloud-amd64");
    expect(r.stderr).to.contain("2 runs, 4 cases, 3 differ");
  });

  for (const [what, args, message] of [
    ["a missing directory", ["nowhere"], /no such directory 'nowhere'/],
    ["a directory without results.json", ["."], /cannot read .*results\.json/],
    ["a malformed results.json", ["bad"], /not valid JSON/],
    ["no directory at all", [], /no DIR given/],
  ] as const) {
    it(`rejects ${what} with one line and exit 2`, () => {
      const r = spawnSync(process.execPath, [join(process.cwd(), CLI), "compare", ...args, "--html", join(dir, "x.html")], { encoding: "utf8", cwd: dir });
      expect(r.status).to.equal(2);
      expect(r.stderr).to.match(message);
      expect(r.stderr.trim().split("\n")).to.have.length(1);
      expect(r.stdout).to.equal("");
    });
  }
});
