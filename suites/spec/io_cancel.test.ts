// SPDX-License-Identifier: GPL-2.0-only
// The bundled io_cancel spec (specs/io_cancel.archive.txt), field by field,
// and the checked-in specs/io_cancel.spec.json against a fresh parse.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { DEFAULT_SPEC_INPUT } from "../../harness/spec/load.js";
import { parseInput } from "../../harness/spec/parse-input.js";
import type { Spec } from "../../harness/spec/model.js";
import { ROOT } from "./helpers.js";

const archiveText = readFileSync(path.join(ROOT, DEFAULT_SPEC_INPUT), "utf8");
const archiveLines = archiveText.split("\n");

function parseBundled() {
  return parseInput(DEFAULT_SPEC_INPUT, archiveText);
}

/** The 1-based line of the archive that equals `text` (exactly one must). */
function lineOf(text: string): number {
  const hits = archiveLines.flatMap((l, i) => (l === text ? [i + 1] : []));
  expect(hits, `lines equal to ${JSON.stringify(text)}`).to.have.length(1);
  return hits[0]!;
}

describe("spec: bundled io_cancel", () => {
  let spec: Spec;
  before(() => {
    const outcome = parseBundled();
    expect(outcome.specs).to.have.length(1);
    expect(outcome.diagnostics).to.deep.equal([]);
    expect(outcome.unattributed).to.deep.equal([]);
    spec = outcome.specs[0]!;
  });

  it("has the header, contexts, since and dialect", () => {
    expect(spec.name).to.equal("io_cancel");
    expect(spec.summary).to.equal("Attempt to cancel an outstanding asynchronous I/O operation");
    expect(spec.contexts.map((c) => c.value)).to.deep.equal(["PROCESS", "ATOMIC"]);
    expect(spec.contexts.map((c) => c.raw)).to.deep.equal(["KAPI_CTX_PROCESS", "KAPI_CTX_ATOMIC"]);
    expect(spec.since).to.equal("2.5");
    expect(spec.source).to.include({ file: DEFAULT_SPEC_INPUT, format: "archive", dialect: "v5", kernelFile: "fs/aio.c", kernelLine: 2846 });
    expect(spec.source.line).to.equal(lineOf("+/**"));
    expect(spec.source.syscallDefine).to.deep.equal({
      name: "io_cancel",
      arity: 3,
      args: ["ctx_id", "iocb", "result"],
      line: lineOf(" SYSCALL_DEFINE3(io_cancel, aio_context_t, ctx_id, struct iocb __user *, iocb,"),
    });
  });

  it("has three params in call order with types, flags and constraint types", () => {
    expect(spec.params.map((p) => p.name)).to.deep.equal(["ctx_id", "iocb", "result"]);
    expect(spec.params.map((p) => p.index)).to.deep.equal([0, 1, 2]);
    const [ctx, iocb, result] = spec.params;
    expect(ctx!.type?.value).to.equal("UINT");
    expect(ctx!.constraintType).to.deep.equal({ kind: "CUSTOM", raw: "KAPI_CONSTRAINT_CUSTOM" });
    expect(iocb!.type).to.deep.equal({ value: "USER_PTR", raw: "KAPI_TYPE_USER_PTR", known: true });
    expect(iocb!.flags.map((f) => f.value)).to.deep.equal(["IN", "USER"]);
    expect(iocb!.size).to.equal("sizeof(struct iocb)");
    expect(iocb!.constraintType?.kind).to.equal("USER_PTR");
    expect(iocb!.constraint).to.match(/^Must be a valid userspace pointer to a struct iocb .* for cancellation to succeed\.$/);
    expect(iocb!.headerDescription).to.equal("Pointer to the iocb structure that was previously submitted");
    expect(result!.flags.map((f) => f.value)).to.include("OPTIONAL");
    expect(result!.constraintType?.kind).to.equal("NONE");
    expect(spec.params.map((p) => p.source.line)).to.deep.equal([
      lineOf("+ * param: ctx_id"),
      lineOf("+ * param: iocb"),
      lineOf("+ * param: result"),
    ]);
  });

  it("has the return clause: ERROR_CHECK with success -EINPROGRESS", () => {
    const r = spec.return!;
    expect(r.type?.value).to.equal("INT");
    expect(r.checkType).to.deep.equal({ value: "ERROR_CHECK", raw: "KAPI_RETURN_ERROR_CHECK", known: true });
    expect(r.success).to.deep.equal({ kind: "exact", raw: "-EINPROGRESS", symbol: "EINPROGRESS", negated: true });
    expect(r.description).to.match(/^Returns -EINPROGRESS when .* claims 0 is returned on success\.$/);
    expect(r.source.line).to.equal(lineOf("+ * return:"));
  });

  it("has six error blocks in order, with distinct EINVAL summaries and split conditions", () => {
    expect(spec.errors.map((e) => e.name)).to.deep.equal(["EFAULT", "EINVAL", "EINVAL", "EINVAL", "ENOSYS", "(driver-specific)"]);
    expect(spec.errors.map((e) => e.index)).to.deep.equal([0, 1, 2, 3, 4, 5]);
    expect(spec.errors.map((e) => e.placeholder)).to.deep.equal([false, false, false, false, false, true]);
    const einval = spec.errors.filter((e) => e.name === "EINVAL").map((e) => e.summary);
    expect(einval).to.deep.equal(["iocb not submitted via io_submit", "Invalid AIO context", "iocb not found or not cancellable"]);
    expect(new Set(einval).size).to.equal(3);
    const context = spec.errors[2]!;
    expect(context.conditions).to.deep.equal([
      "the context was never created",
      "the context was destroyed via io_destroy()",
      "the ctx_id is 0",
      "the ring buffer header cannot be read from userspace",
      "the context belongs to a different process",
      "the context's internal ID doesn't match",
    ]);
    expect(spec.errors[3]!.conditions).to.have.length(4);
    expect(spec.errors[3]!.conditions[3]).to.equal(
      "the operation did not register a cancellation callback (though in this case EINVAL comes from the default ret value)",
    );
    expect(spec.errors[0]!.conditions).to.deep.equal([]);
    expect(spec.errors[5]!.summary).to.equal("Cancellation callback failed");
  });

  it("records the header line of every error block (EFAULT on archive line 115)", () => {
    expect(spec.errors[0]!.source).to.deep.equal({ file: DEFAULT_SPEC_INPUT, line: 115 });
    expect(archiveLines[114]).to.equal("+ * error: EFAULT, Cannot read iocb from userspace");
    for (const e of spec.errors) expect(archiveLines[e.source.line - 1]).to.match(new RegExp(`^\\+ \\* error: ${e.name.replace(/[()]/g, "\\$&")}, `));
  });

  it("has two locks, three side effects, two state transitions and three constraints", () => {
    expect(spec.locks.map((l) => [l.name, l.type?.value])).to.deep.equal([
      ["RCU read lock", "RCU"],
      ["ctx->ctx_lock", "SPINLOCK"],
    ]);
    expect(spec.sideEffects.map((s) => s.types.map((t) => t.value).join("|"))).to.deep.equal(["MODIFY_STATE", "MODIFY_STATE", "SCHEDULE"]);
    expect(spec.sideEffects[0]).to.include({
      target: "ctx->active_reqs list",
      condition: "iocb found and ki_cancel callback invoked",
      reversible: "no",
    });
    expect(spec.stateTransitions.map((t) => [t.object, t.from, t.to])).to.deep.equal([
      ["kiocb state", "in_flight (in active_reqs list)", "cancelling (removed from list, cancel callback invoked)"],
      ["poll_iocb cancelled flag", "false", "true"],
    ]);
    expect(spec.constraints.map((c) => c.name)).to.deep.equal([
      "Operation must support cancellation",
      "Timing window for cancellation",
      "CONFIG_AIO required",
    ]);
    expect(spec.signals).to.deep.equal([]);
    expect(spec.capabilities).to.deep.equal([]);
  });

  it("keeps prose: paragraphs, list lines, and 'key:'-looking lines", () => {
    const text = spec.description!.text;
    expect(text.split("\n\n")).to.have.length(5);
    expect(text).to.include("\n\nImportant limitations:\n- Most file I/O operations do not support cancellation\n- The iocb must");
    expect(text).to.include(
      "- For poll operations (IOCB_CMD_POLL): The request is marked as cancelled and a work item is scheduled to complete the cancellation.\n",
    );
    expect(spec.examples!.text.split("\n")).to.deep.equal([
      "io_cancel(ctx, &iocb, NULL);  // Cancel with unused result param",
      "if (io_cancel(ctx, &iocb, NULL) == -EINPROGRESS) handle_cancellation();",
      "ret = io_cancel(ctx, &iocb, NULL); if (ret && ret != -EINPROGRESS) error();",
    ]);
    expect(spec.notes!.text.split("\n\n")).to.have.length(8);
    expect(spec.notes!.text).to.match(/^The return value semantics are unusual: .*IORING_OP_ASYNC_CANCEL\.$/s);
    expect(spec.notes!.source.line).to.equal(lineOf("+ * notes: The return value semantics are unusual: -EINPROGRESS indicates"));
  });

  it("matches the checked-in specs/io_cancel.spec.json (run `npm run specs` after changing the parser)", () => {
    const checkedIn = JSON.parse(readFileSync(path.join(ROOT, "specs", "io_cancel.spec.json"), "utf8")) as unknown;
    const fresh = JSON.parse(JSON.stringify(spec)) as unknown;
    expect(fresh, "specs/io_cancel.spec.json is stale: run `npm run specs` and commit the result").to.deep.equal(checkedIn);
  });
});
