// SPDX-License-Identifier: GPL-2.0-only
// Many specs in one run: every spec of the input that has a suite (or those
// --syscall names) runs through it, one after another, into one results
// document; specs without a suite are listed with their item counts. Two specs
// of one syscall (the v5 and v4 read) get labels told apart by dialect, so
// their case ids never collide.
import { performance } from "node:perf_hooks";
import type { Spec } from "../spec/model.js";
import { suiteRefFor, type SuiteRef } from "../scenarios/registry.js";
import { specItems } from "../scenarios/target.js";
import { runConformance, type ConformanceOptions } from "./conformance.js";
import type { RunResults, UnsuitedSpec } from "./results.js";
import { totalsOf } from "./verdicts.js";

export interface SeriesEntry {
  spec: Spec;
  suite: SuiteRef;
  /** The first part of its case ids: the syscall, or syscall-dialect when the run holds two specs of it. */
  label: string;
}

export interface Series {
  entries: SeriesEntry[];
  unsuited: UnsuitedSpec[];
}

/** The specs to run, in input order, and the ones no suite serves. `syscalls` (when non-empty) picks by name. */
export function selectSeries(specs: Spec[], syscalls: string[] = []): Series {
  const picked = syscalls.length > 0 ? specs.filter((s) => syscalls.includes(s.name)) : specs;
  const runnable = picked.flatMap((spec) => {
    const suite = suiteRefFor(spec.name);
    return suite ? [{ spec, suite }] : [];
  });
  const unsuited = picked
    .filter((s) => !suiteRefFor(s.name))
    .map((s) => ({ name: s.name, file: s.source.file, line: s.source.line, items: specItems(s).length }));
  const count = (name: string): number => runnable.filter((r) => r.spec.name === name).length;
  const used = new Set<string>();
  const entries = runnable.map(({ spec, suite }) => {
    let label = count(spec.name) > 1 ? `${spec.name}-${spec.source.dialect}` : spec.name;
    for (let n = 2; used.has(label); n++) label = `${spec.name}-${spec.source.dialect}-${n}`;
    used.add(label);
    return { spec, suite, label };
  });
  return { entries, unsuited };
}

/** Runs every entry of the series and joins their results. */
export async function runSeries(series: Series, options: ConformanceOptions = {}): Promise<RunResults> {
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const parts: RunResults[] = [];
  for (const entry of series.entries) parts.push(await runConformance(entry.spec, entry.suite, { ...options, label: entry.label }));
  return joinResults(parts, series.unsuited, startedAt, Math.round(performance.now() - start));
}

/** One results document from the runs of several specs. */
export function joinResults(parts: RunResults[], unsuited: UnsuitedSpec[], startedAt: string, durationMs: number): RunResults {
  const [first] = parts;
  if (!first) throw new Error("joinResults needs at least one run");
  const cases = parts.flatMap((p) => p.cases);
  // Every part consulted config options of the same kernel: one record of all of them.
  const config = Object.assign({}, ...parts.map((p) => p.kernel.config)) as Record<string, string>;
  return {
    ...first,
    startedAt,
    durationMs,
    status: parts.every((p) => p.status === "complete") ? "complete" : "interrupted",
    kernel: { ...first.kernel, config },
    specs: parts.flatMap((p) => p.specs),
    unsuited,
    cases,
    coverage: parts.flatMap((p) => p.coverage),
    observations: parts.flatMap((p) => p.observations),
    totals: totalsOf(cases),
  };
}
