// SPDX-License-Identifier: GPL-2.0-only
// The parser on small synthetic inputs: what is and is not a KAPI block, the
// layout rules (sections, sub-fields, continuations, prose), diff post-images,
// per-block dialects, and the helpers behind them (vocabulary, constraint
// types, success clauses, condition lists).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { parseInput } from "../../harness/spec/parse-input.js";
import { loadSpecs } from "../../harness/spec/load.js";
import { parseSuccess } from "../../harness/spec/parse-block.js";
import { parseConstraintType } from "../../harness/spec/constraint-type.js";
import { splitConditions } from "../../harness/spec/conditions.js";
import { normalise, normaliseList } from "../../harness/spec/vocabulary.js";
import { InputError } from "../../harness/input-error.js";
import { validateSpec } from "../../harness/spec/schema.js";
import { lintSpec } from "../../harness/spec/lint.js";
import { DEMO_DEFINE, cSource, demoBody } from "./helpers.js";

const PLAIN_KERNELDOC = [
  "/**",
  " * sys_plain - An ordinary kerneldoc comment",
  " * @fd: a file descriptor",
  " *",
  " * Does plain things.",
  " *",
  " * Return: 0 on success.",
  " */",
  "SYSCALL_DEFINE1(plain, int, fd)",
  "{",
  "}",
];

