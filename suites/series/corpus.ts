// SPDX-License-Identifier: GPL-2.0-only
// The series corpus for tests: the v5 and v4 spec files of a syscall, read
// in place from ../shared/kapi-corpus (never copied), and one conformance run
// per spec file, shared by the tests of a process.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import { loadSpecs } from "../../harness/spec/load.js";
import type { Spec } from "../../harness/spec/model.js";
import { runConformance } from "../../harness/run/conformance.js";
import type { RunResults } from "../../harness/run/results.js";
import { CORPUS } from "../spec/helpers.js";

export { CORPUS };

export interface CorpusSpec {
  /** "v5" or "v4", from the file name. */
  label: string;
  file: string;
}

/** The corpus's spec files for `syscall` (sys_<name>.patch), oldest first; none when the corpus is absent. */
export function corpusSpecs(syscall: string): CorpusSpec[] {
  if (!existsSync(CORPUS)) return [];
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(`_sys_${syscall}.patch`))
    .sort()
    .map((f) => ({ label: /RFC_PATCH_v5/.test(f) ? "v5" : /PATCH_v4/.test(f) ? "v4" : f, file: join(CORPUS, f) }));
}

export async function specOf(file: string, syscall: string): Promise<Spec> {
  const { specs } = await loadSpecs([file]);
  const spec = specs.find((s) => s.name === syscall);
  if (!spec) throw new Error(`${file} holds no ${syscall} spec`);
  return spec;
}

const runs = new Map<string, Promise<RunResults>>();

/** The conformance run of the file's spec with the registered suite (once per process). */
export function runCorpusSpec(file: string, syscall: string): Promise<RunResults> {
  const key = `${file}\0${syscall}`;
  let run = runs.get(key);
  if (!run) {
    const ref = suiteRefFor(syscall);
    if (!ref) throw new Error(`no suite registered for ${syscall}`);
    run = specOf(file, syscall).then((spec) => runConformance(spec, ref));
    runs.set(key, run);
  }
  return run;
}
