// SPDX-License-Identifier: GPL-2.0-only
// The public KAPI corpus (../shared/kapi-corpus: 16 patches of RFC v5 and
// PATCH v4, and the io_cancel archive page): every input parses cleanly in
// either dialect, validates against the schema, lints clean of errors, and
// the key fields of a few specs are what the text says.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { parseInput } from "../../harness/spec/parse-input.js";
import { lintOutcome } from "../../harness/spec/lint.js";
import { validateSpec } from "../../harness/spec/schema.js";
import type { ParseOutcome } from "../../harness/spec/load.js";
import type { Spec } from "../../harness/spec/model.js";
import { ARCHIVE_NAME, corpusFile, corpusFiles, needCorpus } from "./helpers.js";

/** Lint warnings the corpus may raise, with the reason each is tolerated. None today. */
const ALLOWED_WARNINGS: Readonly<Record<string, string>> = {};

const parsed = new Map<string, ParseOutcome>();
function parse(file: string): ParseOutcome {
  let outcome = parsed.get(file);
  if (!outcome) {
    outcome = parseInput(file, readFileSync(file, "utf8"));
    parsed.set(file, outcome);
  }
  return outcome;
}
function only(part: string): Spec {
  const { specs } = parse(corpusFile(part));
  expect(specs, part).to.have.length(1);
  return specs[0]!;
}
/** Drop every `source` (SourceRef or SpecSource) and line map so two forms of one spec compare by content. */
function withoutSources(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === "source" || k === "textLines" ? undefined : v)));
}

