// SPDX-License-Identifier: GPL-2.0-only
// The contradiction lint: two places in one spec that attach different errnos
// to the same condition give one warning naming both file:line. Synthetic
// specs and edited copies of the bundled io_cancel spec show each kind; the
// bundled spec and the corpus give none (the near misses are listed below).
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { contradictionDiagnostics, contradictions, errnoPlaces } from "../../harness/spec/contradictions.js";
import { lintOutcome } from "../../harness/spec/lint.js";
import { loadSpecs } from "../../harness/spec/load.js";
import { parseInput } from "../../harness/spec/parse-input.js";
import type { Spec } from "../../harness/spec/model.js";
import { CORPUS, DEMO_DEFINE, ROOT, cSource, corpusFiles, demoBody, needCorpus } from "./helpers.js";

const FILE = "drivers/demo.c";
const ARCHIVE = path.join(ROOT, "specs", "io_cancel.archive.txt");
const ORIGINAL = readFileSync(ARCHIVE, "utf8");

/** The demo spec with a constraint on buf and extra error blocks; returns the spec and body line numbers. */
function demo(constraint: string[], errors: string[]): { spec: Spec; line: (i: number) => number; body: string[] } {
  const body = demoBody();
  const at = body.indexOf("  flags: KAPI_PARAM_OUT | KAPI_PARAM_USER") + 1;
  body.splice(at, 0, ...constraint);
  body.push("", ...errors);
  const src = cSource(body, DEMO_DEFINE);
  const out = parseInput(FILE, src.text);
  return { spec: out.specs[0]!, line: src.line, body };
}

function archiveLine(fragment: string, text = ORIGINAL): number {
  const hits = text.split("\n").flatMap((l, i) => (l.includes(fragment) ? [i + 1] : []));
  expect(hits, fragment).to.have.length(1);
  return hits[0]!;
}

