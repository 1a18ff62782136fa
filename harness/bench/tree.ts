// SPDX-License-Identifier: GPL-2.0-only
// Scanning a large source tree for KAPI blocks (every .c/.patch/.diff/.mbox/
// .txt file read and searched for KAPI comments) next to `grep -rl` for the
// KAPI section markers over the same files. Pass a tree with `--tree DIR`
// (for example an unpacked Debian linux-source); without one, /usr/include
// (or the project itself) stands in, and the row says so.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { extractBlocks } from "../spec/extract.js";
import { readInputs, SPEC_EXTENSIONS } from "../spec/inputs.js";
import type { BenchRow } from "./row.js";

const MARKERS = "^[+ ]?\\s*\\* (long-desc|context-flags|contexts):";

function defaultTree(): string {
  return existsSync("/usr/include") ? "/usr/include" : ".";
}

export async function measure(options: { tree?: string } = {}): Promise<BenchRow[]> {
  const tree = options.tree ?? defaultTree();
  const standIn = options.tree ? "" : " (stand-in: pass --tree DIR for a kernel tree)";
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
    { name: `scan ${tree} for KAPI blocks`, value: Math.round(ours), unit: "ms", note: `${inputs.length} files, ${blocks} KAPI blocks${standIn}` },
    { name: `grep -rl KAPI markers over ${tree}`, value: Math.round(grepMs), unit: "ms", note: Number.isNaN(grepFiles) ? `grep failed: ${grep.stderr.trim()}` : `${grepFiles} files match` },
    { name: "scan / grep", value: Math.round((ours / grepMs) * 100) / 100, unit: "x" },
  ];
}
