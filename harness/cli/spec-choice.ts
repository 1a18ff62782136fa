// SPDX-License-Identifier: GPL-2.0-only
// Loads a spec input and picks the one spec to run: it must have a scenario
// suite, be named by --syscall when the input holds several, and be free of
// lint errors of form (a malformed spec would be run as something else than
// what its author wrote). Lint warnings are shown and the run goes on; so is a
// contradiction between two items of the spec, since the kernel decides which
// side is wrong.
import { defaultSpecPath, loadSpecs, type ParseOutcome } from "../spec/load.js";
import { formatDiagnostic, sortDiagnostics } from "../spec/diagnostic.js";
import { lintOutcome, lintSpec } from "../spec/lint.js";
import type { Diagnostic, Spec } from "../spec/model.js";
import { suiteRefFor, suiteNames } from "../scenarios/registry.js";
import { InputError, UsageError } from "./errors.js";

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

export async function pickRunnableSpec(input: string | undefined, syscall: string | undefined): Promise<Spec> {
  const path = input ?? defaultSpecPath();
  const outcome = await loadSpecs([path]);
  const { specs } = outcome;
  const runnable = specs.filter((s) => suiteRefFor(s.name) && (!syscall || s.name === syscall));
  if (runnable.length === 0) {
    const found = specs.map((s) => s.name).join(", ") || "none";
    throw new InputError(`no spec in ${path} has a scenario suite${syscall ? ` named ${syscall}` : ""} (specs found: ${found}; suites: ${suiteNames().join(", ")})`);
  }
  if (runnable.length > 1) {
    const where = runnable.map((s) => `${s.name} at ${s.source.file}:${s.source.line}`).join(", ");
    // --syscall cannot tell apart two specs of one syscall: only a narrower --spec can.
    const how = new Set(runnable.map((s) => s.name)).size > 1 ? "choose one with --syscall" : "give one of the files with --spec";
    throw new UsageError(`${path} holds ${runnable.length} specs with suites (${where}): ${how}`);
  }
  const spec = runnable[0]!;
  const findings = findingsOf(spec, outcome);
  for (const d of findings) process.stderr.write(formatDiagnostic(d) + "\n");
  const errors = findings.filter((d) => d.severity === "error").length;
  if (errors > 0) {
    throw new InputError(`the ${spec.name} spec at ${spec.source.file}:${spec.source.line} has ${errors} lint error${errors === 1 ? "" : "s"} of form (above); it is not run`);
  }
  return spec;
}
