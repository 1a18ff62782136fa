// SPDX-License-Identifier: GPL-2.0-only
// The parser under fuzzing: thousands of mutated corpus texts (truncation,
// indentation, unknown keys, shuffled lines, binary noise, 200 KB lines, lost
// comment ends, stray openers, CRLF and bare CRs, mixed dialects, miscounted
// hunks) parse and lint without an exception, and every diagnostic names a
// line of its input. Then the parser bugs the fuzzer found, one test each.
import { expect } from "chai";
import { performance } from "node:perf_hooks";
import { parseInput } from "../../harness/spec/parse-input.js";
import { MUTATION_KINDS } from "../../harness/soak/mutations.js";
import { fuzzInput, fuzzParser, formatFinding, readCorpus, type SeedText } from "../../harness/soak/parser-fuzz.js";
import { checkInput } from "../../harness/soak/parse-invariants.js";
import { CORPUS, DEMO_DEFINE, cSource, demoBody, needCorpus } from "../spec/helpers.js";

/** Enough for every mutation kind to be applied a couple of hundred times, in a few seconds. */
const ITERATIONS = 3000;
const SEED = 1;

describe("soak: parser fuzzing over the KAPI corpus", function () {
  let corpus: SeedText[];
  before(function () {
    needCorpus(this);
    corpus = readCorpus(CORPUS);
  });

  it(`${ITERATIONS} mutated inputs: no exception, every diagnostic and SourceRef at a line of its input, no KAPI block lost silently, every report format well formed`, async function () {
    this.timeout(120000);
    const report = await fuzzParser(corpus, { seed: SEED, iterations: ITERATIONS });
    expect(report.findings.map(formatFinding)).to.deep.equal([]);
    expect(report.iterations).to.equal(ITERATIONS);
    for (const kind of MUTATION_KINDS) expect(report.kinds[kind], kind).to.be.greaterThan(ITERATIONS / MUTATION_KINDS.length / 2);
    // The mutations must leave a fair share of inputs parseable, or the fuzzer only tests rejection.
    expect(report.specsProduced).to.be.within(ITERATIONS / 5, ITERATIONS - 1);
    expect(report.formatsChecked).to.equal(report.specsProduced);
  });

  it("replays any iteration from its seed and number alone", function () {
    const a = fuzzInput(corpus, 99, 1234);
    const b = fuzzInput(corpus, 99, 1234);
    expect(b).to.deep.equal(a);
    expect(fuzzInput(corpus, 100, 1234).text).to.not.equal(a.text);
  });
});

describe("soak: parser bugs the fuzzer found stay fixed", function () {
  const HUGE = 200_000;
  const demo = (extra: string[]) => cSource([...demoBody(), ...extra], DEMO_DEFINE).text;

  it("long lines parse in linear time (no regex backtracks quadratically)", function () {
    const inside = (line: string) => demo([""]).replace(" * long-desc: A demo syscall.", ` * long-desc: A demo syscall.\n${line}`);
    const shapes = {
      "blank run in a comment": inside(" ".repeat(HUGE) + "x"),
      "tab run in a comment": inside("\t".repeat(HUGE) + "x"),
      "key, blank run, stray CR": inside(` * param:${" ".repeat(HUGE)}x\ry`),
      "header, blank run, stray CR": demo([]).replace(" * sys_demo - ", ` * sys_demo -${" ".repeat(HUGE)}x\ry `),
      "@param, blank run, stray CR": demo([]).replace(" * @fd: ", ` * @fd:${" ".repeat(HUGE)}x\ry `),
      "long word in SYSCALL_DEFINE": demo([]).replace("char __user *, buf", `char __user *, ${"b".repeat(HUGE)}!`),
      "separator run in conditions": demo(["  desc: (1) a, (2) b" + ", ".repeat(HUGE / 2) + "x"]),
      "CR run": demo([]) + "\r".repeat(HUGE),
    };
    for (const [name, text] of Object.entries(shapes)) {
      const start = performance.now();
      const checked = checkInput("long.c", text, { slowMs: 1000 });
      expect(checked.violations, name).to.deep.equal([]);
      expect(performance.now() - start, name).to.be.below(1000);
    }
  });

  it("reads CR LF and CR CR LF line endings like LF", function () {
    const lf = parseInput("demo.c", demo([]));
    for (const eol of ["\r\n", "\r\r\n"]) {
      const other = parseInput("demo.c", demo([]).replace(/\n/g, eol));
      expect(other.diagnostics, JSON.stringify(eol)).to.deep.equal([]);
      expect(other.specs, JSON.stringify(eol)).to.deep.equal(lf.specs);
    }
  });

  it("an enum token named like an Object.prototype member is an unknown token, not a function", function () {
    const text = demo([]).replace("type: KAPI_TYPE_FD", "type: constructor").replace("KAPI_PARAM_IN", "toString");
    const { specs, diagnostics } = parseInput("proto.c", text);
    expect(specs[0]!.params[0]!.type).to.deep.equal({ value: "CONSTRUCTOR", raw: "constructor", known: false });
    expect(specs[0]!.params[0]!.flags).to.deep.equal([{ value: "TOSTRING", raw: "toString", known: false }]);
    expect(diagnostics.map((d) => d.code)).to.deep.equal(["unknown-token", "unknown-token"]);
  });

  it("'+' lines past a hunk's counts are reported at their line, once per run", function () {
    const patch = ["+++ b/a.c", "@@ -1,1 +1,2 @@", " int x;", "+int y;", "+/**", "+ * sys_demo - Demo", "+ * param: fd", "+ */", ""].join("\n");
    const { specs, diagnostics } = parseInput("short.patch", patch);
    expect(specs).to.deep.equal([]);
    expect(diagnostics.map((d) => [d.severity, d.line, d.code])).to.deep.equal([["warning", 5, "outside-hunk"]]);
  });

  it("a KAPI comment the parser cannot read (mangled hunk header) is located, not dropped in silence", function () {
    const patch = ["+++ b/a.c", "@@ -1,1 +1,7 garbage", "+/**", "+ * sys_demo - Demo", "+ *", "+ * param: fd", "+ *   type: KAPI_TYPE_FD", "+ */", ""].join("\n");
    const { specs, diagnostics } = parseInput("mangled.patch", patch);
    expect(specs).to.deep.equal([]);
    expect(diagnostics.map((d) => [d.severity, d.line, d.code])).to.deep.equal([["warning", 6, "unread-kapi"]]);
  });
});
