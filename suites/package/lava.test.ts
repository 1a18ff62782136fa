// SPDX-License-Identifier: GPL-2.0-only
// The LAVA test definition (harness/package/lava/kapi-conform.yaml): its
// structure as Lava-Test-Shell 1.0 reads it, and its steps run as LAVA runs
// them (one shell, params as variables, lava-test-case on PATH, here a stub
// that records its arguments) against the package tarball fetched by URL:
// one lava-test-case per case of results.json, with the case's result.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import type { RunResults } from "../../harness/run/results.js";
import { builtPackage } from "../support/package.js";

const LAVA_DEFINITION = "harness/package/lava/kapi-conform.yaml";

interface Definition {
  metadata: { format: string; name: string; description: string; os: string[]; scope: string[] };
  params: Record<string, unknown>;
  run: { steps: unknown[] };
}

const definition = parse(readFileSync(LAVA_DEFINITION, "utf8")) as Definition;

describe("LAVA test definition", () => {
  it("is a Lava-Test-Shell 1.0 definition with metadata, string params and string steps", () => {
    expect(definition.metadata.format).to.equal("Lava-Test Test Definition 1.0");
    expect(definition.metadata.name).to.match(/^[\w.-]+$/);
    expect(definition.metadata.description).to.be.a("string").and.not.equal("");
    expect(definition.metadata.os).to.be.an("array").that.is.not.empty;
    expect(definition.metadata.scope).to.be.an("array").that.is.not.empty;
    expect(Object.keys(definition.params)).to.include.members(["PACKAGE_URL", "KAPI_DIR", "REPORTS"]);
    for (const v of Object.values(definition.params)) expect(v).to.be.a("string");
    expect(definition.run.steps).to.be.an("array").that.is.not.empty;
    for (const s of definition.run.steps) expect(s).to.be.a("string");
  });

  it("runs the package's test program and reports each case with lava-test-case", () => {
    const steps = definition.run.steps as string[];
    expect(steps.some((s) => s.includes("kapi/kapi-conform.sh"))).to.equal(true);
    expect(steps.some((s) => /lava-test-case "\$id" --result "\$result"/.test(s))).to.equal(true);
  });

  describe("run as LAVA runs it, against the package tarball", function () {
    this.timeout(300_000);
    let work: string;
    let calls: string[][];
    let results: RunResults;
    let status: number | null;
    let log: string;

    before(() => {
      const { tarball } = builtPackage();
      work = mkdtempSync(join(tmpdir(), "kapi-conform-lava-"));
      const bin = join(work, "bin");
      spawnSync("mkdir", ["-p", bin]);
      const record = join(work, "calls.txt");
      // The stub records one call per line, arguments separated by tabs.
      writeFileSync(join(bin, "lava-test-case"), `#!/bin/sh\nprintf '%s\\t' "$@" >> "${record}"\necho >> "${record}"\n`);
      chmodSync(join(bin, "lava-test-case"), 0o755);
      const params = { PACKAGE_URL: `file://${tarball}`, KAPI_DIR: join(work, "opt"), REPORTS: join(work, "reports") };
      const r = spawnSync("sh", ["-c", (definition.run.steps as string[]).join("\n")], { encoding: "utf8", env: { ...process.env, ...params, PATH: `${bin}:${process.env.PATH}` }, timeout: 240_000 });
      status = r.status;
      log = r.stdout + r.stderr;
      calls = readFileSync(record, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => l.replace(/\t$/, "").split("\t"));
      results = JSON.parse(readFileSync(join(params.REPORTS, "results.json"), "utf8")) as RunResults;
    });
    after(() => {
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it("finishes, and reports the run's exit as kapi-conform-run", () => {
      expect(status, log).to.equal(0);
      expect(calls[0]).to.deep.equal(["kapi-conform-run", "--result", "pass"]);
    });

    it("reports every case once, with pass, fail or skip as its verdict says", () => {
      const want = results.cases.map((c) => [c.id, "--result", ["pass", "xfail", "xpass"].includes(c.verdict) ? "pass" : c.verdict === "skip" ? "skip" : "fail"]);
      expect(calls.slice(1)).to.deep.equal(want);
    });
  });
});