describe("spec: contradictions between places of one spec", () => {
  it("a param constraint's EFAULT against an error block's EINVAL for a NULL buffer: one warning naming both lines", () => {
    const { spec, line, body } = demo(
      ["  constraint: Must point to writable memory. A NULL pointer will result in EFAULT."],
      ["error: EINVAL, Invalid buffer", "  desc: Returned when buf is unaligned. A NULL buf pointer also gives this error."],
    );
    const found = contradictionDiagnostics(spec);
    expect(found).to.have.length(1);
    const d = found[0]!;
    const constraintLine = line(body.findIndex((l) => l.includes("A NULL pointer")));
    const errorLine = line(body.findIndex((l) => l.includes("A NULL buf pointer")));
    expect([d.severity, d.code, d.file, d.line]).to.deep.equal(["warning", "errno-contradiction", FILE, constraintLine]);
    expect(d.message).to.include(`EFAULT at ${FILE}:${constraintLine}`).and.include(`EINVAL at ${FILE}:${errorLine}`);
    // lint carries it, as a warning beside no error.
    const all = lintOutcome(parseInput(FILE, cSource(body, DEMO_DEFINE).text));
    expect(all.map((x) => [x.severity, x.code])).to.deep.equal([["warning", "errno-contradiction"]]);
  });

  it("against an enumerated condition, at the line that condition is written on", () => {
    const { spec, line, body } = demo(
      ["  constraint: Passing a misaligned buffer returns EFAULT."],
      ["error: EINVAL, Bad buffer", "  desc: Returned when: (1) the buffer is too small,", "    (2) the buffer is misaligned, or (3) the count is 0."],
    );
    const [c] = contradictions(spec);
    expect(c).to.not.equal(undefined);
    expect([c!.a.errno, c!.a.line, c!.b.errno, c!.b.condition, c!.b.line]).to.deep.equal([
      "EFAULT",
      line(body.findIndex((l) => l.includes("misaligned buffer"))),
      "EINVAL",
      "the buffer is misaligned",
      line(body.findIndex((l) => l.includes("(2) the buffer is misaligned"))),
    ]);
  });

  it("two prose claims: a constraint block against the return's desc", () => {
    const { spec } = demo([], ["constraint: Size limit", "  desc: A buffer larger than the page size is rejected with EINVAL."]);
    spec.return!.description = "Returns E2BIG when the buffer is larger than the page size.";
    const found = contradictions(spec);
    // Ordered by line: the return block comes first.
    expect(found.map((c) => [c.a.errno, c.b.errno])).to.deep.equal([["E2BIG", "EINVAL"]]);
  });

  it("stays quiet for the same errno, other conditions, denials, reports, one sentence's list, and two error blocks", () => {
    const { spec } = demo(
      [
        "  constraint: A NULL pointer will result in EFAULT. A huge count returns ENOMEM",
        "    or EOVERFLOW. It does not return EINVAL for a NULL buf. The man page says",
        "    a NULL buf gives EINVAL.",
      ],
      [
        "error: EFAULT, Bad address",
        "  desc: A NULL buf pointer gives this error.",
        "",
        "error: EINVAL, Bad buffer",
        "  desc: The buffer is misaligned.",
        "",
        "error: ENOSPC, No space",
        "  desc: The buffer is misaligned.",
      ],
    );
    expect(contradictions(spec)).to.deep.equal([]);
    expect(errnoPlaces(spec).map((p) => `${p.kind}:${p.errno}`)).to.include.members(["claim:EFAULT", "claim:ENOMEM", "claim:EOVERFLOW", "sentence:EINVAL"]);
  });

  it("the bundled io_cancel spec gives none; with the param's EFAULT edited to EINVAL, one naming both lines", async () => {
    const clean = (await loadSpecs([ARCHIVE])).specs[0]!;
    expect(contradictionDiagnostics(clean)).to.deep.equal([]);
    const edited = ORIGINAL.replace("A NULL pointer will result in EFAULT.", "A NULL pointer will result in EINVAL.");
    const spec = parseInput(ARCHIVE, edited).specs[0]!;
    const found = contradictionDiagnostics(spec);
    expect(found).to.have.length(1);
    const param = archiveLine("A NULL pointer will result in EINVAL.", edited);
    const block = archiveLine("A NULL iocb pointer will trigger this error.");
    expect(found[0]!.line).to.equal(param);
    expect(found[0]!.message).to.include(`EINVAL at ${ARCHIVE}:${param}`).and.include(`EFAULT at ${ARCHIVE}:${block}`);
  });

  it("the corpus gives none", async function () {
    needCorpus(this);
    // Looser rules (a claim's condition without its item's subject) find seven near misses, none
    // a contradiction: CAP_SETFCAP's "setting security.capability returns EPERM" against EINVAL for
    // malformed capability values (setxattr, lsetxattr, fsetxattr v5), file-max's "this limit is
    // reached" (ENFILE) against the per-process limit (EMFILE) in open v5 and v4, and
    // RLIMIT_FSIZE's EFBIG against EOVERFLOW for filesystem limits in write v5 and v4.
    const out = await loadSpecs(corpusFiles());
    expect(out.specs.length, `specs in ${CORPUS}`).to.be.greaterThan(15);
    const found = out.specs.flatMap((s) => contradictionDiagnostics(s).map((d) => `${s.name}: ${d.message}`));
    expect(found).to.deep.equal([]);
  });

  it("stays fast on a 200 KB constraint of claims (the parser fuzzer lints such lines)", () => {
    const claims = Array.from({ length: 4000 }, (_, i) => `A NULL item${i % 50} pointer will result in ${["EFAULT", "EINVAL", "ENOMEM", "EBADF"][i % 4]}.`).join(" ");
    const t0 = performance.now();
    const { spec } = demo([`  constraint: ${claims}`], ["error: EIO, I/O", `  desc: ${"A NULL thing returns this. ".repeat(4000)}`]);
    const found = contradictions(spec);
    expect(performance.now() - t0, "ms").to.be.lessThan(1500);
    // Item k is claimed with two errnos (k % 4 and (k + 2) % 4), all on one line: reported once per pair of errnos there.
    expect(found.map((c) => `${c.a.errno}/${c.b.errno}`).sort()).to.deep.equal(["EBADF/EINVAL", "EFAULT/ENOMEM", "EINVAL/EBADF", "ENOMEM/EFAULT"]);
  });
});
