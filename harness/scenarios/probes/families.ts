// SPDX-License-Identifier: GPL-2.0-only
// The probe families, keyed by parameter type and constraint kind, run over
// every parameter of any spec from the suite's baseline: what syzkaller's
// types would generate, judged against the spec's own words.
import { currentArch } from "../../kernel/arch.js";
import { constant, CONSTANTS, isConstantName, type ConstantName } from "../../kernel/constants.js";
import type { Spec } from "../../spec/model.js";
import type { Scenario } from "../scenario.js";
import { alignmentProbes } from "./alignment.js";
import { BAD_FD, FD_PROBES, isFd } from "./fd.js";
import { maskProbes } from "./mask.js";
import { isOptional, isUserPointer, POINTER_PROBES } from "./pointer.js";
import { errorAbout, probeScenario, type ProbeValue } from "./probe.js";
import { isPath, PATH_PROBES } from "./paths.js";
import { resolveTarget, type SpecItem } from "../target.js";
import { rangeProbes } from "./range.js";
import { isUserString, stringProbes } from "./strings.js";

const hasConstant = (name: ConstantName): boolean => CONSTANTS[currentArch()][name] !== undefined;

/** A constant of the running arch named in spec text (a mask's "XATTR_CREATE | XATTR_REPLACE"), or undefined. */
function archConstant(name: string): bigint | undefined {
  return isConstantName(name) && hasConstant(name) ? BigInt(constant(name)) : undefined;
}

/** The probes of every parameter; `items` are the plan's spec items (errno claims are extracted once, by the plan). */
export function probeFamilies(spec: Spec, items: SpecItem[], baseline: Scenario<unknown>): Scenario<unknown>[] {
  return spec.params.flatMap((param) => {
    const scenarios: Scenario<unknown>[] = [];
    // Specs' errors call a path parameter "pathname" whatever its name: a path's bad pointer is the bad-address error.
    const pointers = isPath(param) ? POINTER_PROBES.map((p): ProbeValue => ({ ...p, errorTarget: { section: "errors", summary: "bad address" } })) : POINTER_PROBES;
    // OPTIONAL makes NULL acceptable; any other value is accepted too unless an error item documents it for this pointer.
    const documented = (p: ProbeValue): boolean => resolveTarget(items, p.errorTarget ?? errorAbout(param, p.errorWords)).status === "bound";
    if (isUserPointer(param)) scenarios.push(...pointers.map((p) => probeScenario(spec, items, baseline, param, p, isOptional(param) && (p.slug === "null" || !documented(p)))));
    if (isFd(param)) scenarios.push(...FD_PROBES.map((p) => probeScenario(spec, items, baseline, param, p, false)));
    if (isPath(param)) scenarios.push(...PATH_PROBES.map((p) => probeScenario(spec, items, baseline, param, p, false)));
    if (isUserString(param)) scenarios.push(...stringProbes(param).map((p) => probeScenario(spec, items, baseline, param, p, false)));
    // A descriptor outside the documented range is also not a valid descriptor: the spec's bad-descriptor error describes it as well.
    const ranges = rangeProbes(param, archConstant).map((p): ProbeValue => (isFd(param) ? { ...p, errorWords: new RegExp(`${typeof p.errorWords === "string" ? p.errorWords : p.errorWords.source}|${BAD_FD.source}`) } : p));
    for (const p of [...ranges, ...maskProbes(param, archConstant), ...alignmentProbes(param)]) scenarios.push(probeScenario(spec, items, baseline, param, p, false));
    return scenarios;
  });
}
