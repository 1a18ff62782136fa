// SPDX-License-Identifier: GPL-2.0-only
// Cost of one raw system call through the kernel layer (ffi-rs -> libc
// syscall()) against the same call from C, so the FFI overhead per case is
// known. getpid is the probe: it does no work in the kernel, so the figure is
// nearly all call overhead.
import { spawnSync } from "node:child_process";
import { DataType, load } from "ffi-rs";
import { compileC } from "../kernel/cc.js";
import { syscallNumber } from "../kernel/arch.js";
import { libc } from "../kernel/libc.js";
import { syscall } from "../kernel/syscall.js";
import type { BenchRow } from "./row.js";

const ROUNDS = 5;
/** More rounds through FFI: ratios between layer and ffi-rs need them on a busy machine. */
const FFI_ROUNDS = 11;
const FFI_CALLS = 10_000;
const C_CALLS = 1_000_000;

// SPDX line included: the program is written to a temp dir as a C file.
const C_LOOP = `// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long calls = argc > 1 ? atol(argv[1]) : 1000000;
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	for (long i = 0; i < calls / 10; i++)
		syscall(SYS_getpid);
	for (int r = 0; r < rounds; r++) {
		double t0 = now_ns();
		for (long i = 0; i < calls; i++)
			syscall(SYS_getpid);
		printf("%.3f\\n", (now_ns() - t0) / calls);
	}
	return 0;
}
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/**
 * Median over `rounds` of the mean ns per call of each function. The functions
 * take turns round by round, so a busy machine weighs on all of them alike
 * and their ratios stay meaningful.
 */
function nsPerCall(fns: Array<() => void>, calls: number, rounds = FFI_ROUNDS): number[] {
  for (const fn of fns) for (let i = 0; i < calls / 5; i++) fn();
  const samples: number[][] = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    fns.forEach((fn, k) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) fn();
      samples[k]!.push(Number(process.hrtime.bigint() - t0) / calls);
    });
  }
  return samples.map(median);
}

/** ns per getpid from C, or the reason it could not be measured. */
function cNsPerCall(): number | string {
  const built = compileC({ text: C_LOOP }, "getpid-loop");
  if (!built.ok) return built.reason;
  try {
    const run = spawnSync(built.path, [String(C_CALLS), String(ROUNDS)], { encoding: "utf8", timeout: 60_000 });
    if (run.status !== 0) return `getpid-loop exited ${run.status ?? run.signal}: ${run.stderr}`;
    return median(run.stdout.trim().split("\n").map(Number));
  } finally {
    built.cleanup();
  }
}

export async function measure(): Promise<BenchRow[]> {
  // The same call straight through ffi-rs: what the layer's own JS costs on top.
  const nr = BigInt(syscallNumber("getpid"));
  const lib = libc();
  const types = [DataType.BigInt];
  // ffi-rs's floor: one params object made once, no errno object. The layer can only add to this.
  const floorParams = { library: lib, funcName: "syscall", retType: DataType.BigInt, paramsType: types, paramsValue: [nr] };
  const [viaLayer, viaFfiRs, floor] = nsPerCall(
    [
      () => syscall("getpid"),
      () => load({ library: lib, funcName: "syscall", retType: DataType.BigInt, paramsType: types, paramsValue: [nr], errno: true as const }),
      () => load(floorParams),
    ],
    FFI_CALLS,
  ) as [number, number, number];
  const c = cNsPerCall();
  const rows: BenchRow[] = [
    { name: "getpid via kernel layer syscall()", value: round(viaLayer), unit: "ns/call", note: `median of ${FFI_ROUNDS} x ${FFI_CALLS} calls, rounds interleaved with the two below` },
    { name: "getpid via bare ffi-rs load (errno: true)", value: round(viaFfiRs), unit: "ns/call", note: "a fresh params object and ffi-rs's errno object per call" },
    { name: "getpid via ffi-rs floor (reused params, no errno)", value: round(floor), unit: "ns/call", note: "the least ffi-rs costs per call" },
    { name: "kernel layer / ffi-rs floor", value: round(viaLayer / floor), unit: "x", note: "the layer's own overhead" },
  ];
  if (typeof c === "number") {
    rows.push({ name: "getpid in C (libc syscall())", value: round(c), unit: "ns/call", note: `median of ${ROUNDS} x ${C_CALLS} calls` });
    rows.push({ name: "kernel layer / C", value: round(viaLayer / c), unit: "x" });
  } else {
    rows.push({ name: "getpid in C (libc syscall())", value: NaN, unit: "ns/call", note: `not measured: ${c}` });
    rows.push({ name: "kernel layer / C", value: NaN, unit: "x", note: "no C figure" });
  }
  return rows;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
