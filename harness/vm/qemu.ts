// SPDX-License-Identifier: GPL-2.0-only
// Boots a kernel and initramfs under qemu-system-x86_64 with the serial console
// on stdout, hands every console line to the caller as it arrives, and makes
// sure qemu is gone when boot() returns: powered off, crashed, timed out or
// aborted (SIGINT), it is killed and reaped; and when this process dies.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { LineBuffer } from "./console.js";

export type Accel = "kvm" | "tcg";

export interface BootOptions {
  qemu: string;
  kernel: string;
  initrd: string;
  accel: Accel;
  memoryMb: number;
  cpus: number;
  append: string;
  timeoutMs: number;
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

export interface BootOutcome {
  /** qemu's exit status (0 after the guest powered off or rebooted with -no-reboot). */
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  /** qemu's own messages (bad option, KVM errors), last few KiB. */
  stderr: string;
  elapsedMs: number;
}

export function qemuArgs(o: Pick<BootOptions, "kernel" | "initrd" | "accel" | "memoryMb" | "cpus" | "append">): string[] {
  return [
    "-no-user-config",
    "-nodefaults", // no VGA, NIC or option ROMs to initialise: the guest needs a serial port only
    "-display", "none",
    "-no-reboot", // a panic (panic=-1) or a reboot ends qemu instead of looping
    "-accel", o.accel,
    "-cpu", o.accel === "kvm" ? "host" : "max",
    "-smp", String(o.cpus),
    "-m", String(o.memoryMb),
    "-chardev", "stdio,id=console,signal=off",
    "-serial", "chardev:console",
    "-kernel", o.kernel,
    "-initrd", o.initrd,
    "-append", o.append,
  ];
}

const STDERR_KEEP = 4096;

/**
 * util-linux's setpriv (essential on Debian) asks the kernel to SIGKILL qemu
 * when the process that started it dies, even of SIGKILL, which runs no
 * handler: a guest never outlives its `vm`. Without setpriv, qemu is started
 * as it is.
 */
const SETPRIV = "/usr/bin/setpriv";

/** The command that starts qemu with `args`, tied to this process's life when it can be. */
function qemuCommand(qemu: string, args: string[]): { command: string; args: string[] } {
  return existsSync(SETPRIV) ? { command: SETPRIV, args: ["--pdeathsig", "KILL", "--", qemu, ...args] } : { command: qemu, args };
}

export function boot(o: BootOptions): Promise<BootOutcome> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) {
      resolve({ exitCode: null, timedOut: false, aborted: true, stderr: "", elapsedMs: 0 });
      return;
    }
    const { command, args } = qemuCommand(o.qemu, qemuArgs(o));
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const lines = new LineBuffer();
    let stderr = "";
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = () => {
      child.kill("SIGTERM");
      // TCG guests stop at once on SIGTERM; a wedged KVM vCPU may not.
      killTimer ??= setTimeout(() => child.kill("SIGKILL"), 2000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, o.timeoutMs);
    const onAbort = () => {
      aborted = true;
      kill();
    };
    o.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      for (const line of lines.push(chunk)) o.onLine(line);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    child.on("error", (err) => {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      reject(new Error(`cannot start ${o.qemu}: ${err.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      o.signal?.removeEventListener("abort", onAbort);
      for (const line of lines.flush()) o.onLine(line);
      resolve({ exitCode: code, timedOut, aborted, stderr: stderr.trim(), elapsedMs: Date.now() - started });
    });
  });
}
