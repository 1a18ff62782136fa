// SPDX-License-Identifier: GPL-2.0-only
// One probe: the baseline call with one parameter replaced by a value of a
// kind (NULL, a closed fd, one past the range's max, ...). The probe's
// expectation is found by words: the error item that mentions the parameter
// and the condition, else (for values a call may well accept) the return.
// When no item documents the condition the case fails as a finding: the
// kernel answered something the spec says nothing about.
import type { Param, Spec } from "../../spec/model.js";
import { defineScenario, type ArgValue, type Scenario, type ScenarioContext, type Target, type Words } from "../scenario.js";

export interface ProbeValue {
  /** Slug part of the scenario id, e.g. "null", "fd-closed". */
  slug: string;
  /** The value in words, for the condition ("a NULL pointer", "a closed descriptor"). */
  what: string;
  /** How prose writes this value, for claims and validity ("NULL", "0"). */
  value?: string;
  /** Words of the condition in an error item's text, besides the parameter's name. */
  errorWords: Words;
  /** Whether a call may legitimately accept the value: then, with no error item about it, the return applies. */
  mayAccept?: boolean;
  /** The value, given the baseline's own value for the parameter. */
  make(ctx: ScenarioContext, original: ArgValue | undefined): ArgValue | Promise<ArgValue>;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const paramTarget = (param: Param): Target => ({ section: "params", summary: new RegExp(`^${escape(param.name)}$`) });

/** An error item whose words mention the parameter together with the condition's words. */
export function errorAbout(param: Param, words: Words): Target {
  const wording = typeof words === "string" ? words.split(/\s+/).map(escape).map((w) => `(?=[\\s\\S]*\\b${w}\\b)`).join("") : `(?=[\\s\\S]*(?:${words.source}))`;
  return { section: "errors", text: new RegExp(`^(?=[\\s\\S]*\\b${escape(param.name)}\\b)${wording}`, "i") };
}

export function probeScenario<S>(spec: Spec, baseline: Scenario<S>, param: Param, probe: ProbeValue, accepted: boolean): Scenario<unknown> {
  const baseArgs = baseline.args;
  if (!baseArgs) throw new Error(`the ${spec.name} baseline makes no call to probe`);
  return defineScenario<{ base: S; value: ArgValue }>({
    id: `${param.name}-${probe.slug}${accepted ? "-accepted" : ""}`,
    condition: `${param.name} is ${probe.what} in an otherwise valid call (${baseline.condition})`,
    async setup(ctx) {
      const base = await baseline.setup(ctx);
      return { base, value: await probe.make(ctx, baseArgs(base)[param.name]) };
    },
    args: (s) => ({ ...baseArgs(s.base), [param.name]: s.value }),
    checks: [
      accepted
        ? {
            kind: "outcome",
            id: "accepted",
            title: `${spec.name}: optional ${param.name} = ${probe.what} is accepted`,
            about: paramTarget(param),
            expectFrom: { section: "return" },
            ...(probe.value ? { value: probe.value } : {}),
          }
        : {
            kind: "outcome",
            id: "rejected",
            title: `${spec.name}: ${param.name} = ${probe.what} ${probe.mayAccept ? "is handled" : "fails"} as documented`,
            about: paramTarget(param),
            expectFrom: errorAbout(param, probe.errorWords),
            ...(probe.mayAccept ? { otherwise: { section: "return" as const } } : {}),
            ...(probe.value ? { value: probe.value } : {}),
          },
    ],
  });
}
