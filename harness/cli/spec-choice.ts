// SPDX-License-Identifier: GPL-2.0-only
// Loads a spec input and picks the one spec to run: it must have a scenario
// suite, and be named by --syscall when the input holds several.
import { defaultSpecPath, loadSpecs } from "../spec/load.js";
import type { Spec } from "../spec/model.js";
import { suiteRefFor, suiteNames } from "../scenarios/registry.js";
import { InputError, UsageError } from "./errors.js";

export async function pickRunnableSpec(input: string | undefined, syscall: string | undefined): Promise<Spec> {
  const path = input ?? defaultSpecPath();
  const { specs, diagnostics } = await loadSpecs([path]);
  for (const d of diagnostics.filter((x) => x.severity === "error")) process.stderr.write(`${d.file}:${d.line}: error: ${d.message} [${d.code}]\n`);
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
  return runnable[0]!;
}
