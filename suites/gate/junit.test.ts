// SPDX-License-Identifier: GPL-2.0-only
// JUnit for every verdict, parsed back: a classname and a time on every case,
// its spec item's file:line, skips with their reason, fail as <failure>,
// error and timeout as <error>, xfail passing with a note, xpass failing only
// when the gate is strict; and the document valid against junit-10.xsd.
import { expect } from "chai";
import { create } from "xmlbuilder2";
import { outcomeOfVerdict, prestartTapJunit, renderJunit, tapJunitBin, tapJunitOutcomes } from "../../harness/report/junit.js";
import type { RunResults } from "../../harness/run/results.js";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { skipBecause } from "../support/skip.js";
import { liveChildren } from "../support/processes.js";
import { everyVerdict, twoSyscalls } from "./fixtures.js";

const XSD = resolve("..", "shared", "schemas", "junit-10.xsd");

/** xmllint's verdict on `xml` against junit-10.xsd: "" when valid, else its complaints. */
function schemaErrors(xml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "kapi-junit-"));
  try {
    writeFileSync(join(dir, "junit.xml"), xml);
    const r = spawnSync("xmllint", ["--noout", "--schema", XSD, join(dir, "junit.xml")], { encoding: "utf8" });
    return r.status === 0 ? "" : r.stderr;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface TestCase {
  "@name": string;
  "@classname"?: string;
  "@time"?: string;
  failure?: { "@message"?: string; "@type"?: string };
  error?: { "@message"?: string; "@type"?: string };
  skipped?: { "@message"?: string };
  "system-out"?: string;
}

interface Doc {
  testsuites: { "@tests": string; "@failures": string; "@errors": string; testsuite: { "@skipped": string; "@failures": string; "@errors": string; "@file": string; testcase: TestCase[] } };
}

async function junitOf(results: RunResults): Promise<{ doc: Doc; cases: Map<string, TestCase> }> {
  const doc = create(await renderJunit(results)).end({ format: "object" }) as unknown as Doc;
  return { doc, cases: new Map(doc.testsuites.testsuite.testcase.map((t) => [t["@name"], t])) };
}

describe("JUnit output: every verdict, parsed back", function () {
  const results = everyVerdict();

  it("has every case, each with the spec item as classname and a time in seconds", async function () {
    const { doc } = await junitOf(results);
    expect(doc.testsuites.testsuite.testcase.map((t) => t["@name"])).to.deep.equal(results.cases.map((c) => c.id));
    for (const t of doc.testsuites.testsuite.testcase) {
      expect(t["@classname"], t["@name"]).to.match(/^io_cancel\.(errors|return)\.\d+$/);
      expect(t["@time"], t["@name"]).to.equal("0.001500");
    }
    expect(doc.testsuites.testsuite.testcase.find((t) => t["@name"] === "io_cancel.c.xfail")?.["@classname"]).to.equal("io_cancel.return.0");
  });

  it("fail is a <failure>; error and timeout are <error>, typed by verdict, with the reason", async function () {
    const { cases, doc } = await junitOf(results);
    expect(cases.get("io_cancel.a.fail")?.failure).to.deep.equal({ "@message": "fail: expected EINVAL, got 0 (spec line 205)", "@type": "fail" });
    expect(cases.get("io_cancel.b.error")?.error).to.deep.equal({ "@message": "error: mmap failed: ENOMEM", "@type": "error" });
    expect(cases.get("io_cancel.c.timeout")?.error?.["@type"]).to.equal("timeout");
    expect(cases.get("io_cancel.b.error")?.failure).to.equal(undefined);
    expect(cases.get("io_cancel.a.pass")?.failure).to.equal(undefined);
    expect([doc.testsuites["@failures"], doc.testsuites["@errors"]]).to.deep.equal(["1", "2"]);
    expect([doc.testsuites.testsuite["@failures"], doc.testsuites.testsuite["@errors"]]).to.deep.equal(["1", "2"]);
  });

  it("every case names its spec item's file and line; the suite its spec file", async function () {
    const { doc } = await junitOf(results);
    expect(doc.testsuites.testsuite["@file"]).to.equal("specs/io_cancel.archive.txt");
    for (const t of doc.testsuites.testsuite.testcase) expect(t["system-out"], t["@name"]).to.match(/^spec item: specs\/io_cancel\.archive\.txt:\d+ \((errors|return)\[\d\]/);
  });

  it("a skip carries its reason", async function () {
    const { cases, doc } = await junitOf(results);
    expect(cases.get("io_cancel.b.skip")?.skipped).to.deep.equal({ "@message": "CONFIG_AIO is not set" });
    expect(doc.testsuites.testsuite["@skipped"]).to.equal("1");
  });

  it("an xfail passes, with the known issue, its link and the failure in system-out", async function () {
    const t = (await junitOf(results)).cases.get("io_cancel.c.xfail")!;
    expect(t.failure).to.equal(undefined);
    expect(t["system-out"]).to.equal("spec item: specs/io_cancel.archive.txt:100 (return[0] return item 0)\nexpected failure: 6.8-rc7 returned 0 (https://example.org/bug#c1; expect.yaml:3): expected -EINPROGRESS, got 0");
  });

  it("an xpass passes with a note, and is a failure of type xpass under --strict", async function () {
    const loose = (await junitOf(results)).cases.get("io_cancel.c.xpass")!;
    expect(loose.failure).to.equal(undefined);
    expect(loose["system-out"]).to.match(/\nunexpected pass: listed as failing: 6\.8-rc7 returned 0/);
    const strict = await junitOf({ ...results, gate: { strict: true } });
    expect(strict.cases.get("io_cancel.c.xpass")?.failure?.["@type"]).to.equal("xpass");
    expect(strict.doc.testsuites["@failures"]).to.equal("2");
    expect((await junitOf(results)).doc.testsuites["@failures"]).to.equal("1");
  });
});

describe("JUnit output: valid against junit-10.xsd (xmllint)", function () {
  before(function () {
    if (!existsSync(XSD)) skipBecause(this, `no schema at ${XSD} (it lives in ../shared, outside the project)`);
    if (spawnSync("xmllint", ["--version"]).error) skipBecause(this, "xmllint not installed (libxml2-utils; npm run setup installs it as root)");
  });

  it("every verdict, loose and strict, one syscall and several", async function () {
    for (const r of [everyVerdict(), { ...everyVerdict(), gate: { strict: true } }, twoSyscalls(), { ...everyVerdict(), cases: [] }]) {
      expect(schemaErrors(await renderJunit(r))).to.equal("");
    }
  });

  it("hostile text from a spec (control characters, U+2028, markup) stays valid and whole", async function () {
    const r = everyVerdict();
    const hostile = "a\u2028b\fc\u001b[31md\u0000e <x>&amp; ]]> \ud800";
    const cases = r.cases.map((c) => ({ ...c, id: `${c.id}${hostile}`, reason: hostile, specRef: { ...c.specRef, summary: hostile } }));
    const xml = await renderJunit({ ...r, cases });
    expect(schemaErrors(xml)).to.equal("");
    expect(xml.match(/<testcase /g)).to.have.length(cases.length);
  });
});

describe("JUnit output: tap-junit and the bundle agree", function () {
  it("tap-junit's outcome of every case is the one the bundle (no tap-junit installed) reads from the verdict", async function () {
    const bin = tapJunitBin();
    if (bin === undefined) skipBecause(this, "tap-junit is not installed");
    for (const r of [everyVerdict(), { ...everyVerdict(), gate: { strict: true } }]) {
      expect(await tapJunitOutcomes(r, bin)).to.deep.equal(r.cases.map((c) => outcomeOfVerdict(c, r.gate?.strict ?? false)));
      expect(await tapJunitOutcomes(r, undefined)).to.deep.equal(await tapJunitOutcomes(r, bin));
    }
  });
});

describe("JUnit output: tap-junit started ahead of the reports", function () {
  // The outcomes are cached by verdict sequence: each test uses one no other test does.
  const sequence = (drop: number): RunResults => {
    const r = everyVerdict();
    return { ...r, cases: r.cases.slice(drop).reverse() };
  };

  it("waits for its input, then gives the outcomes tap-junit gives, and exits", async function () {
    const bin = tapJunitBin();
    if (bin === undefined) skipBecause(this, "tap-junit is not installed");
    prestartTapJunit(bin);
    const started = liveChildren("tap-junit");
    expect(started, "one tap-junit waiting").to.have.length(1);
    await sleep(200);
    expect(liveChildren("tap-junit"), "still waiting for its input").to.deep.equal(started);
    const r = sequence(1);
    expect(await tapJunitOutcomes(r, bin)).to.deep.equal(r.cases.map((c) => outcomeOfVerdict(c, false)));
    expect(liveChildren("tap-junit")).to.deep.equal([]);
  });

  it("one that died before its input came is replaced: the outcomes still come", async function () {
    const bin = tapJunitBin();
    if (bin === undefined) skipBecause(this, "tap-junit is not installed");
    prestartTapJunit(bin);
    const [pid] = liveChildren("tap-junit");
    expect(pid).to.be.a("number");
    process.kill(pid!, "SIGKILL");
    while (liveChildren("tap-junit").includes(pid!)) await sleep(5);
    const r = sequence(2);
    expect(await tapJunitOutcomes(r, bin)).to.deep.equal(r.cases.map((c) => outcomeOfVerdict(c, false)));
  });
});
