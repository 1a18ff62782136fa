// SPDX-License-Identifier: GPL-2.0-only
// `npm run bench [-- AREA... --tree DIR --baseline DIR]`: every benchmark's figures as one
// table on stdout and in reports/bench.json. Prints figures; asserts nothing
// about time.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { BenchRow } from "./row.js";

interface BenchOptions {
  tree?: string;
  baseline?: string;
}

type Area = () => Promise<{ measure(options: BenchOptions): Promise<BenchRow[]> }>;

const areas: Record<string, Area> = {
  parse: () => import("./parse.js"),
  tree: () => import("./tree.js"),
  syscall: () => import("./syscall.js"),
  race: () => import("./race.js"),
  run: () => import("./run.js"),
};

let args;
try {
  args = parseArgs({ options: { tree: { type: "string" }, baseline: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals: true });
} catch (err) {
  process.stderr.write(`bench: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}\n`);
  process.exit(2);
}
if (args.values.help) {
  process.stdout.write(
    `usage: npm run bench -- [AREA...] [--tree DIR] [--baseline DIR]\nareas: ${Object.keys(areas).join(", ")} (default: all)\n` +
      "  --tree DIR      a kernel source tree for the tree area\n  --baseline DIR  another checkout, built: the run area times its whole run beside this one's\n",
  );
  process.exit(0);
}
const unknown = args.positionals.filter((a) => !(a in areas));
if (unknown.length) {
  process.stderr.write(`bench: unknown area '${unknown[0]}' (areas: ${Object.keys(areas).join(", ")})\n`);
  process.exit(2);
}
if (args.values.baseline && !existsSync(join(args.values.baseline, "build", "harness", "cli", "main.js"))) {
  process.stderr.write(`bench: --baseline ${args.values.baseline}: no build/harness/cli/main.js there (clone that commit, npm ci, npm run build)\n`);
  process.exit(2);
}
const options: BenchOptions = {
  ...(args.values.tree ? { tree: args.values.tree } : {}),
  ...(args.values.baseline ? { baseline: args.values.baseline } : {}),
};

const rows: Array<BenchRow & { area: string }> = [];
for (const [area, load] of Object.entries(areas)) {
  if (args.positionals.length && !args.positionals.includes(area)) continue;
  process.stderr.write(`bench: ${area}...\n`);
  for (const row of await (await load()).measure(options)) rows.push({ area, ...row });
}

const width = Math.max(...rows.map((r) => r.name.length), 10);
for (const r of rows) {
  const value = Number.isNaN(r.value) ? "-" : r.value >= 100 ? r.value.toFixed(0) : r.value >= 1 ? r.value.toFixed(2) : r.value.toPrecision(3);
  process.stdout.write(`${r.area.padEnd(8)} ${r.name.padEnd(width)} ${value.padStart(10)} ${r.unit}${r.note ? `  (${r.note})` : ""}\n`);
}
mkdirSync("reports", { recursive: true });
writeFileSync("reports/bench.json", JSON.stringify({ at: new Date().toISOString(), options, rows }, null, 2) + "\n");
process.stderr.write("bench: wrote reports/bench.json\n");
