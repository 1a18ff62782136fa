// SPDX-License-Identifier: GPL-2.0-only
// The CI gate step shared by `run` and `report`: load --expect FILE before
// anything runs (a malformed file is exit 2 at once), then apply it to the
// results and say on stderr what it did: every unexpected pass loudly (its
// entry is stale), entries that name no case and conditions that could not be
// decided as warnings.
// The gate modules (and the YAML parser they load) are imported only when an
// expectations file is given: a plain run does not pay their start-up.
import type { Expectation } from "../gate/expectations.js";
import type { KernelConfig } from "../run/environment.js";
import type { RunResults } from "../run/results.js";

export interface GateFlags {
  expect?: string;
  strict: boolean;
  /** The live kernel's config (run); without it, what results.json recorded (report). */
  config?: KernelConfig;
}

export type Gate = (results: RunResults) => RunResults;

const say = (line: string): void => {
  process.stderr.write(`kapi-conform: ${line}\n`);
};

/** Wraps a config to note the options the gate looked up, so results.json records them for `report`. */
function recording(config: KernelConfig, seen: Map<string, string>): KernelConfig {
  return {
    origin: config.origin,
    get(option: string): string {
      const value = config.get(option);
      seen.set(option, value);
      return value;
    },
  };
}

type GateModules = [typeof import("../gate/apply.js"), typeof import("../gate/expectations.js")];

function apply([{ applyExpectations }, { targetOf }]: GateModules, results: RunResults, file: string, expectations: Expectation[], flags: GateFlags): RunResults {
  const seen = new Map<string, string>();
  const target = targetOf(results.kernel, flags.config ? recording(flags.config, seen) : undefined);
  const outcome = applyExpectations(results, expectations, target, { strict: flags.strict, file });
  for (const e of outcome.unmatched) say(`warning: ${e.file}:${e.line}: expectation '${e.pattern}' matches no case of this run (stale or mistyped?)`);
  for (const { expectation: e, why } of outcome.undecided) say(`warning: ${e.file}:${e.line}: expectation '${e.pattern}' not applied: ${why}`);
  for (const c of outcome.xpass) {
    const k = c.expectedFailure!;
    say(`XPASS ${c.id}: listed as failing in ${k.file}:${k.line} ('${k.reason}', ${k.link}) but it PASSED: remove or narrow the entry${flags.strict ? " (fails the gate: --strict)" : ""}`);
  }
  say(`expectations ${file}: ${expectations.length} entr${expectations.length === 1 ? "y" : "ies"}, ${outcome.xfail.length} xfail, ${outcome.xpass.length} xpass`);
  const gated = outcome.results;
  if (seen.size === 0) return gated;
  const config = Object.fromEntries([...Object.entries(gated.kernel.config), ...seen].sort(([a], [b]) => a.localeCompare(b)));
  return { ...gated, kernel: { ...gated.kernel, config } };
}

/** Loads the expectations now (InputError when malformed) and returns the step that gates results. */
export async function prepareGate(flags: GateFlags): Promise<Gate> {
  const file = flags.expect;
  if (file === undefined) {
    // No file: keep whatever results.json recorded, with this invocation's strictness.
    return (results) => (!flags.strict && !results.gate ? results : { ...results, gate: { ...results.gate, strict: flags.strict } });
  }
  const modules: GateModules = await Promise.all([import("../gate/apply.js"), import("../gate/expectations.js")]);
  const expectations = await modules[1].loadExpectations(file);
  return (results) => apply(modules, results, file, expectations, flags);
}
