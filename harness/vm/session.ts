// SPDX-License-Identifier: GPL-2.0-only
// One kernel, one VM: build the initramfs, boot, follow the console, rebuild
// the reports on the host from the results.json the guest sent back. When the
// guest's init starts, the kernel's report directory is marked "running" (its
// previous set moved to .previous/), so a VM that dies leaves nothing a reader
// could take for this kernel's results. The scratch directory goes away
// whatever happens; qemu is reaped by boot().
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkResults, checkDrift } from "../report/results-file.js";
import { terminalText } from "../report/encode/terminal.js";
import { REPORT_FILES, startReports, writeReports } from "../report/write.js";
import { TOOL } from "../run/tool.js";
import type { RunResults } from "../run/results.js";
import { CMDLINE } from "./init-script.js";
import { ConsoleSplitter, LastLines } from "./console.js";
import { buildInitramfs } from "./initramfs.js";
import type { KernelImage } from "./kernel-image.js";
import { boot, type Accel } from "./qemu.js";

export interface VmRunOptions {
  qemu: string;
  busybox: string;
  /** The project root (built). */
  root: string;
  image: KernelImage;
  accel: Accel;
  timeoutMs: number;
  memoryMb: number;
  cpus: number;
  stress?: number;
  /** Per-case limit inside the guest, in seconds (`run --timeout`). */
  caseTimeoutS?: number;
  /** Reports go to <reportsRoot>/<kernel release>/. */
  reportsRoot: string;
  signal?: AbortSignal;
  /** Each KTAP line as the guest prints it. */
  onKtap: (line: string) => void;
  /** Each progress line of the suite (its stderr). */
  onLog: (line: string) => void;
  /** Kernel and firmware console output. */
  onNoise?: (line: string) => void;
  /** Milestones, for stderr. */
  onStep: (text: string) => void;
}

export interface VmRunResult {
  results: RunResults;
  reportsDir: string;
  written: string[];
  /** The suite's exit code inside the VM. */
  suiteExit: number;
  timings: { initramfsMs: number; userspaceMs?: number; bootMs: number };
}

/** The VM never produced results: the message says what was reached, `console` the last lines seen. */
export class VmRunError extends Error {
  override name = "VmRunError";
  constructor(
    message: string,
    readonly console: string[],
  ) {
    super(message);
  }
}

const PANIC = /Kernel panic - not syncing: (.*)$/;

export class VmAborted extends Error {
  override name = "VmAborted";
}

/** A kernel release as a directory name (it can hold "+", never "/", but be safe). */
export function releaseDir(release: string): string {
  const safe = release.replace(/[^\w.+-]/g, "_");
  return safe === "" || safe === "." || safe === ".." ? "unknown-kernel" : safe;
}

function parseGuestJson(data: Buffer, label: string, console: string[], name: string = REPORT_FILES.driftJson): unknown {
  try {
    return JSON.parse(data.toString("utf8"));
  } catch (err) {
    throw new VmRunError(`${label}: ${name} from the VM is not JSON: ${(err as Error).message}`, console);
  }
}

export interface GuestFiles {
  /** The files the guest sent back over the console, by name. */
  files: Map<string, Buffer>;
  /** The release the guest's init reported when it started (uname -r), if it did. */
  booted: string | undefined;
  label: string;
  reportsRoot: string;
  /** The last console lines, for errors. */
  console: string[];
}

/**
 * The reports of one VM run, rebuilt on the host: from the guest's
 * results.json, checked to be of the kernel that booted, and the guest's
 * drift rows (which only the guest could measure). The guest's own KTAP,
 * JUnit and summary are dropped: the host's rebuilt ones win.
 */
export async function hostReports(g: GuestFiles): Promise<{ results: RunResults; reportsDir: string; written: string[] }> {
  const parsed = parseGuestJson(g.files.get(REPORT_FILES.results)!, g.label, g.console, REPORT_FILES.results);
  const results = checkResults(parsed, `results.json from the VM (${g.label})`);
  // The results must come from the kernel this VM booted, not from a stale file or another guest.
  if (g.booted === undefined || results.kernel.release !== g.booted) {
    const booted = g.booted === undefined ? "the guest never reported the kernel it booted" : `the guest booted ${terminalText(g.booted)}`;
    throw new VmRunError(`${g.label}: results.json is of kernel ${terminalText(results.kernel.release)} but ${booted}`, g.console);
  }
  const reportsDir = join(g.reportsRoot, releaseDir(results.kernel.release));
  const driftData = g.files.get(REPORT_FILES.driftJson);
  const drift = driftData ? checkDrift(parseGuestJson(driftData, g.label, g.console), `drift.json from the VM (${g.label})`) : undefined;
  // Other files the guest sent go beside them, under a plain name; writeReports never lets one replace a report.
  const extra = [...g.files].filter(([name]) => /^[\w][\w.-]*$/.test(name));
  const written = await writeReports(results, reportsDir, drift, { extra });
  return { results, reportsDir, written };
}

