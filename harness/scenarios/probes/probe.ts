// SPDX-License-Identifier: GPL-2.0-only
// One probe: the baseline call with one parameter replaced by a value of a
// kind (NULL, a closed fd, one past the range's max, ...). The probe's
// expectation is found by words: the error item that mentions the parameter
// and the condition, else (for values a call may well accept) the return.
// When no item documents the condition the case fails as a finding: the
// kernel answered something the spec says nothing about.
import type { Param, Spec } from "../../spec/model.js";
import { defineScenario, type ArgValue, type Check, type Scenario, type ScenarioContext, type Target, type Words } from "../scenario.js";
import { matches, specItems, type SpecItem } from "../target.js";

export interface ProbeValue {
  /** Slug part of the scenario id, e.g. "null", "fd-closed". */
  slug: string;
  /** The value in words, for the condition ("a NULL pointer", "a closed descriptor"). */
  what: string;
  /** How prose writes this value, for claims and validity ("NULL", "0"). */
  value?: string;
  /** Words of the condition in an error item's text, besides the parameter's name. */
  errorWords: Words;
  /** Broader words used when no error item has `errorWords` (a NULL pointer is also an invalid, unreadable one). */
  fallbackWords?: Words;
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

/** How prose writes a probe's value ("0" also as "zero"). */
function valueWords(value: string): RegExp {
  if (value === "0") return /(?:^|[^\w-])(?:0|zero)\b/;
  if (/^null$/i.test(value)) return /\bNULL\b/;
  return new RegExp(`(?:^|[^\\w-])${escape(value)}\\b`);
}

const errorItemsMatching = (items: SpecItem[], target: Target): SpecItem[] => items.filter((i) => i.section === "errors" && target.text !== undefined && matches(i.text, target.text));

/**
 * What a rejected probe expects: the one error item about the parameter and
 * the condition; when several match, the one of them that also names the
 * value; when still several, any of them (the value meets several documented
 * conditions at once, and the spec defines no precedence).
 */
function rejection(spec: Spec, param: Param, probe: ProbeValue): { expectFrom: Target } | { candidates: Target[] } {
  const items = specItems(spec);
  let target = errorAbout(param, probe.errorWords);
  let found = errorItemsMatching(items, target);
  if (found.length === 0 && probe.fallbackWords !== undefined) {
    const fallback = errorAbout(param, probe.fallbackWords);
    const more = errorItemsMatching(items, fallback);
    if (more.length > 0) [target, found] = [fallback, more];
  }
  if (found.length <= 1) return { expectFrom: target };
  if (probe.value !== undefined) {
    const value = valueWords(probe.value);
    const named = found.filter((i) => value.test(i.text));
    if (named.length === 1) return { expectFrom: { ...target, summary: new RegExp(`^${escape(named[0]!.summary)}$`), text: target.text! } };
  }
  return { candidates: found.map((i) => ({ section: "errors" as const, summary: new RegExp(`^${escape(i.summary)}$`), text: target.text! })) };
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
        : rejectedCheck(spec, param, probe),
    ],
  });
}

function rejectedCheck(spec: Spec, param: Param, probe: ProbeValue): Check<{ base: unknown; value: ArgValue }> {
  const title = `${spec.name}: ${param.name} = ${probe.what} ${probe.mayAccept ? "is handled" : "fails"} as documented`;
  const expected = rejection(spec, param, probe);
  if ("candidates" in expected) return { kind: "precedence", id: "rejected", title: `${title} (by one of the ${expected.candidates.length} errors that describe it)`, about: paramTarget(param), candidates: expected.candidates };
  return {
    kind: "outcome",
    id: "rejected",
    title,
    about: paramTarget(param),
    expectFrom: expected.expectFrom,
    ...(probe.mayAccept ? { otherwise: { section: "return" as const } } : {}),
    ...(probe.value ? { value: probe.value } : {}),
  };
}
