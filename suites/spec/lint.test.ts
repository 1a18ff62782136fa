// SPDX-License-Identifier: GPL-2.0-only
// Each lint check fires on a small bad input, at the line it is about; the
// clean demo spec raises nothing.
import { expect } from "chai";
import { parseInput } from "../../harness/spec/parse-input.js";
import { lintOutcome, lintSpec } from "../../harness/spec/lint.js";
import { formatDiagnostic } from "../../harness/spec/diagnostic.js";
import type { Diagnostic } from "../../harness/spec/model.js";
import { DEMO_DEFINE, cSource, demoBody } from "./helpers.js";

const FILE = "drivers/demo.c";

/** Lint the demo spec after `edit`; returns the findings and the line of body index i. */
function lintDemo(edit: (body: string[]) => string[], define: string[] = DEMO_DEFINE): { found: Diagnostic[]; line: (i: number) => number } {
  const src = cSource(edit(demoBody()), define);
  return { found: lintOutcome(parseInput(FILE, src.text)), line: src.line };
}

const brief = (found: Diagnostic[]) => found.map((d) => [d.severity, d.line, d.code]);

describe("spec: lint", () => {
  it("finds nothing in the clean demo spec", () => {
    expect(lintDemo((b) => b).found).to.deep.equal([]);
  });

  it("prints findings as file:line: severity: message [code]", () => {
    const d: Diagnostic = { severity: "error", file: "a.c", line: 7, code: "x-y", message: "bad thing" };
    expect(formatDiagnostic(d)).to.equal("a.c:7: error: bad thing [x-y]");
  });

  it("unknown section (error) and unknown sub-field (warning)", () => {
    const { found, line } = lintDemo((b) => [...b.slice(0, 11), "  colour: blue", ...b.slice(11), "", "sinse-version: 2.5"]);
    expect(brief(found)).to.deep.equal([
      ["warning", line(11), "unknown-field"],
      ["error", line(25), "unknown-section"],
    ]);
  });

  it("unknown enum or alias tokens (warning, at the sub-field's line)", () => {
    const { found, line } = lintDemo((b) => b.map((l) => l.replace("KAPI_PARAM_OUT", "KAPI_PARAM_SIDEWAYS").replace("KAPI_CTX_PROCESS", "KAPI_CTX_PROCESS | KAPI_CTX_TEATIME")));
    expect(brief(found)).to.deep.equal([
      ["warning", line(6), "unknown-token"],
      ["warning", line(14), "unknown-token"],
    ]);
    expect(found[1]!.message).to.include("KAPI_PARAM_SIDEWAYS");
  });

  it("@param lines that do not match the param: blocks", () => {
    // @buf renamed: '@buffer' has no block, 'param: buf' has no @ line.
    const { found, line } = lintDemo((b) => b.map((l) => l.replace("@buf:", "@buffer:")));
    expect(brief(found)).to.deep.equal([
      ["error", line(2), "param-header"],
      ["error", line(12), "param-header"],
    ]);
    // Both present but in a different order.
    const swapped = lintDemo((b) => [b[0]!, b[2]!, b[1]!, ...b.slice(3)]);
    expect(brief(swapped.found)).to.deep.equal([["error", swapped.line(8), "param-header"]]);
  });

  it("params that do not match the SYSCALL_DEFINEn arity or argument names", () => {
    const define = ["SYSCALL_DEFINE3(demo, int, fd, char __user *, buf, size_t, count)"];
    const src = cSource(demoBody(), define);
    const found = lintOutcome(parseInput(FILE, src.text));
    expect(brief(found)).to.deep.equal([["error", src.line(demoBody().length) + 1, "param-arity"]]);
    expect(found[0]!.message).to.equal("SYSCALL_DEFINE3 takes 3 arguments but the spec has 2 'param:' blocks");
    const renamed = lintDemo((b) => b, ["SYSCALL_DEFINE2(demo, int, fd, char __user *, buffer)"]);
    expect(brief(renamed.found)).to.deep.equal([["error", renamed.line(12), "param-arity"]]);
    const other = lintDemo((b) => b, ["SYSCALL_DEFINE2(omed, int, fd, char __user *, buf)"]);
    expect(brief(other.found)).to.deep.equal([["error", other.line(demoBody().length) + 1, "name-mismatch"]]);
  });

  it("a success: that contradicts check-type:", () => {
    const { found, line } = lintDemo((b) => b.map((l) => l.replace("KAPI_RETURN_ERROR_CHECK", "KAPI_RETURN_RANGE")));
    expect(brief(found)).to.deep.equal([["error", line(16), "success-check-type"]]);
    const fd = lintDemo((b) => b.map((l) => l.replace("KAPI_RETURN_ERROR_CHECK", "KAPI_RETURN_FD").replace("success: 0", "success: -EAGAIN")));
    expect(brief(fd.found)).to.deep.equal([["error", fd.line(16), "success-check-type"]]);
    const exact = lintDemo((b) => b.map((l) => l.replace("KAPI_RETURN_ERROR_CHECK", "KAPI_RETURN_EXACT").replace("success: 0", "success: >= 0")));
    expect(brief(exact.found)).to.deep.equal([["error", exact.line(16), "success-check-type"]]);
  });

  it("duplicate params", () => {
    const { found, line } = lintDemo((b) => [...b.slice(0, 12), "param: fd", "  type: KAPI_TYPE_FD", "", ...b.slice(12)]);
    // The repeated block is reported; arity (2 vs 3 blocks) is reported at the SYSCALL_DEFINE line.
    expect(brief(found)).to.deep.equal([
      ["error", line(12), "duplicate-param"],
      ["error", line(26) + 1, "param-arity"],
    ]);
  });

  it("an error: header without a name", () => {
    const { found, line } = lintDemo((b) => [...b, "", "error: , Something went wrong", "", "error:", "  desc: nothing at all"]);
    expect(brief(found)).to.deep.equal([
      ["error", line(24), "error-without-name"],
      ["error", line(26), "error-without-name"],
    ]);
  });

  it("lintSpec alone checks a parsed spec (used by tools that hold specs already)", () => {
    const spec = parseInput(FILE, cSource(demoBody(), DEMO_DEFINE).text).specs[0]!;
    expect(lintSpec(spec)).to.deep.equal([]);
    expect(lintSpec({ ...spec, source: { ...spec.source, syscallDefine: undefined } }).map((d) => d.code)).to.deep.equal(["no-syscall-define"]);
  });
});
