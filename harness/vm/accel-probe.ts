// SPDX-License-Identifier: GPL-2.0-only
// Chooses KVM or TCG by trying, not by the presence of /dev/kvm: on some hosts
// /dev/kvm opens but a KVM guest hangs or qemu fails on an MSR. The probe boots
// the kernel under test with a busybox-only initramfs that powers off at once;
// with working KVM that takes about a second, so a few seconds without the
// probe's line means no KVM. The verdict is cached per host kernel and qemu
// binary, so only the first run on a machine pays for it.
import { accessSync, constants, existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { release } from "node:os";
import { cacheDir, cacheKey } from "./cache.js";
import { cleanLine } from "./console.js";
import { buildProbeInitramfs } from "./initramfs.js";
import { boot, type Accel } from "./qemu.js";

export const PROBE_LINE = "KAPI-PROBE-OK";
export const PROBE_TIMEOUT_MS = 8000;

export interface ProbeVerdict {
  accel: Accel;
  /** Why: what the probe saw, or that the verdict was cached. */
  reason: string;
  cached: boolean;
}

function kvmDeviceUsable(): string | undefined {
  if (!existsSync("/dev/kvm")) return "no /dev/kvm";
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
    return undefined;
  } catch {
    return "/dev/kvm is not readable and writable by this user";
  }
}

export async function probeAccel(o: { qemu: string; busybox: string; kernel: string; signal?: AbortSignal }): Promise<ProbeVerdict> {
  const noDevice = kvmDeviceUsable();
  if (noDevice) return { accel: "tcg", reason: noDevice, cached: false };
  const st = statSync(o.qemu);
  const file = join(await cacheDir("probe"), `accel-${cacheKey(release(), o.qemu, String(st.size), String(st.mtimeMs))}.json`);
  if (existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as { accel?: unknown; reason?: unknown };
      if ((saved.accel === "kvm" || saved.accel === "tcg") && typeof saved.reason === "string") return { accel: saved.accel, reason: saved.reason, cached: true };
    } catch {
      // a damaged cache entry: probe again
    }
  }
  const initrd = await buildProbeInitramfs(o.busybox);
  let seen = false;
  const outcome = await boot({
    qemu: o.qemu,
    kernel: o.kernel,
    initrd,
    accel: "kvm",
    memoryMb: 256,
    cpus: 1,
    append: "console=ttyS0 panic=-1 quiet",
    timeoutMs: PROBE_TIMEOUT_MS,
    onLine: (line) => {
      if (cleanLine(line).includes(PROBE_LINE)) seen = true;
    },
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (outcome.aborted) return { accel: "tcg", reason: "probe interrupted", cached: false };
  if (!seen && !outcome.timedOut && outcome.exitCode === 0) {
    // qemu ran and the guest stopped without reaching /init: the kernel's fault
    // (a panic), not KVM's. Use TCG this time, but do not remember it.
    return { accel: "tcg", reason: "inconclusive: the kernel stopped before /init under KVM", cached: false };
  }
  const verdict: Omit<ProbeVerdict, "cached"> = seen
    ? { accel: "kvm", reason: `a KVM guest booted and powered off in ${outcome.elapsedMs} ms` }
    : outcome.timedOut
      ? { accel: "tcg", reason: `a KVM guest did not reach userspace within ${PROBE_TIMEOUT_MS / 1000} s` }
      : { accel: "tcg", reason: `qemu with KVM failed (exit ${outcome.exitCode}): ${outcome.stderr.split("\n").pop() ?? ""}`.trim() };
  writeFileSync(file, JSON.stringify(verdict) + "\n");
  return { ...verdict, cached: false };
}
