// SPDX-License-Identifier: GPL-2.0-only
// Parse speed: the in-process time to parse the bundled io_cancel spec and the
// whole KAPI corpus (../shared/kapi-corpus), warm, median of RUNS runs. The
// texts are read once up front so the figure is the parser's, not the disk's;
// a separate row includes the I/O of loadSpecs. Run alone: `npm run bench:parse`.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import type { BenchRow } from "./row.js";
import { parseInput } from "../spec/parse-input.js";
import { DEFAULT_SPEC_INPUT, loadSpecs } from "../spec/load.js";
import { packageRoot } from "../spec/root.js";

const RUNS = 25;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function time(run: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await run(); // warm-up: JIT and caches
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function measure(): Promise<BenchRow[]> {
  const root = packageRoot();
  const rows: BenchRow[] = [];
  const bundled = path.join(root, DEFAULT_SPEC_INPUT);
  const bundledText = readFileSync(bundled, "utf8");
  rows.push({
    name: "parse bundled io_cancel archive page",
    value: await time(() => parseInput(DEFAULT_SPEC_INPUT, bundledText)),
    unit: "ms",
    note: `median of ${RUNS}, warm, in memory`,
  });

  const corpus = path.resolve(root, "..", "shared", "kapi-corpus");
  if (!existsSync(corpus)) {
    const note = `skipped: ${corpus} is absent (the KAPI corpus lives outside the project)`;
    rows.push({ name: "parse KAPI corpus", value: Number.NaN, unit: "ms", note });
    rows.push({ name: "loadSpecs KAPI corpus dir", value: Number.NaN, unit: "ms", note });
    return rows;
  }
  const files = readdirSync(corpus)
    .filter((f) => /\.(patch|txt)$/.test(f))
    .map((f) => ({ file: f, text: readFileSync(path.join(corpus, f), "utf8") }));
  let specs = 0;
  const parseAll = () => {
    specs = 0;
    for (const f of files) specs += parseInput(f.file, f.text).specs.length;
  };
  rows.push({
    name: `parse KAPI corpus (${files.length} files)`,
    value: await time(parseAll),
    unit: "ms",
    note: `${specs} specs; median of ${RUNS}, warm, in memory`,
  });
  rows.push({
    name: "loadSpecs KAPI corpus dir",
    value: await time(() => loadSpecs([corpus])),
    unit: "ms",
    note: `median of ${RUNS}, warm, including file reads`,
  });
  return rows;
}

// Run directly (npm run bench:parse): print the rows.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await measure()) {
    const value = Number.isNaN(r.value) ? "-" : r.value.toFixed(2);
    process.stdout.write(`${r.name.padEnd(40)} ${value.padStart(8)} ${r.unit}${r.note ? `  (${r.note})` : ""}\n`);
  }
}
