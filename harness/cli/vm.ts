// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform vm`: runs the suite on other kernels without rebooting the
// host, each in a throwaway qemu VM booted from an initramfs that holds Node
// and the built project. KTAP on stdout as the guest prints it; progress,
// timings and errors on stderr; reports under <reports>/<kernel release>/.
import { spawn } from "node:child_process";
import { arch, release, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { exitCodeOf } from "../run/verdicts.js";
import { packageRoot } from "../spec/root.js";
import { probeAccel } from "../vm/accel-probe.js";
import { debianKernel } from "../vm/debian-kernel.js";
import { findVmTools, missingToolsMessage } from "../vm/host-tools.js";
import { localKernel, type KernelImage } from "../vm/kernel-image.js";
import type { Accel } from "../vm/qemu.js";
import { VmAborted, VmRunError, releaseDir, runInVm } from "../vm/session.js";
import { MAX_TIMER_MS, parseCommandArgs, wholeNumber } from "./args.js";
import { maxIterations } from "../run/isolation.js";
import { UsageError } from "./errors.js";
import { InputError } from "../input-error.js";
import { ensureReportsDir } from "./reports-dir.js";
import { INTERRUPTS, signalExitCode } from "./signals.js";
import { childEnv } from "../run/parent-death.js";

export const HELP = `usage: kapi-conform vm (--kernel PATH | --deb PACKAGE)... [--host] [options]

Boots each kernel in a qemu VM (KVM when a probe shows it works, else TCG)
with an initramfs holding busybox, Node and the built project, runs
'kapi-conform run' there and writes the reports under REPORTS/<release>/.

  --kernel PATH      an x86 bzImage/vmlinuz (config-RELEASE beside it or in
                     /boot is used for the config checks); repeatable
  --deb PACKAGE      a Debian linux-image-* package (or a meta-package such as
                     linux-image-cloud-amd64, or a .deb file), fetched with
                     apt-get download into the cache; repeatable
  --host             also run the suite on the live kernel (no VM)
  --reports DIR      parent of the per-kernel report dirs (default: reports)
  --timeout SECONDS  per VM, from qemu start to power-off (default 180)
  --accel MODE       auto (probe KVM, fall back to TCG), kvm or tcg (default auto)
  --memory MB        guest memory (default 1024)
  --cpus N           guest CPUs (default 2 with KVM, 1 under TCG, where a
                     second emulated CPU made runs slower, not faster)
  --stress N         iterations of the cancellation race in the guest
  --case-timeout S   per-case limit in the guest ('run --timeout'; default
                     30 under TCG, whose emulation is many times slower,
                     else run's own default)
  --verbose          copy the kernel's console output to stderr
  -h, --help         show this help

Needs the Debian packages qemu-system-x86 and busybox-static ('npm run setup:vm').
Downloads and initramfs pieces are cached in ~/.cache/kapi-conform
($KAPI_CONFORM_CACHE overrides). Exit: 0 every kernel conforms, 1 a deviation
or a VM that failed (panic, hang, no results: its last console lines are
printed), 2 bad arguments or input, 4 everything skipped.`;

/** Per-case limit under TCG: the race case takes tens of times longer there than on hardware. */
const TCG_CASE_TIMEOUT_S = 30;

interface KernelRequest {
  kind: "kernel" | "deb";
  value: string;
}

interface Outcome {
  name: string;
  code: number;
  line: string;
  reportsDir?: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Guest sizes qemu can be asked for: no more memory than this host has, at most 255 vCPUs (the pc machine's limit). */
const MAX_MEMORY_MB = Math.floor(totalmem() / 2 ** 20);
const MAX_CPUS = 255;

/** kselftest's exit code for several runs: any deviation or failure wins, then all-skipped, then pass. */
export function combinedExit(codes: number[]): number {
  if (codes.some((c) => c !== 0 && c !== 4)) return 1;
  if (codes.length > 0 && codes.every((c) => c === 4)) return 4;
  return 0;
}

async function runHost(reportsRoot: string, stress: number | undefined, signal: AbortSignal, say: (s: string) => void): Promise<Outcome> {
  const dir = join(reportsRoot, releaseDir(release()));
  const started = Date.now();
  say(`live kernel ${release()}: running the suite on the host`);
  const main = fileURLToPath(new URL("./main.js", import.meta.url));
  const code = await new Promise<number>((resolve) => {
    // It dies with this process (parent-death.ts); on abort it gets SIGTERM and is waited for while it writes its reports.
    const child = spawn(process.execPath, [main, "run", "--reports", dir, "--quiet", ...(stress ? ["--stress", String(stress)] : [])], { stdio: ["ignore", "inherit", "inherit"], signal, env: childEnv() });
    child.on("error", () => {
      if (!signal.aborted) resolve(2);
    });
    child.on("close", (c) => resolve(c ?? 1));
  });
  const took = Date.now() - started;
  return { name: `${release()} (host)`, code, line: `exit ${code}, ${seconds(took)}`, reportsDir: dir };
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("vm", argv, {
    kernel: { type: "string", multiple: true },
    deb: { type: "string", multiple: true },
    host: { type: "boolean", default: false },
    reports: { type: "string", default: "reports" },
    timeout: { type: "string" },
    accel: { type: "string", default: "auto" },
    memory: { type: "string" },
    cpus: { type: "string" },
    stress: { type: "string" },
    "case-timeout": { type: "string" },
    verbose: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`vm: unexpected argument '${positionals[0]}' (use --kernel PATH or --deb PACKAGE)`);
  const requests: KernelRequest[] = [...(values.kernel ?? []).map((value) => ({ kind: "kernel" as const, value })), ...(values.deb ?? []).map((value) => ({ kind: "deb" as const, value }))];
  if (requests.length === 0 && !values.host) throw new UsageError("vm: name a kernel with --kernel PATH or --deb PACKAGE (try 'kapi-conform vm --help')");
  const maxSeconds = Math.floor(MAX_TIMER_MS / 1000);
  const timeoutMs = wholeNumber("vm", "--timeout", values.timeout, 180, { min: 1, max: maxSeconds, what: "seconds" }) * 1000;
  const memoryMb = wholeNumber("vm", "--memory", values.memory, 1024, { min: 1, max: MAX_MEMORY_MB, what: "MB" });
  const cpusChoice = values.cpus === undefined ? undefined : wholeNumber("vm", "--cpus", values.cpus, 1, { min: 1, max: MAX_CPUS });
  const caseTimeout = values["case-timeout"] === undefined ? undefined : wholeNumber("vm", "--case-timeout", values["case-timeout"], 1, { min: 1, max: maxSeconds, what: "seconds" });
  // The guest's largest default case limit (TCG's), so that the race budget fits a timer whatever the accelerator.
  const guestCaseMs = (caseTimeout ?? TCG_CASE_TIMEOUT_S) * 1000;
  const stress = values.stress === undefined ? undefined : wholeNumber("vm", "--stress", values.stress, 1, { min: 1, max: maxIterations(guestCaseMs, MAX_TIMER_MS), what: "iterations" });
  const accelChoice = values.accel!;
  if (!["auto", "kvm", "tcg"].includes(accelChoice)) throw new UsageError(`vm: --accel is auto, kvm or tcg, not '${accelChoice}'`);
  const reportsRoot = values.reports!;
  // Before any download or boot: a reports dir that cannot be written is known now.
  await ensureReportsDir(reportsRoot);

  const say = (text: string) => process.stderr.write(`kapi-conform vm: ${text}\n`);
  const controller = new AbortController();
  let caught: (typeof INTERRUPTS)[number] | undefined;
  const onSignal = (sig: (typeof INTERRUPTS)[number]) => {
    say(`${sig}: stopping qemu and removing temporary files`);
    caught ??= sig;
    controller.abort();
  };
  for (const s of INTERRUPTS) process.on(s, onSignal);
  const started = Date.now();
  const outcomes: Outcome[] = [];
  try {
    if (requests.length > 0) {
      if (arch() !== "x64") throw new InputError(`vm: boots x86_64 kernels with qemu-system-x86_64, on an x86_64 host only (this is ${arch()})`);
      const { tools, missing } = await findVmTools();
      if (!tools) throw new InputError(missingToolsMessage(missing));
      const root = packageRoot();
      let accel: Accel | undefined = accelChoice === "auto" ? undefined : (accelChoice as Accel);
      for (const req of requests) {
        if (controller.signal.aborted) break;
        const t0 = Date.now();
        let image: KernelImage;
        try {
          image = req.kind === "kernel" ? localKernel(req.value) : await debianKernel(req.value, say);
        } catch (err) {
          // One bad kernel name should not cost the others their run.
          if (!(err instanceof InputError) || requests.length === 1) throw err;
          say(err.message);
          outcomes.push({ name: req.value, code: 2, line: err.message });
          continue;
        }
        say(`${image.label === req.value ? "kernel" : image.label}: ${image.kernel}${image.config ? `, config ${image.config}` : " (no config file found: config checks will skip)"}`);
        if (!accel) {
          const verdict = await probeAccel({ qemu: tools.qemu, busybox: tools.busybox, kernel: image.kernel, signal: controller.signal });
          accel = verdict.accel;
          say(`accelerator: ${accel} (${verdict.reason}${verdict.cached ? ", probed earlier on this host" : ""})`);
        }
        try {
          // Under TCG the guest is slow: a longer per-case limit unless one was given.
          const guestCaseTimeout = caseTimeout ?? (accel === "tcg" ? TCG_CASE_TIMEOUT_S : undefined);
          const r = await runInVm({
            qemu: tools.qemu,
            busybox: tools.busybox,
            root,
            image,
            accel,
            timeoutMs,
            memoryMb,
            cpus: cpusChoice ?? (accel === "kvm" ? 2 : 1),
            ...(stress ? { stress } : {}),
            ...(guestCaseTimeout === undefined ? {} : { caseTimeoutS: guestCaseTimeout }),
            reportsRoot,
            signal: controller.signal,
            onKtap: (line) => process.stdout.write(line + "\n"),
            onLog: (line) => process.stderr.write(`  [vm] ${line}\n`),
            ...(values.verbose ? { onNoise: (line: string) => process.stderr.write(`  [console] ${line}\n`) } : {}),
            onStep: (text) => say(`${image.label}: ${text}`),
          });
          const t = r.results.totals;
          const code = exitCodeOf(r.results);
          const took = Date.now() - t0;
          const line = `${t.pass} pass, ${t.fail} fail, ${t.error} error, ${t.timeout} timeout, ${t.skip} skip; ${accel}, userspace after ${r.timings.userspaceMs !== undefined ? seconds(r.timings.userspaceMs) : "?"}, VM ${seconds(r.timings.bootMs)}, total ${seconds(took)}`;
          say(`${r.results.kernel.release}: ${line}; reports: ${r.reportsDir}`);
          outcomes.push({ name: r.results.kernel.release, code, line, reportsDir: r.reportsDir });
        } catch (err) {
          if (err instanceof VmAborted) break;
          if (!(err instanceof VmRunError)) throw err;
          say(`error: ${err.message}`);
          if (err.console.length > 0) process.stderr.write(`  last console lines:\n${err.console.map((l) => `  | ${l}`).join("\n")}\n`);
          outcomes.push({ name: image.label, code: 1, line: `VM error after ${seconds(Date.now() - t0)}` });
        }
      }
    }
    if (values.host && !controller.signal.aborted) outcomes.push(await runHost(reportsRoot, stress, controller.signal, say));
  } finally {
    for (const s of INTERRUPTS) process.off(s, onSignal);
  }
  if (caught) return signalExitCode(caught);
  if (outcomes.length > 1) {
    say(`done in ${seconds(Date.now() - started)}:`);
    for (const o of outcomes) process.stderr.write(`  ${o.name}: ${o.line}\n`);
    const dirs = outcomes.flatMap((o) => (o.reportsDir ? [o.reportsDir] : []));
    if (dirs.length > 1) say(`side by side: kapi-conform compare ${dirs.join(" ")}`);
  } else {
    say(`done in ${seconds(Date.now() - started)}`);
  }
  return combinedExit(outcomes.map((o) => o.code));
}