describe("spec: KAPI corpus", function () {
  before(function () {
    needCorpus(this);
  });

  it("holds 16 patches and the archive page", () => {
    const names = corpusFiles().map((f) => path.basename(f));
    expect(names.filter((n) => n.endsWith(".patch"))).to.have.length(16);
    expect(names).to.include(ARCHIVE_NAME);
  });

  it("parses every input into one spec, with no error diagnostics and no unattributed lines", () => {
    for (const file of corpusFiles()) {
      const { specs, diagnostics, unattributed } = parse(file);
      const errors = diagnostics.filter((d) => d.severity === "error");
      expect(errors, `${path.basename(file)}: ${JSON.stringify(errors)}`).to.deep.equal([]);
      expect(unattributed, path.basename(file)).to.deep.equal([]);
      expect(specs, path.basename(file)).to.have.length(1);
    }
  });

  it("detects the dialect per block: v5 for RFC v5 and the archive, v4 for PATCH v4", () => {
    for (const file of corpusFiles()) {
      const want = path.basename(file).includes("PATCH_v4") ? "v4" : "v5";
      expect(parse(file).specs[0]!.source.dialect, path.basename(file)).to.equal(want);
    }
  });

  it("records the kernel file and post-image kernel line from the diff", () => {
    const read = only("PATCH_v4_07_11");
    expect(read.source).to.include({ format: "patch", kernelFile: "fs/read_write.c", kernelLine: 724 });
    const archive = parse(corpusFile(ARCHIVE_NAME)).specs[0]!;
    expect(archive.source).to.include({ format: "archive", kernelFile: "fs/aio.c", kernelLine: 2846 });
  });

  it("emits specs that all validate against specs/kapi-spec.schema.json", () => {
    for (const file of corpusFiles()) {
      for (const spec of parse(file).specs) {
        const result = validateSpec(spec);
        expect(result.errors, `${path.basename(file)}: ${spec.name}`).to.deep.equal([]);
        expect(result.valid).to.equal(true);
      }
    }
  });

  it("lints clean of errors, and raises only allowed warnings", () => {
    for (const file of corpusFiles()) {
      const found = lintOutcome(parse(file));
      expect(found.filter((d) => d.severity === "error"), path.basename(file)).to.deep.equal([]);
      const unexpected = found.filter((d) => d.severity === "warning" && !(d.code in ALLOWED_WARNINGS));
      expect(unexpected, path.basename(file)).to.deep.equal([]);
    }
  });

  it("gives the same io_cancel spec from the patch and from the archive page, apart from source", () => {
    const patch = only("v5_08_15_kernel_api_add_API_specification_for_io_cancel");
    const archive = parse(corpusFile(ARCHIVE_NAME)).specs[0]!;
    expect(withoutSources(patch)).to.deep.equal(withoutSources(archive));
    // The archive page has 16 lines of web page above the same patch text.
    expect(archive.errors[0]!.source.line - patch.errors[0]!.source.line).to.equal(16);
    expect(patch.errors[0]!.source.line).to.equal(99);
    expect(patch.source.format).to.equal("patch");
  });

  it("never lets the removed ('-') comment leak into a spec", () => {
    for (const part of ["v5_08_15_kernel_api_add_API_specification_for_io_cancel", ARCHIVE_NAME]) {
      const spec = parse(corpusFile(part)).specs[0]!;
      const json = JSON.stringify(spec);
      // Phrases only the old io_cancel comment has. (The new text itself says the man page
      // "claims 0 is returned" and documents EAGAIN, so those words alone prove nothing.)
      for (const old of [
        "into the completion queue and 0 is returned",
        "May fail with -EAGAIN",
        "sys_io_cancel:",
        "an iocb previously passed to io_submit",
        "Will fail with -ENOSYS if not implemented",
      ]) {
        expect(json, `${part}: '${old}'`).to.not.include(old);
      }
      // The new text mentions EAGAIN only to say the man page is wrong; it is never an error block.
      expect(spec.errors.map((e) => e.name)).to.not.include("EAGAIN");
      expect(spec.source.line).to.be.greaterThan(0);
    }
    const setup = only("io_setup");
    expect(JSON.stringify(setup)).to.not.include("ctxp must not point to an aio_context that already exists");
  });

  it("io_submit (v5): params, range success, signal errno on the signal, capabilities", () => {
    const s = only("io_submit");
    expect(s.params.map((p) => p.name)).to.deep.equal(["ctx_id", "nr", "iocbpp"]);
    expect(s.params[1]!.constraintType).to.deep.equal({ kind: "RANGE", raw: "KAPI_CONSTRAINT_RANGE", min: "0", max: "LONG_MAX" });
    expect(s.params[1]!.range).to.deep.equal({ min: "0", max: "LONG_MAX" });
    expect(s.return!.checkType!.value).to.equal("RANGE");
    expect(s.return!.success).to.deep.equal({ kind: "range", raw: ">= 0", op: ">=", bound: "0" });
    expect(s.errors.map((e) => e.name)).to.deep.equal(["EINVAL", "EFAULT", "EBADF", "EAGAIN", "EPERM", "EOPNOTSUPP", "EOVERFLOW", "ENOMEM"]);
    expect(s.errors.find((e) => e.name === "EFAULT")!.conditions).to.have.length(5);
    expect(s.signals).to.have.length(1);
    const signal = s.signals[0]!;
    expect(signal.name).to.equal("any");
    expect(signal.direction?.value).to.equal("RECEIVE");
    expect(signal.action?.value).to.equal("TRANSFORM");
    expect(signal.timing?.value).to.equal("DURING");
    expect(signal.error).to.equal("-EINTR (in io_event.res, not syscall return)");
    expect(signal.errno).to.equal("EINTR");
    expect(signal.restartable).to.equal("no");
    expect(s.errors.map((e) => e.name)).to.not.include("EINTR");
    expect(s.capabilities.map((c) => [c.name, c.type?.value])).to.deep.equal([
      ["CAP_SYS_ADMIN", "GRANT_PERMISSION"],
      ["CAP_SYS_NICE", "GRANT_PERMISSION"],
    ]);
    expect(s.capabilities[0]!.without).to.equal("Returns EPERM when attempting to use RT I/O priority");
    expect(s.contexts.map((c) => c.value)).to.deep.equal(["PROCESS", "SLEEPABLE"]);
    expect(s.source.syscallDefine).to.include({ arity: 3 });
    expect(s.source.syscallDefine!.args).to.deep.equal(["ctx_id", "nr", "iocbpp"]);
  });

  it("sys_read (v4): aliases, function-form constraint types, cdesc, errno", () => {
    const s = only("PATCH_v4_07_11");
    expect(s.name).to.equal("read");
    expect(s.source.dialect).to.equal("v4");
    expect(s.contexts).to.deep.equal([
      { value: "PROCESS", raw: "process", known: true },
      { value: "SLEEPABLE", raw: "sleepable", known: true },
    ]);
    const [fd, buf, count] = s.params;
    expect(fd!.type).to.deep.equal({ value: "FD", raw: "fd", known: true });
    expect(fd!.flags).to.deep.equal([{ value: "IN", raw: "input", known: true }]);
    expect(fd!.constraintType).to.deep.equal({ kind: "RANGE", raw: "range(0, INT_MAX)", min: "0", max: "INT_MAX" });
    expect(fd!.constraint).to.match(/^Must be a valid, open file descriptor with read permission\. .* valid if open and readable\.$/);
    expect(buf!.type!.value).to.equal("USER_PTR");
    expect(buf!.flags.map((f) => f.value)).to.deep.equal(["OUT"]);
    expect(buf!.constraintType).to.deep.equal({ kind: "BUFFER", raw: "buffer(2)", sizeParamIndex: 2 });
    expect(count!.constraintType).to.include({ kind: "RANGE", max: "SIZE_MAX" });
    expect(s.return!.checkType).to.deep.equal({ value: "RANGE", raw: "range", known: true });
    expect(s.signals).to.have.length(1);
    expect(s.signals[0]).to.include({ name: "Any signal", error: "-EINTR", errno: "EINTR", restartable: "yes" });
    expect(s.signals[0]!.timing).to.deep.equal({ value: "DURING", raw: "during", known: true });
    expect(s.errors).to.have.length(15);
    expect(s.locks.map((l) => [l.type?.value, l.acquired, l.released])).to.deep.equal([
      ["MUTEX", "conditional", "true"],
      ["CUSTOM", "conditional", "true"],
      ["RCU", "conditional", "true"],
    ]);
    expect(s.capabilities.map((c) => c.type?.value)).to.deep.equal(["BYPASS_CHECK", "BYPASS_CHECK"]);
    expect(s.since).to.equal(undefined);
    // The notes keep "Race condition:" (a line that looks like a key) as prose.
    expect(s.notes!.text).to.include("\n\nRace condition: Concurrent reads from the same file description");
    expect(s.notes!.text).to.include("\n\n- Regular files: Reads from current position, advances position, returns 0 at EOF.");
  });

  it("madvise (v4): multi-type side effects, continued expr, mask and page_aligned constraints", () => {
    const s = only("sys_madvise");
    expect(s.params[0]!.constraintType).to.deep.equal({ kind: "PAGE_ALIGNED", raw: "page_aligned" });
    expect(s.params[2]!.constraintType).to.equal(undefined);
    expect(s.sideEffects[1]!.types.map((t) => t.value)).to.deep.equal(["FREE_MEMORY", "MODIFY_STATE", "IRREVERSIBLE"]);
    const mseal = s.constraints.find((c) => c.name === "mseal-protected discards")!;
    expect(mseal.expr).to.equal(
      "!is_discard(behavior) || !vma_is_sealed(vma) || !vma_is_anonymous(vma) || ((vma->vm_flags & VM_WRITE) && arch_vma_access_permitted(vma, true, false, false))",
    );
    expect(s.signals[0]!.condition).to.equal("Acquiring the mmap write lock or faulting in pages for MADV_POPULATE_*");
    // A long-desc line ending in "handler:" and a nested "- item" list stay prose.
    expect(s.description!.text).to.include("varies by handler:\n\n- Hint behaviors update VMA flags.");
  });

  it("open (v4 and v5): the multi-line mask and valid-mask fold into the constraint type", () => {
    const v4 = only("PATCH_v4_05_11");
    const v5 = only("v5_12_15");
    expect(v4.params[1]!.constraintType).to.include({ kind: "MASK" });
    const v4Mask = (v4.params[1]!.constraintType as { mask?: string }).mask!;
    expect(v4Mask).to.match(/^O_RDONLY \| O_WRONLY .* O_CLOEXEC \| O_PATH \| O_TMPFILE$/);
    expect(v5.params[1]!.validMask).to.equal(v4Mask);
    expect(v5.params[1]!.constraintType).to.deep.equal({ kind: "MASK", raw: "KAPI_CONSTRAINT_MASK", mask: v4Mask });
    expect(v5.return!.checkType!.value).to.equal("FD");
  });

  it("setxattr (v5): USER_STRING takes its maximum length from range:", () => {
    const s = only("for_setxattr.patch");
    expect(s.params[1]!.constraintType).to.deep.equal({ kind: "USER_STRING", raw: "KAPI_CONSTRAINT_USER_STRING", maxLen: "255" });
    expect(s.errors).to.have.length(19);
  });
});
