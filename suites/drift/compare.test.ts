// SPDX-License-Identifier: GPL-2.0-only
// The three-way drift comparison: each verdict from synthetic sources, then
// the real table for io_cancel on this machine (spec, live kernel, installed
// man page), as the issue describes it.
import { expect } from "chai";
import { existsSync } from "node:fs";
import { compareSources, type DriftRow } from "../../harness/drift/compare.js";
import { buildDrift } from "../../harness/drift/report.js";
import type { ManClaims } from "../../harness/drift/manpage.js";
import { defaultSpecPath, loadSpecs } from "../../harness/spec/load.js";
import type { Spec } from "../../harness/spec/model.js";
import { runConformance } from "../../harness/run/conformance.js";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import type { CaseResult, RunResults } from "../../harness/run/results.js";
import { skipBecause } from "../support/skip.js";

const IO_CANCEL = suiteRefFor("io_cancel")!;

const { specs } = await loadSpecs([defaultSpecPath()]);
const spec: Spec = specs[0]!;

function caseOf(partial: Partial<CaseResult> & Pick<CaseResult, "id" | "verdict">): CaseResult {
  return {
    title: partial.id,
    syscall: "io_cancel",
    scenario: partial.id,
    specRef: { section: "errors", index: 0, summary: "", file: "f", line: 1 },
    expected: { outcome: "error" },
    observed: {},
    durationMs: 0,
    ...partial,
  };
}

function results(cases: CaseResult[]): RunResults {
  return {
    tool: { name: "kapi-conform", version: "0" },
    startedAt: "",
    durationMs: 0,
    kernel: { release: "6.18", version: "", machine: "x86_64", arch: "x86_64", config: {} },
    status: "complete",
    specs: [{ name: "io_cancel", file: "f", line: 1, format: "archive", dialect: "v5" }],
    unsuited: [],
    cases,
    coverage: [],
    observations: [],
    totals: { pass: 0, fail: 0, skip: 0, error: 0, timeout: 0, xfail: 0, xpass: 0 },
  };
}

const man = (success: string | undefined, errnos: string[]): ManClaims => ({
  page: "io_cancel.2",
  name: "io_cancel",
  ...(success === undefined ? {} : { success: { value: success, text: `returns ${success}`, line: 1 } }),
  errors: errnos.map((errno, i) => ({ errno, text: `${errno} text`, line: 10 + i })),
  returnText: "",
});

const row = (rows: DriftRow[], claim: string): DriftRow => {
  const r = rows.find((x) => x.claim === claim);
  expect(r, `no row for ${claim}`).to.not.equal(undefined);
  return r!;
};

const einval = (index: number, summary: string) => ({ section: "errors", index, summary, line: 1 });

