// SPDX-License-Identifier: GPL-2.0-only
// The report set on disk: replaced as a whole through a staging directory,
// never through a symlink, nothing created outside the reports directory; a
// run that starts moves the previous set away and says "running"; a write
// error (an injected one, and a real ENOSPC on a tiny tmpfs when root) is one
// line naming the file, and leaves nothing half-written looking complete.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readResults } from "../../harness/report/results-file.js";
import { PREVIOUS_DIR, ReportWriteError, REPORT_FILES, startReports, writeReports } from "../../harness/report/write.js";
import { skipBecause } from "../support/skip.js";
import { cli, everyVerdict } from "../gate/fixtures.js";

let root: string;
let n = 0;
const fresh = (): string => {
  const dir = join(root, `r${++n}`);
  mkdirSync(dir);
  return dir;
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

describe("report set on disk", function () {
  before(() => (root = mkdtempSync(join(tmpdir(), "kapi-atomic-"))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("writes the whole set and leaves no staging directory", async function () {
    const dir = fresh();
    const written = await writeReports(everyVerdict(), dir);
    expect(readdirSync(dir).sort()).to.deep.equal(["junit.xml", "results.json", "results.tap", "summary.md"]);
    expect(written.map((p) => p.slice(dir.length + 1)).at(-1)).to.equal("results.json");
    expect((await readResults(join(dir, "results.json"))).status).to.equal("complete");
  });

  it("a reader polling during 20 rewrites never sees an empty or half-written file", async function () {
    const dir = fresh();
    await writeReports(everyVerdict(), dir);
    let writing = true;
    let reads = 0;
    const torn: string[] = [];
    const reader = (async () => {
      while (writing) {
        for (const f of ["junit.xml", "results.json", "summary.md", "results.tap"]) {
          const text = readFileSync(join(dir, f), "utf8");
          reads += 1;
          const whole = f === "junit.xml" ? text.endsWith("</testsuites>\n") : f === "results.json" ? text.endsWith("}\n") : f === "results.tap" ? text.includes("# Totals:") : text.includes("## Coverage of the spec");
          if (!whole) torn.push(`${f}: ${text.length} bytes`);
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 20; i++) await writeReports(everyVerdict(), dir);
    writing = false;
    await reader;
    expect(torn).to.deep.equal([]);
    expect(reads).to.be.greaterThan(20);
  });

  it("replaces a symlink named junit.xml instead of following it", async function () {
    const dir = fresh();
    const victim = join(root, "victim.txt");
    writeFileSync(victim, "precious\n");
    symlinkSync(victim, join(dir, "junit.xml"));
    await writeReports(everyVerdict(), dir);
    expect(readFileSync(victim, "utf8")).to.equal("precious\n");
    expect(lstatSync(join(dir, "junit.xml")).isFile()).to.equal(true);
  });

  it("a dangling symlink creates nothing outside the directory", async function () {
    const dir = fresh();
    const outside = join(root, "outside", "made-by-link.xml");
    mkdirSync(join(root, "outside"));
    symlinkSync(outside, join(dir, "junit.xml"));
    symlinkSync(join(root, "outside", "summary"), join(dir, "summary.md"));
    await writeReports(everyVerdict(), dir);
    expect(readdirSync(join(root, "outside"))).to.deep.equal([]);
    expect(lstatSync(join(dir, "summary.md")).isFile()).to.equal(true);
  });

  it("refuses a reports directory that is a symlink, in one line", async function () {
    const real = fresh();
    const link = join(root, `link${++n}`);
    symlinkSync(real, link);
    const err = await rejection(writeReports(everyVerdict(), link));
    expect(err).to.be.instanceOf(ReportWriteError);
    expect(err.message).to.match(/is a symbolic link/);
    expect(readdirSync(real)).to.deep.equal([]);
  });

  it("a write error part-way: one line naming the file; the previous set untouched, nothing staged left", async function () {
    const dir = fresh();
    await writeReports(everyVerdict(), dir);
    const before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
    const failing = { ...everyVerdict(), cases: everyVerdict().cases.slice(0, 2) };
    const err = await rejection(
      writeReports(failing, dir, undefined, {
        write: async (handle, data, name) => {
          if (name === REPORT_FILES.summary) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
          await handle.writeFile(data);
        },
      }),
    );
    expect(err).to.be.instanceOf(ReportWriteError);
    expect(err.message).to.equal(`cannot write report '${join(dir, "summary.md")}': no space left on device (ENOSPC)`);
    expect(Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]))).to.deep.equal(before);
  });

  it("a run's start moves the previous set to .previous/ and leaves results.json saying running", async function () {
    const dir = fresh();
    await writeReports(everyVerdict(), dir);
    writeFileSync(join(dir, "README.md"), "kept\n");
    mkdirSync(join(dir, ".kapi-conform-staging-stale"));
    await startReports(dir, { tool: { name: "kapi-conform", version: "0" }, startedAt: "now" });
    expect(readdirSync(dir).sort()).to.deep.equal([PREVIOUS_DIR, "README.md", "results.json"]);
    expect(readdirSync(join(dir, PREVIOUS_DIR)).sort()).to.deep.equal(["junit.xml", "results.json", "results.tap", "summary.md"]);
    expect(JSON.parse(readFileSync(join(dir, "results.json"), "utf8")).status).to.equal("running");
    const r = cli("report", dir);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/did not finish \(status: running\); no results to report\n$/);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
  });

  it("a full disk (tiny tmpfs): `report` says which file and why in one line, exit 2; results.json intact", function () {
    if (process.getuid?.() !== 0) skipBecause(this, "mounting a tmpfs needs root");
    const mnt = fresh();
    const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt], { encoding: "utf8" });
    if (mount.status !== 0) skipBecause(this, `cannot mount a tmpfs here: ${mount.stderr.trim()}`);
    try {
      const results = everyVerdict();
      // Long reasons make the reports larger than what is left once results.json is in place.
      const big = { ...results, cases: results.cases.map((c) => ({ ...c, reason: `${c.reason ?? ""} ${"x".repeat(1200)}` })) };
      const text = JSON.stringify(big);
      writeFileSync(join(mnt, "results.json"), text);
      const r = cli("report", mnt);
      expect(r.status, r.stderr).to.equal(2);
      expect(r.stderr).to.match(/^kapi-conform: cannot write report '.*(results\.tap|junit\.xml|summary\.md)': no space left on device \(ENOSPC\)\n$/);
      expect(readdirSync(mnt)).to.deep.equal(["results.json"]);
      expect(readFileSync(join(mnt, "results.json"), "utf8")).to.equal(text);
    } finally {
      spawnSync("umount", [mnt]);
    }
    expect(existsSync(join(mnt, "results.json"))).to.equal(false);
  });
});
