// SPDX-License-Identifier: GPL-2.0-only
// JUnit for every verdict, parsed back: a classname and a time on every case,
// skips with their reason, xfail passing with a note, xpass failing only when
// the gate is strict.
import { expect } from "chai";
import { create } from "xmlbuilder2";
import { renderJunit } from "../../harness/report/junit.js";
import type { RunResults } from "../../harness/run/results.js";
import { everyVerdict } from "./fixtures.js";

interface TestCase {
  "@name": string;
  "@classname"?: string;
  "@time"?: string;
  failure?: { "@message"?: string; "@type"?: string };
  skipped?: { "@message"?: string };
  "system-out"?: string;
}

interface Doc {
  testsuites: { "@tests": string; "@failures": string; testsuite: { "@skipped": string; "@failures": string; testcase: TestCase[] } };
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

  it("fail, error and timeout are failures typed by verdict, with the reason", async function () {
    const { cases } = await junitOf(results);
    expect(cases.get("io_cancel.a.fail")?.failure).to.deep.equal({ "@message": "fail: expected EINVAL, got 0 (spec line 205)", "@type": "fail" });
    expect(cases.get("io_cancel.b.error")?.failure?.["@type"]).to.equal("error");
    expect(cases.get("io_cancel.c.timeout")?.failure?.["@type"]).to.equal("timeout");
    expect(cases.get("io_cancel.a.pass")?.failure).to.equal(undefined);
  });

  it("a skip carries its reason", async function () {
    const { cases, doc } = await junitOf(results);
    expect(cases.get("io_cancel.b.skip")?.skipped).to.deep.equal({ "@message": "CONFIG_AIO is not set" });
    expect(doc.testsuites.testsuite["@skipped"]).to.equal("1");
  });

  it("an xfail passes, with the known issue, its link and the failure in system-out", async function () {
    const t = (await junitOf(results)).cases.get("io_cancel.c.xfail")!;
    expect(t.failure).to.equal(undefined);
    expect(t["system-out"]).to.equal("expected failure: 6.8-rc7 returned 0 (https://example.org/bug#c1; expect.yaml:3): expected -EINPROGRESS, got 0");
  });

  it("an xpass passes with a note, and is a failure of type xpass under --strict", async function () {
    const loose = (await junitOf(results)).cases.get("io_cancel.c.xpass")!;
    expect(loose.failure).to.equal(undefined);
    expect(loose["system-out"]).to.match(/^unexpected pass: listed as failing: 6\.8-rc7 returned 0/);
    const strict = await junitOf({ ...results, gate: { strict: true } });
    expect(strict.cases.get("io_cancel.c.xpass")?.failure?.["@type"]).to.equal("xpass");
    expect(strict.doc.testsuites["@failures"]).to.equal("4");
    expect((await junitOf(results)).doc.testsuites["@failures"]).to.equal("3");
  });
});