export async function runInVm(o: VmRunOptions): Promise<VmRunResult> {
  const work = await mkdtemp(join(tmpdir(), "kapi-conform-vm-"));
  try {
    const t0 = Date.now();
    const initramfs = await buildInitramfs({ root: o.root, busybox: o.busybox, workDir: work, ...(o.image.config ? { kernelConfig: o.image.config } : {}) });
    const initramfsMs = Date.now() - t0;
    o.onStep(`initramfs ready in ${initramfsMs} ms (base ${initramfs.cached.base ? "cached" : "built"}, app ${initramfs.cached.app ? "cached" : "built"})`);

    const nonce = randomBytes(8).toString("hex");
    const append = [`console=ttyS0`, `panic=-1`, `quiet`, `${CMDLINE.nonce}=${nonce}`, ...(o.stress ? [`${CMDLINE.stress}=${o.stress}`] : []), ...(o.caseTimeoutS ? [`${CMDLINE.caseTimeout}=${o.caseTimeoutS}`] : [])].join(" ");
    const splitter = new ConsoleSplitter(nonce);
    const tail = new LastLines(20);
    const files = new Map<string, Buffer>();
    const problems: string[] = [];
    let release: string | undefined;
    let userspaceMs: number | undefined;
    let suiteExit: number | undefined;
    let inSuite = false;
    let panic: string | undefined;
    let marked: Promise<void> | undefined;
    const bootStart = Date.now();

    const outcome = await boot({
      qemu: o.qemu,
      kernel: o.image.kernel,
      initrd: initramfs.image,
      accel: o.accel,
      memoryMb: o.memoryMb,
      cpus: o.cpus,
      append,
      timeoutMs: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
      onLine: (line) => {
        for (const ev of splitter.push(line)) {
          switch (ev.kind) {
            case "noise": {
              tail.push(ev.line);
              const p = PANIC.exec(ev.line);
              if (p && panic === undefined) panic = p[1]!.trim();
              o.onNoise?.(ev.line);
              break;
            }
            case "start":
              release = ev.release;
              // From here the kernel's report directory says "running" (its previous set in .previous/), as `run` does.
              marked = startReports(join(o.reportsRoot, releaseDir(ev.release)), { tool: TOOL, startedAt: new Date().toISOString() });
              marked.catch(() => undefined);
              userspaceMs = Date.now() - bootStart;
              tail.push(`(init started on ${ev.release})`);
              o.onStep(`kernel ${ev.release} reached userspace in ${userspaceMs} ms; running the suite`);
              inSuite = true;
              break;
            case "ktap":
              tail.push(ev.line);
              o.onKtap(ev.line);
              break;
            case "log":
              tail.push(ev.line);
              o.onLog(ev.line);
              break;
            case "suite-exit":
              suiteExit = ev.code;
              inSuite = false;
              tail.push(`(suite exited with ${ev.code})`);
              break;
            case "file":
              files.set(ev.name, ev.data);
              break;
            case "file-corrupt":
              problems.push(`${ev.name}: ${ev.why}`);
              break;
            case "done":
              break;
          }
        }
      },
    });
    const bootMs = outcome.elapsedMs;
    // A directory that could not be marked cannot take the reports either: that error (one line, exit 2) first.
    await marked;
    if (outcome.aborted) throw new VmAborted("interrupted");

    const data = files.get(REPORT_FILES.results);
    if (!data) {
      const reached =
        release === undefined ? "the kernel never reached /init" : inSuite ? `the suite was still running on ${release}` : suiteExit !== undefined ? `the suite exited with ${suiteExit} on ${release} without sending results.json` : `init started on ${release} but the suite did not`;
      const how = panic !== undefined ? `the kernel panicked (${panic})` : outcome.timedOut ? `no results within ${Math.round(o.timeoutMs / 1000)} s` : `qemu exited (status ${outcome.exitCode}) after ${bootMs} ms with no results`;
      // qemu's stderr matters when it failed by itself, not after we stopped it.
      const qemuSaid = outcome.stderr && !outcome.timedOut ? [`qemu: ${outcome.stderr.split("\n").pop()}`] : [];
      const extra = [...problems, ...qemuSaid].join("; ");
      throw new VmRunError(`${o.image.label}: ${how}: ${reached}${extra ? ` (${extra})` : ""}`, tail.get());
    }
    const { results, reportsDir, written } = await hostReports({ files, booted: release, label: o.image.label, reportsRoot: o.reportsRoot, console: tail.get() });
    return { results, reportsDir, written, suiteExit: suiteExit ?? -1, timings: { initramfsMs, ...(userspaceMs !== undefined ? { userspaceMs } : {}), bootMs } };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
