// SPDX-License-Identifier: GPL-2.0-only
// Reading what a spec item claims, from its words: whether a param's text
// calls a value valid or invalid, which observable claims a side effect's
// desc makes (or denies), which observable state a transition's from:/to:
// names. The checks then hold the kernel to exactly these claims, so an item
// that says the opposite fails its case.
import { sentences } from "../spec/errno-claims.js";
import { contentWords } from "../spec/words.js";
import type { ClaimProbe, StateModel, StateProbe } from "./scenario.js";
import { matches } from "./target.js";

const INVALID = /\b(?:invalid|not valid|rejected|not allowed|not permitted|must not be|is an error|fails?)\b/i;
const VALID = /\b(?:valid|accepted|allowed|permitted|may be|can be|ignored)\b/i;
const NEGATION = new Set(["not", "never", "no", "without", "nor", "neither"]);

/** The words a value is written with in prose. */
function valuePattern(value: string): RegExp {
  if (value === "0") return /(?:^|[^\w-])(?:0|zero)\b/i;
  if (/^null$/i.test(value)) return /\bNULL\b(?!-)/i;
  return new RegExp(`\\b${value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i");
}

/** What `text` says of a value: the first sentence naming it that calls it valid or invalid. */
export function validityOf(text: string, value: string): { valid: boolean; sentence: string } | undefined {
  const pattern = valuePattern(value);
  for (const { text: sentence } of sentences(text)) {
    if (!pattern.test(sentence)) continue;
    if (INVALID.test(sentence)) return { valid: false, sentence };
    if (VALID.test(sentence)) return { valid: true, sentence };
  }
  return undefined;
}

/** Whether a negation word stands within the four words before the phrase's first word in the sentence. */
function negated(sentence: string, phrase: string): boolean {
  const first = contentWords(phrase)[0];
  if (first === undefined) return false;
  const words = sentence.toLowerCase().split(/[^a-z0-9']+/).filter(Boolean);
  const at = words.findIndex((w) => contentWords(w)[0] === first);
  return at > 0 && words.slice(Math.max(0, at - 4), at).some((w) => NEGATION.has(w) || w.endsWith("n't"));
}

export interface ItemClaim<S> {
  probe: ClaimProbe<S>;
  /** What the item claims of the kernel: true (it happens) or false (it does not). */
  expected: boolean;
  sentence: string;
}

/** The claims of `text` the probes can check, each with the polarity the text gives it. */
export function claimsMade<S>(text: string, probes: ClaimProbe<S>[]): ItemClaim<S>[] {
  const found: ItemClaim<S>[] = [];
  const all = sentences(text).map((s) => s.text);
  for (const probe of probes) {
    let claim: ItemClaim<S> | undefined;
    for (const sentence of all) {
      const opposite = (probe.opposite ?? []).find((p) => matches(sentence, p));
      if (opposite !== undefined) {
        claim = { probe, expected: false, sentence };
        break;
      }
      const says = probe.says.find((p) => matches(sentence, p));
      if (says !== undefined) {
        claim = { probe, expected: !(typeof says === "string" && negated(sentence, says)), sentence };
        break;
      }
    }
    if (claim) found.push(claim);
  }
  return found;
}

export type StateLookup<S> = { status: "found"; probe: StateProbe<S> } | { status: "unobservable"; reason: string };

/** The model's probe for the state `text` names (a from: or to: value). */
export function stateProbe<S>(model: StateModel<S>, text: string | undefined, field: string): StateLookup<S> {
  if (text === undefined) return { status: "unobservable", reason: `the transition has no ${field}: state` };
  const found = model.states.filter((s) => s.names.some((n) => matches(text, n)));
  if (found.length === 1) return { status: "found", probe: found[0]! };
  if (found.length === 0) return { status: "unobservable", reason: `not observable: no probe for state "${text}" of ${model.object}` };
  return { status: "unobservable", reason: `state "${text}" of ${model.object} matches ${found.length} probes (${found.map((s) => s.how).join("; ")})` };
}
