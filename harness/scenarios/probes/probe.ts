// SPDX-License-Identifier: GPL-2.0-only
// One probe: the baseline call with one parameter replaced by a value of a
// kind (NULL, a closed fd, one past the range's max, ...). The probe's
// expectation is found by words: the error item that mentions the parameter
// and the condition, else (for values a call may well accept) the return.
// When no item documents the condition the case fails as a finding: the
// kernel answered something the spec says nothing about.
import type { Param, Spec } from "../../spec/model.js";
import { sentences } from "../../spec/errno-claims.js";
import { defineScenario, type ArgValue, type Args, type Scenario, type ScenarioContext, type Target, type Words } from "../scenario.js";
import { resolveTarget, specItems, type SpecItem } from "../target.js";

export interface ProbeValue {
  /** Slug part of the scenario id, e.g. "null", "fd-closed". */
  slug: string;
  /** The value in words, for the condition ("a NULL pointer", "a closed descriptor"). */
  what: string;
  /** How prose writes this value, for claims and validity ("NULL", "0"). */
  value?: string;
  /** Words of the condition in an error item's text, besides the parameter's name. */
  errorWords: Words;
  /** Words of a broader condition that covers this value too ("cannot be accessed" for NULL), tried when no item has `errorWords`. */
  broaderWords?: Words;
  /** Words of an error condition about this kind of value that need not name the parameter ("non-regular" for a pipe). */
  kindWords?: Words;
  /** Whether a call may legitimately accept the value: then, with no error item about it, the return applies. */
  mayAccept?: boolean;
  /** The error item documenting the condition, when the param's name is not how the spec's errors refer to it (open's filename is "pathname"): found by its summary. */
  errorTarget?: Target;
  /** Make the call as this unprivileged user (search permission denied). */
  as?: "nobody";
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

/** The first error target some item matches: the one naming this value, a broader one, one about this kind of value. */
function errorTarget(items: SpecItem[], param: Param, probe: ProbeValue): Target {
  const primary = errorAbout(param, probe.errorWords);
  const candidates: Target[] = [primary];
  if (probe.broaderWords) candidates.push(errorAbout(param, probe.broaderWords));
  if (probe.kindWords) candidates.push({ section: "errors", condition: probe.kindWords });
  return candidates.find((t) => resolveTarget(items, t).status === "bound") ?? primary;
}

/**
 * Other parameters the param's text ties an accepted value to ("NULL if size
 * is 0"): the values they must then have, by name.
 */
function tiedValues(spec: Spec, param: Param, value: string | undefined): Args {
  if (value === undefined || !param.constraint) return {};
  const names = new Set(spec.params.map((p) => p.name).filter((n) => n !== param.name));
  for (const { text } of sentences(param.constraint)) {
    if (!text.includes(value)) continue;
    const tie = /\b(?:if|when|only if)\s+(\w+)\s+is\s+(?:0|zero)\b/i.exec(text);
    if (tie && names.has(tie[1]!)) return { [tie[1]!]: 0n };
  }
  return {};
}

export function probeScenario<S>(spec: Spec, baseline: Scenario<S>, param: Param, probe: ProbeValue, accepted: boolean): Scenario<unknown> {
  const baseArgs = baseline.args;
  if (!baseArgs) throw new Error(`the ${spec.name} baseline makes no call to probe`);
  const tied = accepted ? tiedValues(spec, param, probe.value) : {};
  const tiedText = Object.keys(tied).map((n) => ` and ${n} 0, as its text ties them`).join("");
  return defineScenario<{ base: S; value: ArgValue }>({
    id: `${param.name}-${probe.slug}${accepted ? "-accepted" : ""}`,
    condition: `${param.name} is ${probe.what}${tiedText} in an otherwise valid call (${baseline.condition})`,
    async setup(ctx) {
      const base = await baseline.setup(ctx);
      return { base, value: await probe.make(ctx, baseArgs(base)[param.name]) };
    },
    args: (s) => ({ ...baseArgs(s.base), ...tied, [param.name]: s.value }),
    ...(probe.as ? { as: probe.as } : {}),
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
            expectFrom: probe.errorTarget ?? errorTarget(specItems(spec), param, probe),
            // No error item names the condition: a value the param's own text calls invalid ("NULL is invalid and will return EFAULT") takes the errno that text claims.
            ...(probe.mayAccept ? { otherwise: { section: "return" as const } } : probe.value ? { otherwise: paramTarget(param) } : {}),
            ...(probe.value ? { value: probe.value } : {}),
          },
    ],
  });
}
