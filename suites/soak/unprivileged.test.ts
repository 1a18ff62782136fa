// SPDX-License-Identifier: GPL-2.0-only
// The conformance run needs no privilege: run as user nobody (through runuser
// or setpriv, from root) it exits 0 with no fail or error and the same cases
// as a run as root. A case that only passes as root would show up here as a
// skip or fail naming what it lacked.
import { expect } from "chai";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readResults } from "../../harness/report/results-file.js";
import type { RunResults } from "../../harness/run/results.js";
import { ROOT } from "../spec/helpers.js";
import { skipBecause } from "../support/skip.js";

const CLI = path.join(ROOT, "build/harness/cli/main.js");
const USER = "nobody";

/** A program on PATH or in the sbin directories root's PATH may lack. */
function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin", "/usr/bin", "/bin"];
  return dirs.map((d) => path.join(d, name)).find((p) => existsSync(p));
}

/** The prefix that runs a command as USER: runuser, or setpriv with USER's ids. */
function asUser(): { prefix: string[]; how: string } | string {
  const runuser = findProgram("runuser");
  if (runuser) return { prefix: [runuser, "-u", USER, "--"], how: "runuser" };
  const setpriv = findProgram("setpriv");
  if (!setpriv) return "neither runuser nor setpriv is installed";
  const uid = spawnSync("id", ["-u", USER], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", USER], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return `there is no user '${USER}'`;
  return { prefix: [setpriv, `--reuid=${uid.stdout.trim()}`, `--regid=${gid.stdout.trim()}`, "--clear-groups", "--"], how: "setpriv" };
}

/** The first directory above `file` that others cannot enter, for a skip reason that says what to change. */
function closedAncestor(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) return `${dir} is ${(mode & 0o777).toString(8).padStart(4, "0")}`;
    if (dir === path.dirname(dir)) return undefined;
  }
}

describe(`soak: the conformance run as user ${USER}`, function () {
  let dirs: string[] = [];
  let asNobody: SpawnSyncReturns<string>;
  let nobody: RunResults;
  let root: RunResults;

  before(async function () {
    this.timeout(180000);
    if (process.getuid?.() !== 0) skipBecause(this, `not root (uid ${process.getuid?.()}): cannot switch to user ${USER}`);
    const switcher = asUser();
    if (typeof switcher === "string") skipBecause(this, `${switcher}: cannot run as ${USER}`);
    // What the CLI needs to read: its code, the FFI module, the bundled spec, and node itself.
    const needed = [CLI, path.join(ROOT, "package.json"), path.join(ROOT, "node_modules/ffi-rs/package.json"), path.join(ROOT, "specs/io_cancel.archive.txt")];
    const probe = spawnSync(switcher.prefix[0]!, [...switcher.prefix.slice(1), process.execPath, "-e", `try { for (const f of ${JSON.stringify(needed)}) require("fs").readFileSync(f) } catch (e) { console.error(e.message); process.exit(1) }`], { cwd: ROOT, encoding: "utf8" });
    if (probe.status !== 0) {
      const closed = closedAncestor(CLI);
      skipBecause(this, `the project at ${ROOT} (or node at ${process.execPath}) is not readable by ${USER}${closed ? `: ${closed}` : ""} (${probe.stderr.trim().split("\n")[0] ?? `exit ${probe.status}`})`);
    }
    const reports = (): string => {
      const dir = mkdtempSync(path.join(tmpdir(), "kapi-unprivileged-"));
      chmodSync(dir, 0o777);
      dirs.push(dir);
      return dir;
    };
    const nobodyDir = reports();
    asNobody = spawnSync(switcher.prefix[0]!, [...switcher.prefix.slice(1), process.execPath, CLI, "run", "--quiet", "--reports", nobodyDir], { cwd: ROOT, encoding: "utf8", timeout: 150000 });
    const rootDir = reports();
    spawnSync(process.execPath, [CLI, "run", "--quiet", "--reports", rootDir], { cwd: ROOT, encoding: "utf8", timeout: 150000 });
    nobody = await readResults(path.join(nobodyDir, "results.json"));
    root = await readResults(path.join(rootDir, "results.json"));
  });

  after(function () {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs = [];
  });

  it("exits 0 with no fail, error or timeout", function () {
    expect(asNobody.status, asNobody.stderr).to.equal(0);
    const bad = nobody.cases.filter((c) => !["pass", "skip"].includes(c.verdict)).map((c) => `${c.id}: ${c.verdict} ${c.reason ?? ""}`);
    expect(bad).to.deep.equal([]);
  });

  it("runs the same cases as root, and skips none that root could run", function () {
    expect(nobody.cases.map((c) => c.id).sort()).to.deep.equal(root.cases.map((c) => c.id).sort());
    // A skip only nobody gets would be a case that needs privilege; the race may skip either way (not exercised).
    const rootVerdict = new Map(root.cases.map((c) => [c.id, c.verdict]));
    const onlyNobody = nobody.cases
      .filter((c) => c.verdict === "skip" && rootVerdict.get(c.id) === "pass" && !c.id.includes("cancel-race"))
      .map((c) => `${c.id}: ${c.reason ?? ""}`);
    expect(onlyNobody).to.deep.equal([]);
  });
});
