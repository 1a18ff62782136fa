// SPDX-License-Identifier: GPL-2.0-only
// `npm run bench`: every benchmark's figures as one table on stdout and in
// reports/bench.json. Prints figures; asserts nothing about time.
import { mkdirSync, writeFileSync } from "node:fs";
import type { BenchRow } from "./row.js";

const areas: Array<[string, () => Promise<{ measure(): Promise<BenchRow[]> }>]> = [
  ["parse", () => import("./parse.js")],
  ["syscall", () => import("./syscall.js")],
  ["run", () => import("./run.js")],
];

const only = process.argv.slice(2);
const rows: Array<BenchRow & { area: string }> = [];
for (const [area, load] of areas) {
  if (only.length && !only.includes(area)) continue;
  process.stderr.write(`bench: ${area}...\n`);
  for (const row of await (await load()).measure()) rows.push({ area, ...row });
}

const width = Math.max(...rows.map((r) => r.name.length), 10);
for (const r of rows) {
  const value = r.value >= 100 ? r.value.toFixed(0) : r.value >= 1 ? r.value.toFixed(2) : r.value.toPrecision(3);
  process.stdout.write(`${r.area.padEnd(8)} ${r.name.padEnd(width)} ${value.padStart(10)} ${r.unit}${r.note ? `  (${r.note})` : ""}\n`);
}
mkdirSync("reports", { recursive: true });
writeFileSync("reports/bench.json", JSON.stringify({ at: new Date().toISOString(), rows }, null, 2) + "\n");
process.stderr.write("bench: wrote reports/bench.json\n");
