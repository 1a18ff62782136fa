// SPDX-License-Identifier: GPL-2.0-only
// What the parser must guarantee for any input text, however damaged: it
// returns (no exception, in bounded time), every diagnostic and every stored
// SourceRef names the input and a line that exists in it, and an input with a
// KAPI block is never dropped without a word. `parse`/`lint` users rely on
// file:line to find what went wrong.
import { performance } from "node:perf_hooks";
import { parseInput } from "../spec/parse-input.js";
import { lintOutcome } from "../spec/lint.js";
import type { ParseOutcome } from "../spec/load.js";
import type { Diagnostic, Spec } from "../spec/model.js";
import { KAPI_MARKER_SECTIONS } from "../spec/vocabulary.js";

export type ViolationCode = "report-format" | "exception" | "diagnostic-location" | "unattributed-location" | "source-location" | "silent-rejection" | "not-json" | "slow";

export interface Violation {
  code: ViolationCode;
  message: string;
}

export interface CheckOptions {
  /** Parse plus lint of one input slower than this is a finding (a hang in the making). */
  slowMs: number;
}

export interface CheckResult {
  violations: Violation[];
  specs: number;
  /** The specs themselves, for the report-format checks. */
  parsed: Spec[];
  errors: number;
  ms: number;
}

/** A comment line holding a KAPI marker section at column 0, with an optional diff marker before it. */
const MARKER_LINE = new RegExp(`^[+ ]?[ \\t]*\\*[ \\t]?(?:${[...KAPI_MARKER_SECTIONS].join("|")}):(?:\\s|$)`);

/**
 * Whether the text has what a reader would call a KAPI block: a `/**` line
 * followed by a marker section. Deliberately independent of the parser.
 */
export function looksLikeKapi(text: string): boolean {
  let opened = false;
  for (const line of text.split("\n")) {
    if (line.includes("/**")) opened = true;
    else if (opened && MARKER_LINE.test(line)) return true;
  }
  return false;
}

function lineOk(line: unknown, lines: number): boolean {
  return typeof line === "number" && Number.isInteger(line) && line >= 1 && line <= lines;
}

/** Every {file, line} object in a spec (SourceRefs, the spec's own source), with its JSON path. */
function sourceRefs(value: unknown, at: string, out: { at: string; file: unknown; line: unknown }[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => sourceRefs(v, `${at}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("file" in record && "line" in record) out.push({ at, file: record.file, line: record.line });
    for (const [k, v] of Object.entries(record)) if (k !== "syscallDefine") sourceRefs(v, `${at}.${k}`, out);
  }
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const frame = err.stack?.split("\n").find((l) => l.trim().startsWith("at "))?.trim();
  return `${err.name}: ${err.message}${frame ? ` (${frame})` : ""}`;
}

/** Parse and lint one text in-process, and list every broken guarantee. */
export function checkInput(file: string, text: string, options: CheckOptions): CheckResult {
  const violations: Violation[] = [];
  const lines = text.split("\n").length;
  const start = performance.now();
  let outcome: ParseOutcome;
  let linted: Diagnostic[];
  try {
    outcome = parseInput(file, text);
    linted = lintOutcome(outcome);
  } catch (err) {
    return { violations: [{ code: "exception", message: describe(err) }], specs: 0, parsed: [], errors: 0, ms: performance.now() - start };
  }
  const ms = performance.now() - start;
  if (ms > options.slowMs) violations.push({ code: "slow", message: `parse and lint took ${Math.round(ms)} ms (limit ${options.slowMs} ms) for ${text.length} characters` });

  // Lint findings include the parser's diagnostics and the unattributed lines.
  for (const d of linted) {
    if (d.file !== file || !lineOk(d.line, lines)) {
      violations.push({ code: "diagnostic-location", message: `${d.severity} [${d.code}] at ${JSON.stringify(d.file)}:${String(d.line)} (input has ${lines} lines): ${d.message.slice(0, 200)}` });
    }
  }
  for (const u of outcome.unattributed) {
    if (u.file !== file || !lineOk(u.line, lines)) violations.push({ code: "unattributed-location", message: `unattributed text at ${JSON.stringify(u.file)}:${String(u.line)}` });
  }
  for (const spec of outcome.specs) {
    const refs: { at: string; file: unknown; line: unknown }[] = [];
    sourceRefs(spec, "spec", refs);
    for (const r of refs) {
      if (r.file !== file || !lineOk(r.line, lines)) violations.push({ code: "source-location", message: `${r.at} points at ${JSON.stringify(r.file)}:${String(r.line)} (input has ${lines} lines)` });
    }
    const define = spec.source.syscallDefine;
    if (define && !lineOk(define.line, lines)) violations.push({ code: "source-location", message: `spec.source.syscallDefine.line ${define.line} (input has ${lines} lines)` });
    if (!lineOk(spec.source.endLine, lines) || spec.source.endLine < spec.source.line) {
      violations.push({ code: "source-location", message: `spec.source.endLine ${spec.source.endLine} (starts at ${spec.source.line}, input has ${lines} lines)` });
    }
    // Specs are JSON documents: a value JSON cannot carry (a function, NaN, Infinity) would change on the way out.
    if (!sameJson(spec, JSON.parse(JSON.stringify(spec)))) {
      violations.push({ code: "not-json", message: `spec '${spec.name}' holds values JSON cannot represent` });
    }
  }
  const errors = linted.filter((d) => d.severity === "error").length;
  if (outcome.specs.length === 0 && outcome.diagnostics.length === 0 && looksLikeKapi(text)) {
    violations.push({ code: "silent-rejection", message: "the input has a '/**' comment with a KAPI section, but no spec and no diagnostic came out" });
  }
  return { violations, specs: outcome.specs.length, parsed: outcome.specs, errors, ms };
}

/** Structural equality that tells a function or non-finite number from its JSON stand-in. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === "number") return Number.isFinite(a) && a === b;
  if (typeof a === "function" || typeof a === "symbol" || typeof a === "bigint") return false;
  if (a === null || typeof a !== "object") return a === b;
  if (b === null || typeof b !== "object") return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
