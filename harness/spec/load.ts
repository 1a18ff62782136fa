// SPDX-License-Identifier: GPL-2.0-only
// The one entry point for everything that needs specs: read the inputs, find
// the KAPI blocks, parse them. Paths are recorded as given (never absolutised),
// so the same command gives the same JSON on every machine.
import path from "node:path";
import type { Diagnostic, Spec } from "./model.js";
import { InputError } from "../input-error.js";
import { formatDiagnostic, sortDiagnostics } from "./diagnostic.js";
import { readInputs } from "./inputs.js";
import { parseInput } from "./parse-input.js";
import { packageRoot } from "./root.js";

export interface ParseOutcome {
  specs: Spec[];
  diagnostics: Diagnostic[];
  unattributed: { file: string; line: number; text: string }[];
}

/** The bundled spec input, relative to the project root. */
export const DEFAULT_SPEC_INPUT = "specs/io_cancel.archive.txt";

/**
 * The bundled spec input, usable from any working directory. The rule: the
 * path relative to the current directory when the file lies below it (from the
 * project root that is exactly DEFAULT_SPEC_INPUT, so recorded SourceRefs match
 * the checked-in JSON), otherwise absolute.
 */
export function defaultSpecPath(): string {
  const absolute = path.join(packageRoot(), DEFAULT_SPEC_INPUT);
  const relative = path.relative(process.cwd(), absolute);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : absolute;
}

/** Read and parse every input. Throws InputError when an input is unreadable or no spec is found at all. */
export async function loadSpecs(inputs: string[]): Promise<ParseOutcome> {
  if (inputs.length === 0) throw new InputError("no spec input given");
  const outcome: ParseOutcome = { specs: [], diagnostics: [], unattributed: [] };
  for (const { file, text } of await readInputs(inputs)) {
    const one = parseInput(file, text);
    outcome.specs.push(...one.specs);
    outcome.diagnostics.push(...one.diagnostics);
    outcome.unattributed.push(...one.unattributed);
  }
  if (outcome.specs.length === 0) {
    // The CLI prints only this line: carry the first finding's file:line, which says why.
    const first = sortDiagnostics(outcome.diagnostics)[0];
    const why = first ? ` (${formatDiagnostic(first)})` : "";
    throw new InputError(`no KAPI specification found in ${inputs.map((i) => `'${i}'`).join(", ")}${why}`);
  }
  return outcome;
}
