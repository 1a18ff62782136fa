// SPDX-License-Identifier: GPL-2.0-only
// One input text (C file, patch, archive page) -> its specs, diagnostics and
// unattributed lines. Pure and synchronous: the I/O lives in inputs.ts.
import type { ParseOutcome } from "./load.js";
import { extractBlocks } from "./extract.js";
import { parseBlock } from "./parse-block.js";
import { canonicalSpec } from "./canonical.js";

/** Parse one input; `file` is recorded in every SourceRef exactly as given. */
export function parseInput(file: string, text: string): ParseOutcome {
  const extraction = extractBlocks(file, text);
  const outcome: ParseOutcome = { specs: [], diagnostics: [...extraction.diagnostics], unattributed: [] };
  for (const block of extraction.blocks) {
    const result = parseBlock(block);
    outcome.specs.push(canonicalSpec(result.spec));
    outcome.diagnostics.push(...result.diagnostics);
    outcome.unattributed.push(...result.unattributed);
  }
  return outcome;
}
