// SPDX-License-Identifier: GPL-2.0-only
// One input text (C file, patch, archive page, tools/kapi JSON) -> its specs, diagnostics and
// unattributed lines. Pure and synchronous: the I/O lives in inputs.ts.
import type { ParseOutcome } from "./load.js";
import { extractBlocks } from "./extract.js";
import { parseBlock } from "./parse-block.js";
import { canonicalSpec } from "./canonical.js";
import { isKapiJson, parseKapiJsonInput } from "./kapi-json.js";

/** Parse one input; `file` is recorded in every SourceRef exactly as given. */
export function parseInput(file: string, text: string): ParseOutcome {
  if (isKapiJson(text)) return parseKapiJsonInput(file, text);
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
