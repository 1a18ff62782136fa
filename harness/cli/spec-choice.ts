// SPDX-License-Identifier: GPL-2.0-only
// Loads the spec inputs and picks the specs to run: those with a scenario
// suite (or named by --syscall), each free of lint errors of form (a malformed spec would be run as something else than
// what its author wrote). Lint warnings are shown and the run goes on; so is a
// contradiction between two items of the spec, since the kernel decides which
// side is wrong.
import { defaultSpecPath, loadSpecs, type ParseOutcome } from "../spec/load.js";
import { formatDiagnostic, sortDiagnostics } from "../spec/diagnostic.js";
import { lintOutcome, lintSpec } from "../spec/lint.js";
import type { Diagnostic, Spec } from "../spec/model.js";
import { suiteNames } from "../scenarios/registry.js";
import { selectSeries, type Series } from "../run/series.js";
import { UsageError } from "./errors.js";
import { InputError } from "../input-error.js";

/** Lint codes that report two items of a spec contradicting each other, not a malformed one. */
const CONTRADICTIONS = new Set(["success-check-type"]);

/** Lint findings of one spec of the input: its own lines (comment to SYSCALL_DEFINE) and the whole-spec checks. */
function findingsOf(spec: Spec, outcome: ParseOutcome): Diagnostic[] {
  const last = Math.max(spec.source.endLine, spec.source.syscallDefine?.line ?? 0);
  const own = (d: { file: string; line: number }): boolean => d.file === spec.source.file && d.line >= spec.source.line && d.line <= last;
  const parsed = lintOutcome({ specs: [], diagnostics: outcome.diagnostics.filter(own), unattributed: outcome.unattributed.filter(own) });
  const found = sortDiagnostics([...parsed, ...lintSpec(spec)]);
  return found.map((d) => (d.severity === "error" && CONTRADICTIONS.has(d.code) ? { ...d, severity: "warning" as const } : d));
}

/**
 * The specs of the inputs (default: the bundled spec) to run: each that has a
 * suite, or those --syscall names. A spec with lint errors of form stops the
 * run before anything runs; warnings are shown. `chosen` hears of the series
 * before the lint (which takes a while), so the caller can get ready to run it.
 */
export async function chooseSeries(inputs: readonly string[], syscalls: readonly string[], chosen?: (series: Series) => void): Promise<Series> {
  const paths = inputs.length > 0 ? [...inputs] : [defaultSpecPath()];
  const outcome = await loadSpecs(paths);
  const { specs } = outcome;
  const unknown = syscalls.filter((name) => !specs.some((s) => s.name === name));
  if (unknown.length > 0) {
    const found = [...new Set(specs.map((s) => s.name))].join(", ") || "none";
    throw new InputError(`no spec named ${unknown.join(", ")} in ${paths.join(", ")} (specs found: ${found}; suites: ${suiteNames().join(", ")})`);
  }
  const series = selectSeries(specs, [...syscalls]);
  chosen?.(series);
  let errors = 0;
  for (const { spec } of series.entries) {
    const findings = findingsOf(spec, outcome);
    for (const d of findings) process.stderr.write(formatDiagnostic(d) + "\n");
    const own = findings.filter((d) => d.severity === "error").length;
    if (own > 0) process.stderr.write(`kapi-conform: the ${spec.name} spec at ${spec.source.file}:${spec.source.line} has ${own} lint error${own === 1 ? "" : "s"} of form (above)\n`);
    errors += own;
  }
  if (errors > 0) throw new InputError(`${errors} lint error${errors === 1 ? "" : "s"} of form in the specs to run (above); nothing is run`);
  return series;
}

/** The one spec a single-spec command (drift) runs: exactly one of the input must have a suite. */
export async function pickRunnableSpec(input: string | undefined, syscall: string | undefined): Promise<Spec> {
  const path = input ?? defaultSpecPath();
  const series = await chooseSeries([path], syscall ? [syscall] : []);
  const [first, ...more] = series.entries;
  if (!first) {
    const found = series.unsuited.map((s) => s.name).join(", ") || "none";
    throw new InputError(`no spec in ${path} has a scenario suite${syscall ? ` named ${syscall}` : ""} (specs found: ${found}; suites: ${suiteNames().join(", ")})`);
  }
  if (more.length > 0) {
    const where = series.entries.map((e) => `${e.spec.name} at ${e.spec.source.file}:${e.spec.source.line}`).join(", ");
    // --syscall cannot tell apart two specs of one syscall: only a narrower --spec can.
    const how = new Set(series.entries.map((e) => e.spec.name)).size > 1 ? "choose one with --syscall" : "give one of the files with --spec";
    throw new UsageError(`${path} holds ${series.entries.length} specs with suites (${where}): ${how}`);
  }
  return first.spec;
}
