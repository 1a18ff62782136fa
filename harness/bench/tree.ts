// SPDX-License-Identifier: GPL-2.0-only
// Scanning a large source tree for KAPI blocks (every .c/.patch/.diff/.mbox/
// .txt file read and searched for KAPI comments) next to `grep -rl` for the
// KAPI section markers over the same files. Pass a tree with `--tree DIR`
// (for example an unpacked Debian linux-source); without one the rows say
// "not measured": a small stand-in tree would time start-up, not scanning.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { extractBlocks } from "../spec/extract.js";
import { readInputs, SPEC_EXTENSIONS } from "../spec/inputs.js";
import type { BenchRow } from "./row.js";

const MARKERS = "^[+ ]?\\s*\\* (long-desc|context-flags|contexts):";

const NOT_MEASURED = "not measured: pass --tree DIR (e.g. an unpacked Debian linux-source)";

export async function measure(options: { tree?: string } = {}): Promise<BenchRow[]> {
  const tree = options.tree;
  if (tree === undefined) {
    return [
      { name: "scan DIR for KAPI blocks", value: Number.NaN, unit: "ms", note: NOT_MEASURED },
      { name: "grep -rl KAPI markers over DIR", value: Number.NaN, unit: "ms", note: NOT_MEASURED },
      { name: "scan / grep", value: Number.NaN, unit: "x", note: NOT_MEASURED },
    ];
  }
  if (!existsSync(tree)) throw new Error(`--tree ${tree}: no such directory`);
  let start = performance.now();
  const inputs = await readInputs([tree]).catch(() => []);
  let blocks = 0;
  for (const input of inputs) blocks += extractBlocks(input.file, input.text).blocks.length;
  const ours = performance.now() - start;

  const includes = [...SPEC_EXTENSIONS].map((e) => `--include=*${e}`);
  start = performance.now();
  const grep = spawnSync("grep", ["-rlE", ...includes, "--exclude-dir=.*", "--exclude-dir=node_modules", MARKERS, tree], { encoding: "utf8", maxBuffer: 1 << 26 });
  const grepMs = performance.now() - start;
  const grepFiles = grep.status === 0 || grep.status === 1 ? grep.stdout.split("\n").filter(Boolean).length : NaN;

  return [
    { name: `scan ${tree} for KAPI blocks`, value: Math.round(ours), unit: "ms", note: `${inputs.length} files, ${blocks} KAPI blocks` },
    { name: `grep -rl KAPI markers over ${tree}`, value: Math.round(grepMs), unit: "ms", note: Number.isNaN(grepFiles) ? `grep failed: ${grep.stderr.trim()}` : `${grepFiles} files match` },
    { name: "scan / grep", value: Math.round((ours / grepMs) * 100) / 100, unit: "x" },
  ];
}
