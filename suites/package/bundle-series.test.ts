// SPDX-License-Identifier: GPL-2.0-only
// The kselftest package's bundle runs the whole KAPI series, not only the
// default io_cancel run: every helper process and worker thread a suite
// starts by path has its launcher and role, and each case gets the verdict
// and reason the built project gives it.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtPackage } from "../support/package.js";
import { skipBecause } from "../support/skip.js";
import { CORPUS, ROOT } from "../spec/helpers.js";

const EXPECT = join(ROOT, "suites", "series", "expectations.yaml");

/** Each case's id, verdict and reason from a series run of `cli` (a script Node runs). */
function seriesVerdicts(cli: string, reports: string): string[] {
  const r = spawnSync(process.execPath, [cli, "run", "--quiet", "--spec", CORPUS, "--expect", EXPECT, "--reports", reports], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cli} run exited ${r.status}: ${r.stderr.split("\n").slice(-3).join("\n")}`);
  const doc = JSON.parse(readFileSync(join(reports, "results.json"), "utf8")) as { cases: Array<{ id: string; verdict: string; reason?: string }> };
  // Paths differ (the bundle's specs are its own copies), and so do the numbers a process happens to get
  // (addresses, descriptors): compare the verdicts and what the reasons say.
  return doc.cases.map((c) => `${c.id} ${c.verdict} ${(c.reason ?? "").replace(/\([^()]*:\d+\)/g, "(FILE:LINE)").replace(/0x[0-9a-f]+|\d+/g, "N")}`);
}

describe("package: the bundle runs the whole series as the built project does", function () {
  this.timeout(300_000);

  it("the same cases, verdicts and reasons, none an error or a timeout", function () {
    if (!existsSync(CORPUS)) skipBecause(this, `no KAPI corpus at ${CORPUS}`);
    const work = mkdtempSync(join(tmpdir(), "kapi-conform-bundle-series-"));
    try {
      const bundled = seriesVerdicts(join(builtPackage().tree, "kapi", "app", "kapi-conform.js"), join(work, "bundle"));
      const built = seriesVerdicts(join(ROOT, "build", "harness", "cli", "main.js"), join(work, "build"));
      expect(bundled.filter((l) => ["error", "timeout"].includes(l.split(" ")[1]!))).to.deep.equal([]);
      expect(bundled.map((l) => l.split(" ")[0]), "the same cases in the same order").to.deep.equal(built.map((l) => l.split(" ")[0]));
      const differ = bundled.flatMap((l, i) => (l === built[i] ? [] : [`bundle: ${l}\n built: ${built[i]}`]));
      expect(differ.length, `cases judged otherwise by the bundle:\n${differ.slice(0, 5).join("\n")}`).to.equal(0);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