describe("spec: synthetic inputs", () => {
  it("a C file with a KAPI block before SYSCALL_DEFINE3 yields one spec with arity 3", () => {
    const body = [
      "sys_three - Take three arguments",
      "@a: first",
      "@b: second",
      "@c: third",
      "",
      "context-flags: KAPI_CTX_PROCESS",
      "",
      "param: a",
      "  type: KAPI_TYPE_INT",
      "param: b",
      "  type: KAPI_TYPE_INT",
      "param: c",
      "  type: KAPI_TYPE_INT",
    ];
    const src = cSource(body, ["SYSCALL_DEFINE3(three, int, a,", "\t\tint, b, int, c)", "{", "}"], ["#include <linux/syscalls.h>", ""]);
    const { specs, diagnostics, unattributed } = parseInput("kernel/three.c", src.text);
    expect(diagnostics).to.deep.equal([]);
    expect(unattributed).to.deep.equal([]);
    expect(specs).to.have.length(1);
    const s = specs[0]!;
    expect(s.name).to.equal("three");
    expect(s.source).to.deep.equal({
      file: "kernel/three.c",
      line: 3,
      endLine: 3 + body.length + 1,
      format: "c",
      dialect: "v5",
      syscallDefine: { name: "three", arity: 3, args: ["a", "b", "c"], line: 3 + body.length + 2 },
    });
    expect(s.params.map((p) => [p.name, p.source.line])).to.deep.equal([
      ["a", src.line(7)],
      ["b", src.line(9)],
      ["c", src.line(11)],
    ]);
    expect(s.kerneldocParams.map((k) => k.source.line)).to.deep.equal([src.line(1), src.line(2), src.line(3)]);
  });

  it("an ordinary kerneldoc comment is not a spec", async () => {
    const text = PLAIN_KERNELDOC.join("\n") + "\n";
    expect(parseInput("plain.c", text)).to.deep.equal({ specs: [], diagnostics: [], unattributed: [] });
    const both = parseInput("both.c", text + cSource(demoBody(), DEMO_DEFINE).text);
    expect(both.specs.map((s) => s.name)).to.deep.equal(["demo"]);
    expect(both.specs[0]!.source.line).to.equal(PLAIN_KERNELDOC.length + 1);
    const dir = mkdtempSync(path.join(tmpdir(), "kapi-plain-"));
    try {
      writeFileSync(path.join(dir, "plain.c"), text);
      let caught: unknown;
      await loadSpecs([path.join(dir, "plain.c")]).catch((e: unknown) => (caught = e));
      expect(caught).to.be.instanceOf(InputError);
      expect((caught as Error).message).to.match(/no KAPI specification found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prose keeps lines that merely look like 'key:'; a known key at column 0 starts a section", () => {
    const body = [
      ...demoBody(),
      "",
      "notes: First paragraph starts here",
      "  and goes on.",
      "  note: an indented line that looks like a key",
      "note: a column-0 line right after prose, not a known section",
      "",
      "  Important limitations:",
      "  - one",
      "  - two, wrapped",
      "    onto a second line",
      "  Back to prose after the list.",
      "",
      "since-version: 6.1",
    ];
    const src = cSource(body, DEMO_DEFINE);
    const { specs, diagnostics, unattributed } = parseInput("prose.c", src.text);
    expect(diagnostics).to.deep.equal([]);
    expect(unattributed).to.deep.equal([]);
    const s = specs[0]!;
    expect(s.notes!.text).to.equal(
      "First paragraph starts here and goes on. note: an indented line that looks like a key " +
        "note: a column-0 line right after prose, not a known section\n\n" +
        "Important limitations:\n- one\n- two, wrapped onto a second line\nBack to prose after the list.",
    );
    expect(s.notes!.source.line).to.equal(src.line(demoBody().length + 1));
    expect(s.since).to.equal("6.1");
  });

  it("after a blank line a column-0 key starts a section; unknown ones are diagnosed and kept in extra", () => {
    const n = demoBody().length;
    const body = [...demoBody(), "", "notes: Some notes.", "", "Return: 0 on success (kerneldoc style)", "", "retrun: a typo", "  more of it"];
    const src = cSource(body, DEMO_DEFINE);
    const { specs, diagnostics, unattributed } = parseInput("unknown.c", src.text);
    expect(unattributed).to.deep.equal([]);
    expect(diagnostics.map((d) => [d.severity, d.line, d.code])).to.deep.equal([
      ["warning", src.line(n + 3), "unknown-section"],
      ["error", src.line(n + 5), "unknown-section"],
    ]);
    const s = specs[0]!;
    expect(s.notes!.text).to.equal("Some notes.");
    expect(s.extra).to.deep.equal([
      { key: "Return", value: "0 on success (kerneldoc style)", source: { file: "unknown.c", line: src.line(n + 3) } },
      { key: "retrun", value: "a typo more of it", source: { file: "unknown.c", line: src.line(n + 5) } },
    ]);
  });

  it("joins continuation lines with single spaces and keeps unknown sub-fields in extra", () => {
    const n = demoBody().length;
    const body = [
      ...demoBody(),
      "  flavour: strawberry",
      "    and cream",
      "",
      "lock: some_lock",
      "  type: KAPI_LOCK_MUTEX",
      "  desc: first line",
      "       second line,",
      "\tthird line after a tab",
    ];
    const src = cSource(body, DEMO_DEFINE);
    const { specs, diagnostics, unattributed } = parseInput("fields.c", src.text);
    expect(unattributed).to.deep.equal([]);
    expect(diagnostics.map((d) => [d.line, d.code])).to.deep.equal([[src.line(n), "unknown-field"]]);
    const s = specs[0]!;
    expect(s.errors[0]!.extra).to.deep.equal([{ key: "flavour", value: "strawberry and cream", source: { file: "fields.c", line: src.line(n) } }]);
    expect(s.locks[0]!.description).to.equal("first line second line, third line after a tab");
  });

  it("reads a v5 and a v4 block in one file, each in its own dialect", () => {
    const v4 = [
      "sys_other - The v4 spelling",
      "@fd: a descriptor",
      "",
      "contexts: process, sleepable",
      "",
      "param: fd",
      "  type: fd, input",
      "  constraint-type: range(0, INT_MAX)",
      "  cdesc: Must be open.",
      "",
      "return:",
      "  type: int",
      "  check-type: exact",
      "  success: 0",
    ];
    const text = cSource(demoBody(), DEMO_DEFINE).text + "\n" + cSource(v4, ["SYSCALL_DEFINE1(other, int, fd)"]).text;
    const { specs, diagnostics } = parseInput("two.c", text);
    expect(diagnostics).to.deep.equal([]);
    expect(specs.map((s) => [s.name, s.source.dialect])).to.deep.equal([
      ["demo", "v5"],
      ["other", "v4"],
    ]);
    const p = specs[1]!.params[0]!;
    expect(p.type!.value).to.equal("FD");
    expect(p.flags.map((f) => f.value)).to.deep.equal(["IN"]);
    expect(p.constraint).to.equal("Must be open.");
    expect(specs[1]!.return!.checkType!.value).to.equal("EXACT");
  });

  it("fills every field of the model from a spec that uses them all (v4 spelling)", () => {
    const body = [
      "sys_sink - Everything at once",
      "@fd: descriptor",
      "@buf: buffer",
      "@len: length",
      "@mode: mode",
      "@how: how",
      "",
      "long-desc: Long.",
      "",
      "contexts: process, atomic, preempt_disabled",
      "",
      "param: fd",
      "  type: fd, input",
      "  constraint-type: range(0, INT_MAX)",
      "  cdesc: Open.",
      "param: buf",
      "  type: uptr, output | user",
      "  constraint-type: buffer(2)",
      "  size-param: 2",
      "  arch-mask: x86 = 0x1",
      "  arch-mask: arm64 = 0x3",
      "param: len",
      "  type: uint, input",
      "  constraint-type: alignment(8)",
      "param: mode",
      "  type: int, input",
      "  constraint-type: enum(A, B, C)",
      "param: how",
      "  type: int, input, optional",
      "  constraint-type: custom(check_how)",
      "",
      "return:",
      "  type: int",
      "  check-type: error_check",
      "  success: 0",
      "  success-range: 0, 0",
      "  error-values: -EBADF, -EINVAL",
      "  desc: Zero.",
      "",
      "error: EBADF, Bad fd",
      "  desc: Not open.",
      "error: (driver-specific), Whatever",
      "  desc: Anything.",
      "lock: the_lock",
      "  type: seqlock",
      "  acquired: yes",
      "  released: yes",
      "  desc: A lock.",
      "signal: SIGINT",
      "  direction: receive",
      "  action: restart",
      "  condition: Waiting",
      "  desc: Interrupts.",
      "  errno: -ERESTARTSYS",
      "  timing: before",
      "  priority: 1",
      "  restartable: yes",
      "  interruptible: yes",
      "side-effect: alloc_memory | network",
      "  target: t",
      "  condition: c",
      "  desc: d",
      "  reversible: no",
      "  includes: everything",
      "state-trans: thing",
      "  from: a",
      "  to: b",
      "  condition: c",
      "  desc: d",
      "capability: CAP_NET_ADMIN",
      "  type: override_restriction",
      "  allows: x",
      "  without: y",
      "  condition: z",
      "  priority: 2",
      "constraint: C1",
      "  desc: d",
      "  expr: a < b",
      "",
      "examples: sink(0, buf, 8, A, 0);",
      "",
      "notes: Notes.",
      "",
      "since-version: 6.9",
    ];
    const define = ["SYSCALL_DEFINE5(sink, int, fd, void __user *, buf, size_t, len, int, mode, int, how)"];
    const { specs, diagnostics, unattributed } = parseInput("sink.c", cSource(body, define).text);
    expect(diagnostics).to.deep.equal([]);
    expect(unattributed).to.deep.equal([]);
    const s = specs[0]!;
    expect(validateSpec(s).errors).to.deep.equal([]);
    expect(lintSpec(s)).to.deep.equal([]);
    expect(s.source.dialect).to.equal("v4");
    expect(s.contexts.map((c) => c.value)).to.deep.equal(["PROCESS", "ATOMIC", "PREEMPT_DISABLED"]);
    const [fd, buf, len, mode, how] = s.params;
    expect(fd!.constraint).to.equal("Open.");
    expect(buf!.flags.map((f) => f.value)).to.deep.equal(["OUT", "USER"]);
    expect(buf!).to.include({ sizeParam: "2" });
    expect(buf!.archMask).to.deep.equal(["x86 = 0x1", "arm64 = 0x3"]);
    expect(len!.constraintType).to.deep.equal({ kind: "ALIGNMENT", raw: "alignment(8)", alignment: "8" });
    expect(mode!.constraintType).to.deep.equal({ kind: "ENUM", raw: "enum(A, B, C)", values: ["A", "B", "C"] });
    expect(how!.flags.map((f) => f.value)).to.deep.equal(["IN", "OPTIONAL"]);
    expect(how!.constraintType).to.deep.equal({ kind: "CUSTOM", raw: "custom(check_how)", fn: "check_how" });
    expect(s.return).to.deep.include({ successRange: "0, 0", errorValues: ["-EBADF", "-EINVAL"], description: "Zero." });
    expect(s.errors.map((e) => [e.name, e.placeholder])).to.deep.equal([
      ["EBADF", false],
      ["(driver-specific)", true],
    ]);
    expect(s.locks[0]).to.deep.include({ acquired: "yes", released: "yes", description: "A lock." });
    expect(s.locks[0]!.type!.value).to.equal("SEQLOCK");
    expect(s.signals[0]).to.deep.include({ error: "-ERESTARTSYS", errno: "ERESTARTSYS", priority: "1", interruptible: "yes" });
    expect(s.signals[0]!.action!.value).to.equal("RESTART");
    expect(s.signals[0]!.timing!.value).to.equal("BEFORE");
    expect(s.sideEffects[0]!.types.map((t) => t.value)).to.deep.equal(["ALLOC_MEMORY", "NETWORK"]);
    expect(s.sideEffects[0]).to.deep.include({ includes: "everything", reversible: "no" });
    expect(s.stateTransitions[0]).to.deep.include({ object: "thing", from: "a", to: "b" });
    expect(s.capabilities[0]!.type!.value).to.equal("OVERRIDE_RESTRICTION");
    expect(s.capabilities[0]).to.deep.include({ priority: "2" });
    expect(s.constraints[0]).to.deep.include({ expr: "a < b" });
    expect([s.description!.text, s.examples!.text, s.notes!.text, s.since]).to.deep.equal(["Long.", "sink(0, buf, 8, A, 0);", "Notes.", "6.9"]);
  });

  it("uses only the post-image of a diff, with kernel lines from the hunk header", () => {
    const patch = [
      "From: someone",
      "Subject: [PATCH] add a spec",
      "",
      "diff --git a/fs/demo.c b/fs/demo.c",
      "--- a/fs/demo.c",
      "+++ b/fs/demo.c",
      "@@ -10,6 +10,12 @@ int helper(void)",
      " }",
      "",
      "-/* sys_demo: old words",
      "- * error: EAGAIN, the old comment said so",
      "- */",
      "+/**",
      "+ * sys_demo - New words",
      "+ * @fd: a descriptor",
      "+ *",
      "+ * error: EBADF, Bad file descriptor",
      "+ *   desc: fd is not open.",
      "+ */",
      " SYSCALL_DEFINE1(demo, int, fd)",
      " {",
      " \treturn 0;",
    ].join("\n");
    const { specs, diagnostics, unattributed } = parseInput("demo.patch", patch + "\n");
    expect(diagnostics).to.deep.equal([]);
    expect(unattributed).to.deep.equal([]);
    expect(specs).to.have.length(1);
    const s = specs[0]!;
    expect(JSON.stringify(s)).to.not.include("EAGAIN").and.not.include("old words").and.not.include("old comment");
    expect(s.errors.map((e) => [e.name, e.source.line])).to.deep.equal([["EBADF", 17]]);
    // Post-image: "}" is kernel line 10, the mangled empty context line 11, "/**" 12.
    expect(s.source).to.include({ format: "patch", kernelFile: "fs/demo.c", kernelLine: 12, line: 13, endLine: 19 });
    expect(s.source.syscallDefine).to.deep.equal({ name: "demo", arity: 1, args: ["fd"], line: 20 });
  });

  it("reports an unterminated KAPI comment and a truncated hunk at their lines", () => {
    const unterminated = parseInput("cut.c", ["int x;", "/**", " * sys_cut - Cut off", " * param: a", " *   type: KAPI_TYPE_INT"].join("\n"));
    expect(unterminated.specs).to.deep.equal([]);
    expect(unterminated.diagnostics.map((d) => [d.severity, d.line, d.code])).to.deep.equal([["error", 2, "unterminated-comment"]]);
    const truncated = parseInput("cut.patch", ["+++ b/a.c", "@@ -1,2 +1,5 @@", "+/**", "this line is not diff"].join("\n"));
    expect(truncated.diagnostics.map((d) => [d.severity, d.line, d.code])).to.deep.equal([["warning", 4, "truncated-hunk"]]);
  });

  it("normalises v5 constants and v4 aliases to one spelling; unknown tokens pass through", () => {
    expect(normalise("type", "KAPI_TYPE_USER_PTR")).to.deep.equal({ value: "USER_PTR", raw: "KAPI_TYPE_USER_PTR", known: true });
    expect(normalise("type", "uptr")).to.deep.equal({ value: "USER_PTR", raw: "uptr", known: true });
    expect(normalise("paramFlag", "input").value).to.equal("IN");
    expect(normalise("paramFlag", "out").value).to.equal("OUT");
    expect(normalise("context", "preempt_disabled")).to.deep.equal({ value: "PREEMPT_DISABLED", raw: "preempt_disabled", known: true });
    expect(normalise("signalAction", "KAPI_SIGNAL_ACTION_COREDUMP").value).to.equal("COREDUMP");
    expect(normalise("signalTiming", "KAPI_SIGNAL_TIME_DURING").value).to.equal("DURING");
    expect(normalise("returnCheck", "error_check").value).to.equal("ERROR_CHECK");
    expect(normalise("lock", "KAPI_TYPE_INT")).to.deep.equal({ value: "KAPI_TYPE_INT", raw: "KAPI_TYPE_INT", known: false });
    expect(normalise("effect", "teleport")).to.deep.equal({ value: "TELEPORT", raw: "teleport", known: false });
    expect(normaliseList("paramFlag", "KAPI_PARAM_IN | KAPI_PARAM_USER").map((t) => t.value)).to.deep.equal(["IN", "USER"]);
    expect(normaliseList("effect", "free_memory | modify_state").map((t) => t.value)).to.deep.equal(["FREE_MEMORY", "MODIFY_STATE"]);
  });

  it("parses constraint-type in both forms", () => {
    expect(parseConstraintType("KAPI_CONSTRAINT_RANGE")).to.deep.equal({ kind: "RANGE", raw: "KAPI_CONSTRAINT_RANGE" });
    expect(parseConstraintType("range(0, INT_MAX)")).to.deep.equal({ kind: "RANGE", raw: "range(0, INT_MAX)", min: "0", max: "INT_MAX" });
    expect(parseConstraintType("buffer(2)")).to.deep.equal({ kind: "BUFFER", raw: "buffer(2)", sizeParamIndex: 2 });
    expect(parseConstraintType("mask(A | B)")).to.deep.equal({ kind: "MASK", raw: "mask(A | B)", mask: "A | B" });
    expect(parseConstraintType("enum(SEEK_SET, SEEK_CUR, SEEK_END)")).to.deep.equal({
      kind: "ENUM",
      raw: "enum(SEEK_SET, SEEK_CUR, SEEK_END)",
      values: ["SEEK_SET", "SEEK_CUR", "SEEK_END"],
    });
    expect(parseConstraintType("alignment(8)")).to.deep.equal({ kind: "ALIGNMENT", raw: "alignment(8)", alignment: "8" });
    expect(parseConstraintType("user_string(PATH_MAX)")).to.deep.equal({ kind: "USER_STRING", raw: "user_string(PATH_MAX)", maxLen: "PATH_MAX" });
    expect(parseConstraintType("custom(check_flags)")).to.deep.equal({ kind: "CUSTOM", raw: "custom(check_flags)", fn: "check_flags" });
    expect(parseConstraintType("power_of_two")).to.deep.equal({ kind: "POWER_OF_TWO", raw: "power_of_two" });
    expect(parseConstraintType("KAPI_CONSTRAINT_USER_PATH")).to.deep.equal({ kind: "USER_PATH", raw: "KAPI_CONSTRAINT_USER_PATH" });
    expect(parseConstraintType("wibble(3)")).to.deep.equal({ kind: "UNKNOWN", raw: "wibble(3)" });
  });

  it("parses success clauses", () => {
    expect(parseSuccess("-EINPROGRESS")).to.deep.equal({ kind: "exact", raw: "-EINPROGRESS", symbol: "EINPROGRESS", negated: true });
    expect(parseSuccess("0")).to.deep.equal({ kind: "exact", raw: "0", value: "0" });
    expect(parseSuccess(">= 0")).to.deep.equal({ kind: "range", raw: ">= 0", op: ">=", bound: "0" });
    expect(parseSuccess("a new descriptor")).to.deep.equal({ kind: "text", raw: "a new descriptor" });
  });

  it("splits (1) ... (n) conditions only when they are an enumeration", () => {
    expect(splitConditions("Fails if: (1) a is bad, (2) b is bad, or (3) c is bad. Other words.")).to.deep.equal(["a is bad", "b is bad", "c is bad"]);
    expect(splitConditions("Exactly one of O_RDONLY (0), O_WRONLY (1), or O_RDWR (2).")).to.deep.equal([]);
    expect(splitConditions("Only (1) one condition.")).to.deep.equal([]);
  });
});
