// SPDX-License-Identifier: GPL-2.0-only
// One probe: the baseline call with one parameter replaced by a value of a
// kind (NULL, a closed fd, one past the range's max, ...). The probe's
// expectation is found by words: the error item that mentions the parameter
// and the condition, else (for values a call may well accept) the return.
// When no item documents the condition the case fails as a finding: the
// kernel answered something the spec says nothing about.
import type { Param, Spec } from "../../spec/model.js";
import { sentences } from "../../spec/errno-claims.js";
import { defineScenario, type ArgValue, type Args, type Check, type Scenario, type ScenarioContext, type Target, type Words } from "../scenario.js";
import { matches, resolveTarget, type SpecItem } from "../target.js";

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
function errorTarget(items: SpecItem[], param: Param, probe: ProbeValue): Target | { candidates: Target[] } {
  const primary = errorAbout(param, probe.errorWords);
  const targets: Target[] = [primary];
  if (probe.broaderWords) targets.push(errorAbout(param, probe.broaderWords));
  if (probe.kindWords) targets.push({ section: "errors", condition: probe.kindWords });
  const bound = targets.find((t) => resolveTarget(items, t).status === "bound");
  if (bound || probe.mayAccept) return bound ?? primary;
  // Several error items describe the value at once: the one naming the value, else any of them (no precedence is documented).
  for (const t of targets) {
    const found = items.filter((i) => i.section === "errors" && t.text !== undefined && matches(i.text, t.text));
    if (found.length < 2) continue;
    const exact = (i: SpecItem): Target => ({ section: "errors", summary: new RegExp(`^${escape(i.summary)}$`), text: t.text! });
    const named = probe.value === undefined ? [] : found.filter((i) => valueWords(probe.value!).test(i.text));
    return named.length === 1 ? exact(named[0]!) : { candidates: found.map(exact) };
  }
  return primary;
}

/** How prose writes a probe's value ("0" also as "zero"). */
function valueWords(value: string): RegExp {
  if (value === "0") return /(?:^|[^\w-])(?:0|zero)\b/;
  if (/^null$/i.test(value)) return /\bNULL\b/;
  return new RegExp(`(?:^|[^\\w-])${escape(value)}\\b`);
}

function rejectedCheck(spec: Spec, items: SpecItem[], param: Param, probe: ProbeValue): Check<unknown> {
  const title = `${spec.name}: ${param.name} = ${probe.what} ${probe.mayAccept ? "is handled" : "fails"} as documented`;
  const target = probe.errorTarget ?? errorTarget(items, param, probe);
  if ("candidates" in target) return { kind: "precedence", id: "rejected", title: `${title} (by one of the ${target.candidates.length} errors that describe it)`, about: paramTarget(param), candidates: target.candidates };
  return {
    kind: "outcome",
    id: "rejected",
    title,
    about: paramTarget(param),
    expectFrom: target,
    // No error item names the condition: a value the param's own text calls invalid ("NULL is invalid and will return EFAULT") takes the errno that text claims.
    ...(probe.mayAccept ? { otherwise: { section: "return" as const } } : probe.value ? { otherwise: paramTarget(param) } : {}),
    ...(probe.value ? { value: probe.value } : {}),
  };
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

export function probeScenario<S>(spec: Spec, items: SpecItem[], baseline: Scenario<S>, param: Param, probe: ProbeValue, accepted: boolean): Scenario<unknown> {
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
        : rejectedCheck(spec, items, param, probe),
    ],
  });
}