describe("drift: three-way verdicts", function () {
  const success = caseOf({ id: "s", verdict: "pass", expected: { outcome: "success", success: "-EINPROGRESS" }, observed: { ret: "-1", errno: "EINPROGRESS" } });

  it("man page outdated on the success value when spec and kernel agree", function () {
    const rows = compareSources(spec, results([success]), man("0", []));
    expect(row(rows, "success value")).to.include({ verdict: "man page outdated" });
    expect(row(rows, "success value").kernel).to.include("-EINPROGRESS");
  });

  it("all agree when the man page gives the spec's success value", function () {
    expect(row(compareSources(spec, results([success]), man("-EINPROGRESS", [])), "success value").verdict).to.equal("all agree");
  });

  it("spec and kernel disagree when the success case failed", function () {
    const failed = { ...success, verdict: "fail" as const, observed: { ret: "0" } };
    expect(row(compareSources(spec, results([failed]), man("0", [])), "success value").verdict).to.equal("spec and kernel disagree");
  });

  it("an errno only the man page lists, never returned: man page outdated", function () {
    const r = row(compareSources(spec, results([success]), man("0", ["EAGAIN"])), "EAGAIN");
    expect(r.verdict).to.equal("man page outdated");
    expect(r.spec).to.equal("not listed");
    expect(r.kernel).to.match(/never returned/);
  });

  it("an errno returned that no source documents: returned but undocumented", function () {
    const odd = caseOf({ id: "x", verdict: "fail", observed: { ret: "-1", errno: "EPERM" } });
    expect(row(compareSources(spec, results([odd]), man("0", [])), "EPERM").verdict).to.equal("returned but undocumented");
  });

  it("an errno returned that the man page has and the spec lacks: spec and kernel disagree", function () {
    const odd = caseOf({ id: "x", verdict: "fail", observed: { ret: "-1", errno: "EPERM" } });
    expect(row(compareSources(spec, results([odd]), man("0", ["EPERM"])), "EPERM").verdict).to.equal("spec and kernel disagree");
  });

  it("EINVAL confirmed for more spec blocks than the man page describes: man page incomplete", function () {
    const cases = [1, 2, 3].map((i) => caseOf({ id: `e${i}`, verdict: "pass", expected: { outcome: "error", errno: "EINVAL", from: einval(i, `block ${i}`) }, observed: { ret: "-1", errno: "EINVAL" } }));
    expect(row(compareSources(spec, results(cases), man("0", ["EINVAL"])), "EINVAL").verdict).to.equal("man page incomplete");
    expect(row(compareSources(spec, results(cases.slice(0, 1)), man("0", ["EINVAL"])), "EINVAL").verdict).to.equal("all agree");
  });

  it("an errno whose cases were all skipped: not exercisable here, with the reason", function () {
    const skipped = caseOf({ id: "n", verdict: "skip", reason: "needs CONFIG_AIO unset", expected: { outcome: "error", errno: "ENOSYS" } });
    const r = row(compareSources(spec, results([success, skipped]), man("0", ["ENOSYS"])), "ENOSYS");
    expect(r.verdict).to.equal("not exercisable here");
    expect(r.kernel).to.include("needs CONFIG_AIO unset");
  });

  it("a documented errno no case provoked: documented but never returned", function () {
    const r = row(compareSources(spec, results([success]), man("0", [])), "EFAULT");
    expect(r.verdict).to.equal("documented but never returned");
  });

  it("two spellings of one errno are one row: the man page's ENOTSUP is the kernel's EOPNOTSUPP", function () {
    const eopnotsupp = { ...spec.errors[0]!, name: "EOPNOTSUPP", summary: "no handler for the namespace" };
    const withIt: Spec = { ...spec, errors: [...spec.errors, eopnotsupp] };
    const returned = caseOf({ id: "o", verdict: "pass", expected: { outcome: "error", errno: "EOPNOTSUPP", from: einval(eopnotsupp.index, eopnotsupp.summary) }, observed: { ret: "-1", errno: "EOPNOTSUPP" } });
    const rows = compareSources(withIt, results([success, returned]), man("0", ["ENOTSUP"]));
    expect(rows.map((r) => r.claim).filter((c) => c === "ENOTSUP" || c === "EOPNOTSUPP")).to.deep.equal(["EOPNOTSUPP"]);
    const r = row(rows, "EOPNOTSUPP");
    expect(r.verdict).to.equal("all agree");
    expect(r.man).to.include("ENOTSUP text");
    expect(r.explanation).to.include("ENOTSUP: another name for EOPNOTSUPP, errno 95");
    // EWOULDBLOCK in a man page is EAGAIN; still documented by the man page only.
    expect(row(compareSources(spec, results([success]), man("0", ["EWOULDBLOCK"])), "EAGAIN").verdict).to.equal("man page outdated");
  });

  it("without a man page, rows say so and compare spec with kernel only", function () {
    expect(row(compareSources(spec, results([success]), undefined), "success value")).to.include({ verdict: "all agree", man: "no man page" });
  });
});

describe("drift on this machine: io_cancel spec vs live kernel vs installed man page", function () {
  let rows: DriftRow[];
  let libraries: Awaited<ReturnType<typeof buildDrift>>["libraries"];
  before(async function () {
    if (!existsSync("/usr/share/man/man2/io_cancel.2.gz")) skipBecause(this, "io_cancel(2) is not installed (Debian package manpages-dev)");
    const report = await buildDrift(spec, await runConformance(spec, IO_CANCEL));
    rows = report.rows;
    libraries = report.libraries;
  });

  it("success: 0 (man page) vs -EINPROGRESS (spec, kernel)", function () {
    const r = row(rows, "success value");
    expect(r).to.include({ verdict: "man page outdated", spec: "-EINPROGRESS" });
    expect(r.man).to.match(/^0:/);
    expect(r.kernel).to.match(/returned -EINPROGRESS/);
  });

  it("EAGAIN: documented by the man page only, never returned", function () {
    const r = row(rows, "EAGAIN");
    expect(r).to.include({ verdict: "man page outdated", spec: "not listed" });
    expect(r.kernel).to.match(/^never returned/);
  });

  it("EINVAL: the man page covers only a bad context; spec and kernel use it for unsubmitted and not-found iocbs too", function () {
    const r = row(rows, "EINVAL");
    expect(r.verdict).to.equal("man page incomplete");
    expect(r.man).to.match(/context/i);
    expect(r.explanation).to.match(/not submitted/).and.match(/not found/);
  });

  it("ENOSYS: in spec and man page, not exercisable on this kernel", function () {
    const r = row(rows, "ENOSYS");
    expect(r.verdict).to.equal("not exercisable here");
    expect(r.kernel).to.match(/CONFIG_AIO/);
  });

  it("EFAULT: all three agree", function () {
    expect(row(rows, "EFAULT").verdict).to.equal("all agree");
  });

  it("the library claims of the spec's notes hold, or are skipped with the reason", function () {
    expect(libraries.map((l) => l.claim)).to.have.length(2);
    for (const l of libraries) {
      if (l.verdict === "skipped") process.stderr.write(`      libaio check skipped: ${l.observed}\n`);
      expect(["agrees", "skipped"], `${l.claim}: ${l.observed}`).to.include(l.verdict);
    }
    expect(libraries.find((l) => /glibc/.test(l.claim))!.verdict).to.equal("agrees");
  });
});
