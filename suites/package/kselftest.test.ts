// SPDX-License-Identifier: GPL-2.0-only
// End to end: `kapi-conform package --kselftest DIR --tar FILE` makes a
// kselftest install tree; the tarball, unpacked elsewhere with the kernel's
// own run_kselftest.sh and kselftest/ (Debian's linux-source-6.12) copied in,
// runs `./run_kselftest.sh -c kapi` from outside the checkout in a mount
// namespace where every node binary is hidden, and passes.
import { expect } from "chai";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kernelTools, type KernelTools } from "../support/linux-source.js";
import { builtPackage } from "../support/package.js";
import { skipBecause } from "../support/skip.js";

/**
 * Runs a shell script in a new mount namespace where /usr/bin/node and every `node` on PATH are an
 * empty file. Its output goes to a file: run_kselftest.sh writes to /dev/stdout, which cannot be
 * opened when stdout is the socket Node's spawn gives a child.
 */
function withoutNode(dir: string, script: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string; ms: number } {
  const empty = join(dir, "..", "empty-node");
  const log = join(dir, "..", "run.log");
  writeFileSync(empty, "");
  const hide = `mount --make-rprivate / && for n in /usr/bin/node $(which -a node); do mount --bind "${empty}" "$n" || exit 97; done; `;
  const started = Date.now();
  const r = spawnSync("unshare", ["-m", "sh", "-c", `${hide}(${script}) > "${log}" 2>&1`], { cwd: dir, encoding: "utf8", timeout: 400_000, env: { ...process.env, ...env } });
  const stdout = existsSync(log) ? readFileSync(log, "utf8") : "";
  rmSync(log, { force: true });
  return { status: r.status, stdout, stderr: r.stderr ?? "", ms: Date.now() - started };
}

describe("kapi-conform package --kselftest (through the kernel's run_kselftest.sh)", function () {
  this.timeout(900_000);
  let work: string;
  let tree: string;
  let tools: KernelTools;
  let run: ReturnType<typeof withoutNode>;

  before(async function () {
    if (typeof process.getuid === "function" && process.getuid() !== 0) skipBecause(this, "a mount namespace (unshare -m) to hide node needs root");
    if (spawnSync("unshare", ["-m", "true"]).status !== 0) skipBecause(this, "unshare -m does not work here (no mount namespaces)");
    const got = await kernelTools();
    if (typeof got === "string") skipBecause(this, got);
    tools = got;
    work = mkdtempSync(join(tmpdir(), "kapi-conform-kselftest-"));
    const { tarball, log } = builtPackage();
    process.stderr.write(`    package: ${log.trim().split("\n")[0]}; tarball ${(statSync(tarball).size / 1e6).toFixed(1)} MB\n`);
    // The tarball, unpacked where the checkout is not, is what a CI machine gets.
    tree = join(work, "kselftest");
    execFileSync("mkdir", ["-p", tree]);
    execFileSync("tar", ["-xzf", tarball, "-C", tree]);
    cpSync(join(tools.selftests, "run_kselftest.sh"), join(tree, "run_kselftest.sh"));
    cpSync(join(tools.selftests, "kselftest"), join(tree, "kselftest"), { recursive: true });
    run = withoutNode(tree, `command -v node && echo "node still visible" && exit 98; ./run_kselftest.sh -c kapi`, { KAPI_CONFORM_REPORTS: join(work, "reports") });
    process.stderr.write(`    run_kselftest.sh -c kapi: ${(run.ms / 1000).toFixed(1)} s\n`);
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("lays out DIR/kapi with the test program, settings, one bundle, the native module, specs and Node", () => {
    const kapi = join(tree, "kapi");
    expect(statSync(join(kapi, "kapi-conform.sh")).mode & 0o111).to.not.equal(0);
    expect(readFileSync(join(kapi, "settings"), "utf8")).to.match(/^timeout=\d+\n$/);
    for (const f of ["app/kapi-conform.js", "app/package.json", "app/ffi-rs.linux-x64-gnu.node", "app/specs/io_cancel.archive.txt", "node/node", "node/bin/node"]) {
      expect(existsSync(join(kapi, f)), f).to.equal(true);
    }
    expect(readFileSync(join(tree, "kselftest-list.txt"), "utf8").split("\n")).to.include("kapi:kapi-conform.sh");
  });

  it("runs with node hidden, from outside the checkout: ok 1 selftests: kapi: kapi-conform.sh", () => {
    expect(run.stdout, run.stderr).to.not.contain("node still visible");
    expect(run.stdout, `${run.stdout}\n${run.stderr}`).to.match(/^ok 1 selftests: kapi: kapi-conform\.sh$/m);
    expect(run.status).to.equal(0);
  });

  it("carries the suite's KTAP, indented by the runner, with the run's totals", () => {
    const log = run.stdout + run.stderr;
    expect(log).to.match(/^# KTAP version 1$/m);
    expect(log).to.match(/^# # Totals: pass:\d+ fail:0 /m);
    const results = JSON.parse(readFileSync(join(work, "reports", "results.json"), "utf8")) as { cases: unknown[] };
    expect(results.cases.length).to.be.greaterThan(0);
  });

  it("is listed by run_kselftest.sh -l", () => {
    const r = spawnSync("./run_kselftest.sh", ["-l"], { cwd: tree, encoding: "utf8" });
    expect(r.stdout.split("\n")).to.include("kapi:kapi-conform.sh");
  });

  it("reports bad input as a kselftest failure (1), never kapi-conform's 2 (kselftest's XFAIL)", () => {
    const r = withoutNode(tree, `./kapi/kapi-conform.sh --spec /nonexistent/spec.txt`, { KAPI_CONFORM_REPORTS: join(work, "reports-bad") });
    expect(r.stdout).to.match(/nonexistent/);
    expect(r.status).to.equal(1);
  });
});
