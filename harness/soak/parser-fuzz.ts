// SPDX-License-Identifier: GPL-2.0-only
// The parser fuzzer: mutated copies of the KAPI corpus texts, parsed and
// linted in-process, each checked against the parser's guarantees
// (parse-invariants.ts). Iteration i is a pure function of (seed, i), so a
// finding is reproduced from the three numbers it is recorded with.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { packageRoot } from "../spec/root.js";
import { MUTATION_KINDS, mutate, type MutationKind } from "./mutations.js";
import { checkInput, type Violation } from "./parse-invariants.js";
import { checkReportFormats } from "./report-formats.js";
import { between, iterationSeed, mulberry32, pick } from "./prng.js";

/** A seed text: its file name (which decides the input format) and content. */
export interface SeedText {
  file: string;
  text: string;
}

/** ../shared/kapi-corpus next to the project: public patches, read in place, never copied. */
export function defaultCorpusDir(): string {
  return path.resolve(packageRoot(), "..", "shared", "kapi-corpus");
}

/** The corpus patches and archive page, by name. Throws (ENOENT) when the directory is absent. */
export function readCorpus(dir: string = defaultCorpusDir()): SeedText[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".patch") || f.endsWith(".txt"))
    .sort()
    .map((f) => ({ file: f, text: readFileSync(path.join(dir, f), "utf8") }));
}

export interface FuzzInput {
  iteration: number;
  /** The corpus file the input was mutated from; also the name it is parsed under. */
  base: string;
  kinds: MutationKind[];
  text: string;
}

/** The input of one iteration: a corpus text with one to three mutations applied. */
export function fuzzInput(corpus: readonly SeedText[], seed: number, iteration: number): FuzzInput {
  const rng = mulberry32(iterationSeed(seed, iteration));
  const base = pick(rng, corpus);
  const kinds: MutationKind[] = [];
  let text = base.text;
  for (let n = between(rng, 1, 3); n > 0; n--) {
    const kind = pick(rng, MUTATION_KINDS);
    kinds.push(kind);
    text = mutate(kind, text, rng);
  }
  return { iteration, base: base.file, kinds, text };
}

export interface Finding extends Violation {
  seed: number;
  iteration: number;
  base: string;
  kinds: MutationKind[];
}

export interface FuzzOptions {
  seed: number;
  iterations: number;
  /** Parse plus lint of one input slower than this is a finding. */
  slowMs?: number;
  /** Called every `progressEvery` iterations and at the end. */
  onProgress?: (done: number, findings: number, elapsedMs: number) => void;
  progressEvery?: number;
  /** Also check every report format for each spec an input yields (default true). */
  formats?: boolean;
}

export interface FuzzReport {
  seed: number;
  iterations: number;
  elapsedMs: number;
  /** How often each mutation was applied (an input can carry several). */
  kinds: Record<MutationKind, number>;
  /** Inputs that still produced at least one spec, and the error diagnostics seen. */
  specsProduced: number;
  /** Inputs whose specs had their reports rendered and checked. */
  formatsChecked: number;
  errorDiagnostics: number;
  findings: Finding[];
}

export const DEFAULT_SLOW_MS = 2000;

export async function fuzzParser(corpus: readonly SeedText[], options: FuzzOptions): Promise<FuzzReport> {
  if (corpus.length === 0) throw new Error("fuzzParser needs at least one seed text");
  const kinds = Object.fromEntries(MUTATION_KINDS.map((k) => [k, 0])) as Record<MutationKind, number>;
  const report: FuzzReport = { seed: options.seed, iterations: 0, elapsedMs: 0, kinds, specsProduced: 0, formatsChecked: 0, errorDiagnostics: 0, findings: [] };
  const every = options.progressEvery ?? 1000;
  const start = performance.now();
  for (let i = 0; i < options.iterations; i++) {
    const input = fuzzInput(corpus, options.seed, i);
    for (const k of input.kinds) kinds[k] += 1;
    const checked = checkInput(input.base, input.text, { slowMs: options.slowMs ?? DEFAULT_SLOW_MS });
    if (checked.specs > 0) report.specsProduced += 1;
    report.errorDiagnostics += checked.errors;
    if (checked.specs > 0 && options.formats !== false) {
      checked.violations.push(...(await checkReportFormats(checked.parsed)));
      report.formatsChecked += 1;
    }
    for (const v of checked.violations) report.findings.push({ ...v, seed: options.seed, iteration: i, base: input.base, kinds: input.kinds });
    report.iterations = i + 1;
    if (options.onProgress && (i + 1) % every === 0) options.onProgress(i + 1, report.findings.length, performance.now() - start);
  }
  report.elapsedMs = performance.now() - start;
  return report;
}

/** One line per finding, with what it takes to replay it. */
export function formatFinding(f: Finding): string {
  return `seed ${f.seed} iteration ${f.iteration} (${f.base}; ${f.kinds.join(" + ")}): ${f.code}: ${f.message}`;
}
