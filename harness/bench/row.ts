// SPDX-License-Identifier: GPL-2.0-only
// One printed benchmark figure. Each harness/bench/<area>.ts exports
// `measure(): Promise<BenchRow[]>`; harness/bench/main.ts prints them all.

export interface BenchRow {
  /** What was measured, e.g. "getpid via ffi". */
  name: string;
  value: number;
  /** "ns/call", "ms", "x" (a ratio), "iter/s", ... */
  unit: string;
  note?: string;
}
