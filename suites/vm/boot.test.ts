// SPDX-License-Identifier: GPL-2.0-only
// End to end: `kapi-conform vm` boots Debian's current cloud kernel (the
// linux-image-cloud-amd64 meta-package of the configured apt sources), runs
// the suite in it and rebuilds the reports on the host. The packages it needs
// are installed through the setup script when missing; the test skips only
// when that cannot be done. Downloads and initramfs pieces are cached
// (~/.cache/kapi-conform), so later runs only boot.
import { expect } from "chai";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { arch, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseControl, imageDependency } from "../../harness/vm/debian-kernel.js";
import { findVmTools, missingToolsMessage } from "../../harness/vm/host-tools.js";
import type { RunResults } from "../../harness/run/results.js";
import { skipBecause } from "../support/skip.js";
import { commandLine, isLive, liveChildren } from "../support/processes.js";
import { setTimeout as sleep } from "node:timers/promises";

const CLI = "build/harness/cli/main.js";
const PACKAGE = "linux-image-cloud-amd64";
/** Another kernel series from the same apt sources (Debian 12's bookworm-security), for names across kernels. */
const OTHER_PACKAGE = "linux-image-6.12-cloud-amd64";

/** Each KTAP result line, at any depth: its indentation and name, and a SKIP's reason. */
function resultLines(ktap: string): Array<{ name: string; skip?: string }> {
  return ktap.split("\n").flatMap((line) => {
    const m = /^(\s*)(?:not )?ok \d+ (.*?)(?: # SKIP (.*))?$/.exec(line);
    return m ? [{ name: `${m[1]}${m[2]}`, ...(m[3] !== undefined ? { skip: m[3] } : {}) }] : [];
  });
}
// Boot plus suite took about 22 s under TCG on a 2-core machine; the rest is
// a first download, a first initramfs build and the KVM probe.
const VM_TIMEOUT_S = 150;

/** The release the meta-package's image carries: linux-image-RELEASE. */
function expectedRelease(): string {
  let text = spawnSync("apt-cache", ["show", "--no-all-versions", PACKAGE], { encoding: "utf8" }).stdout ?? "";
  if (!parseControl(text)) {
    // A fresh machine has no package lists yet.
    spawnSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
    text = spawnSync("apt-cache", ["show", "--no-all-versions", PACKAGE], { encoding: "utf8" }).stdout ?? "";
  }
  const info = parseControl(text);
  const image = info && imageDependency(info);
  if (!image) throw new Error(`apt-cache show ${PACKAGE} names no linux-image dependency`);
  return image.replace(/^linux-image-/, "");
}

function runCli(args: string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    // SIGINT lets the command stop qemu and remove its temporary files itself.
    const timer = setTimeout(() => child.kill("SIGINT"), timeoutMs);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe("kapi-conform vm (boots a Debian kernel)", function () {
  this.timeout((VM_TIMEOUT_S + 90) * 1000);
  let dir: string;
  let release: string;
  let run: { status: number | null; stdout: string; stderr: string };
  let results: RunResults;
  /** The statuses results.json went through during the run, in order. */
  const statuses: string[] = [];
  const PREVIOUS = JSON.stringify({ status: "complete", note: "an earlier run" });

  before(async function () {
    if (arch() !== "x64") skipBecause(this, `x86_64 only, this is ${arch()}`);
    let { missing } = await findVmTools();
    if (missing.length > 0) {
      const setup = spawnSync("bash", ["harness/setup/system-packages.sh", "--vm"], { encoding: "utf8", timeout: 300_000 });
      process.stderr.write(setup.stderr);
      ({ missing } = await findVmTools());
      if (missing.length > 0) skipBecause(this, `${missingToolsMessage(missing)} (the setup script could not install them here)`);
    }
    release = expectedRelease();
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-vm-test-"));
    // An earlier run's set, which the run must move aside when the guest starts.
    mkdirSync(join(dir, release));
    writeFileSync(join(dir, release, "results.json"), PREVIOUS);
    const started = Date.now();
    const running = runCli(["vm", "--deb", PACKAGE, "--reports", dir, "--timeout", String(VM_TIMEOUT_S)], (VM_TIMEOUT_S + 60) * 1000);
    let finished = false;
    void running.then(() => (finished = true));
    const look = (): void => {
      try {
        const status = (JSON.parse(readFileSync(join(dir, release, "results.json"), "utf8")) as { status?: string }).status ?? "none";
        if (statuses.at(-1) !== status) statuses.push(status);
      } catch {
        // between the rename of one file and the next: look again
      }
    };
    while (!finished) {
      look();
      await sleep(50);
    }
    run = await running;
    look();
    process.stderr.write(`    vm boot test: ${PACKAGE} (${release}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const file = join(dir, release, "results.json");
    if (!existsSync(file)) throw new Error(`no ${file}; vm exited ${run.status}:\n${run.stderr}`);
    results = JSON.parse(readFileSync(file, "utf8")) as RunResults;
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("exits 0 and prints the guest's KTAP on stdout", () => {
    expect(run.status, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^KTAP version 1\n1\.\.\d+\n/);
    expect(run.stdout).to.contain(`on Linux ${release} x86_64`);
  });

  it("writes results.json that names the booted kernel's release", () => {
    expect(results.kernel.release).to.equal(release);
    expect(results.kernel.config.CONFIG_AIO).to.equal("y");
  });

  it("has no failures on that kernel", () => {
    const bad = results.cases.filter((c) => c.verdict === "fail" || c.verdict === "error" || c.verdict === "timeout");
    expect(bad.map((c) => `${c.id}: ${c.verdict} ${c.reason ?? ""}`)).to.deep.equal([]);
    expect(results.totals.pass).to.be.greaterThan(0);
  });

  it("marks the kernel's report directory running from the guest's start, the earlier set in .previous/", () => {
    expect(statuses).to.deep.equal(["complete", "running", "complete"]);
    expect(readFileSync(join(dir, release, ".previous", "results.json"), "utf8")).to.equal(PREVIOUS);
  });

  it("rebuilds the other reports from it on the host", () => {
    for (const f of ["results.tap", "junit.xml", "summary.md"]) expect(existsSync(join(dir, release, f)), f).to.equal(true);
    const ktap = readFileSync(join(dir, release, "results.tap"), "utf8");
    expect(ktap).to.contain(release);
  });

  it("prints the time it took", () => {
    expect(run.stderr).to.match(/userspace after \d+\.\d s, VM \d+\.\d s, total \d+\.\d s/);
    expect(run.stderr).to.match(/done in \d+\.\d s/);
  });

  it("names every case the same on another kernel (6.12): the same result lines' names in order, the same reason where both skip", async function () {
    const other = mkdtempSync(join(tmpdir(), "kapi-conform-vm-test-"));
    try {
      const second = await runCli(["vm", "--deb", OTHER_PACKAGE, "--reports", other, "--timeout", String(VM_TIMEOUT_S)], (VM_TIMEOUT_S + 60) * 1000);
      expect(second.status, second.stderr).to.be.oneOf([0, 1]);
      const [a, b] = [resultLines(run.stdout), resultLines(second.stdout)];
      expect(b.map((l) => l.name)).to.deep.equal(a.map((l) => l.name));
      const bothSkip = a.flatMap((l, i) => (l.skip !== undefined && b[i]!.skip !== undefined ? [[l.skip, b[i]!.skip]] : []));
      expect(bothSkip.length, "cases both kernels skip").to.be.greaterThan(0);
      for (const [x, y] of bothSkip) expect(y).to.equal(x);
      // The releases differ, so the kernels did: only the diagnostic naming them may.
      expect(second.stdout).to.not.contain(`on Linux ${release} `);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("dies with vm: SIGKILL to vm while its guest runs ends its qemu", async function () {
    const reports = mkdtempSync(join(tmpdir(), "kapi-conform-vm-test-"));
    const vm = spawn(process.execPath, [CLI, "vm", "--deb", PACKAGE, "--reports", reports], { stdio: "ignore" });
    let qemu: number | undefined;
    let scratch: string | undefined;
    try {
      for (let i = 0; i < 600 && qemu === undefined; i++) {
        qemu = liveChildren("qemu-system", vm.pid!)[0];
        if (qemu === undefined) await sleep(100);
      }
      expect(qemu, "a qemu started by vm").to.be.a("number");
      const args = commandLine(qemu!);
      scratch = dirname(args[args.indexOf("-initrd") + 1]!);
      vm.kill("SIGKILL");
      for (let i = 0; i < 50 && isLive(qemu!); i++) await sleep(100);
      expect(isLive(qemu!), "qemu 5 s after vm was SIGKILLed").to.equal(false);
    } finally {
      vm.kill("SIGKILL");
      if (qemu !== undefined && isLive(qemu)) process.kill(qemu, "SIGKILL");
      // The killed vm could not remove its scratch directory (the initrd's): this test does.
      if (scratch?.startsWith(join(tmpdir(), "kapi-conform-vm-"))) rmSync(scratch, { recursive: true, force: true });
      rmSync(reports, { recursive: true, force: true });
    }
  });

  it("leaves no qemu and no temporary directory behind", () => {
    // The initrd lives in the command's temporary directory, so its qemu is recognisable.
    const qemus = spawnSync("pgrep", ["-f", "qemu-system-x86_64 .*kapi-conform-vm-.*initramfs"], { encoding: "utf8" }).stdout.trim();
    expect(qemus).to.equal("");
    const left = execFileSync("sh", ["-c", `ls -d ${tmpdir()}/kapi-conform-vm-[!t]* 2>/dev/null || true`], { encoding: "utf8" }).trim();
    expect(left).to.equal("");
  });
});
