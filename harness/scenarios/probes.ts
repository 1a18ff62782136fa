// SPDX-License-Identifier: GPL-2.0-only
// Generic probes made from parameter metadata alone: each user pointer of the
// spec is replaced, in an otherwise valid call, by NULL and by an unreadable
// (PROT_NONE guard page) address. A required pointer must then fail as the
// spec's error about that pointer says; an optional one must be accepted,
// i.e. the call still succeeds as the spec's return says.
import type { Param, Spec } from "../spec/model.js";
import { guardPage } from "../kernel/memory.js";
import { defineScenario, type Baseline, type Scenario, type Target } from "./scenario.js";

function isUserPointer(param: Param): boolean {
  return param.type?.value === "USER_PTR" || param.flags.some((f) => f.value === "USER");
}

function isOptional(param: Param): boolean {
  return param.flags.some((f) => f.value === "OPTIONAL");
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** An error item whose words mention this parameter together with the given wording. */
function errorAbout(param: Param, wording: string): Target {
  return { section: "errors", text: new RegExp(`^(?=[\\s\\S]*\\b${escape(param.name)}\\b)(?=[\\s\\S]*(?:${wording}))`, "i") };
}

const NULL_WORDING = "\\bNULL\\b";
const UNREADABLE_WORDING = "cannot be read|unreadable|not readable|inaccessible|outside the accessible|invalid (?:user(?:space)? )?pointer|bad address";

interface ProbeState<S> {
  base: S;
  args: bigint[];
}

function probe<S>(
  spec: Spec,
  param: Param,
  baseline: Baseline<S>,
  kind: "null" | "unreadable",
): Scenario<unknown> {
  const optional = isOptional(param);
  const what = kind === "null" ? "NULL" : "an unreadable (PROT_NONE) address";
  const paramTarget: Target = { section: "params", summary: new RegExp(`^${escape(param.name)}$`) };
  return defineScenario<ProbeState<S>>({
    id: `${param.name}-${kind}${optional ? "-accepted" : ""}`,
    condition: `${param.name} is ${what} in an otherwise valid call (${baseline.condition})`,
    async setup(ctx) {
      const base = await baseline.setup(ctx);
      const args = baseline.args(base);
      let value = 0n;
      if (kind === "unreadable") {
        const guard = guardPage();
        ctx.scope.add(guard);
        value = guard.address;
      }
      args[param.index] = value;
      return { base, args };
    },
    call: (state) => baseline.invoke(state.args),
    checks: [
      optional
        ? {
            kind: "outcome",
            id: "accepted",
            title: `${spec.name}: optional ${param.name} = ${what} is accepted`,
            about: paramTarget,
            expectFrom: { section: "return" },
          }
        : {
            kind: "outcome",
            id: "rejected",
            title: `${spec.name}: ${param.name} = ${what} fails as documented`,
            about: paramTarget,
            expectFrom: errorAbout(param, kind === "null" ? NULL_WORDING : UNREADABLE_WORDING),
          },
    ],
  });
}

/** Probes for every user pointer parameter of the spec. */
export function pointerProbes<S>(spec: Spec, baseline: Baseline<S>): Scenario<unknown>[] {
  return spec.params.filter(isUserPointer).flatMap((p) => [probe(spec, p, baseline, "null"), probe(spec, p, baseline, "unreadable")]);
}
