// SPDX-License-Identifier: GPL-2.0-only
// Binds a scenario's Target to the one spec item whose words match it. The
// binding reads summaries, descriptions and conditions, never errno names or
// positions, so renaming an errno in the spec changes the expectation and not
// the binding; phrases match by their words in any order, so rewording a
// summary or dropping the numbers of its conditions does not unbind a case.
import { claimCondition, errnoClaims, sentences, type ClaimSection } from "../spec/errno-claims.js";
import type { Spec } from "../spec/model.js";
import { wordsMatch } from "../spec/words.js";
import type { ItemSection, Target, Words } from "./scenario.js";

/** A spec item reduced to what binding, judging and reporting need. */
export interface SpecItem {
  section: ItemSection;
  index: number;
  /** One line naming the item (error summary, param name, effect target, claim sentence, ...). */
  summary: string;
  /** All the item's words, for `text` matching. */
  text: string;
  /** Enumerated conditions; empty when the item has none. */
  conditions: string[];
  /** Errno symbol of an error item (not a placeholder), the return's success symbol, or a claim's errno. */
  errno?: string;
  /** For error items: the name as written, placeholders included. */
  name?: string;
  /** For claims: the item whose prose holds the claim. */
  owner?: { section: string; index: number };
  /** Structured sub-fields checks read (a transition's from/to, a side effect's desc/reversible). */
  fields?: Record<string, string>;
  file: string;
  line: number;
}

export interface Bound {
  item: SpecItem;
  /** The condition the target matched, 0-based, when it named one. */
  condition?: { index: number; text: string };
}

export type Resolution = { status: "bound"; bound: Bound } | { status: "unresolved"; reason: string };

const defined = (o: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""));

const join = (...parts: Array<string | undefined>): string => parts.filter((p) => p !== undefined && p !== "").join(" ");

/** The model section name an errno claim's owner is filed under, as a target section. */
const CLAIM_OWNER: Record<ClaimSection, string> = {
  param: "params",
  constraint: "constraints",
  return: "return",
  "side-effect": "sideEffects",
  "state-trans": "stateTransitions",
  signal: "signals",
  lock: "locks",
  capability: "capabilities",
  "long-desc": "description",
  description: "description",
  notes: "notes",
};

/** Every spec item of the sections a Target can name, in spec order. */
export function specItems(spec: Spec): SpecItem[] {
  const items: SpecItem[] = [];
  const at = (s: { source: { file: string; line: number } }) => ({ file: s.source.file, line: s.source.line });
  spec.params.forEach((p) =>
    items.push({
      section: "params",
      index: p.index,
      summary: p.name,
      text: join(p.name, p.headerDescription, p.constraint),
      conditions: [],
      fields: defined({ type: p.type?.value, flags: p.flags.map((f) => f.value).join(" | "), constraintType: p.constraintType?.raw, constraint: p.constraint }),
      ...at(p),
    }),
  );
  if (spec.return) {
    const r = spec.return;
    const success = r.success;
    items.push({
      section: "return",
      index: 0,
      summary: success ? `success ${success.raw}` : "return value",
      text: join(success?.raw, r.description),
      conditions: [],
      errno: success?.kind === "exact" ? success.symbol : undefined,
      fields: defined({ checkType: r.checkType?.value, success: success?.raw, successRange: r.successRange }),
      ...at(r),
    });
  }
  spec.errors.forEach((e) =>
    items.push({
      section: "errors",
      index: e.index,
      summary: e.summary,
      text: join(e.summary, e.description),
      conditions: e.conditions,
      errno: e.placeholder ? undefined : e.name,
      name: e.name,
      ...at(e),
    }),
  );
  spec.locks.forEach((l) => items.push({ section: "locks", index: l.index, summary: l.name, text: join(l.name, l.description), conditions: [], ...at(l) }));
  spec.signals.forEach((s) =>
    items.push({ section: "signals", index: s.index, summary: s.name, text: join(s.name, s.condition, s.description), conditions: [], errno: s.errno, ...at(s) }),
  );
  spec.sideEffects.forEach((s) =>
    items.push({
      section: "sideEffects",
      index: s.index,
      summary: s.target ?? s.types.map((t) => t.value).join(" | "),
      text: join(s.target, s.condition, s.description),
      conditions: [],
      fields: defined({ types: s.types.map((t) => t.value).join(" | "), target: s.target, condition: s.condition, desc: s.description, reversible: s.reversible }),
      ...at(s),
    }),
  );
  spec.stateTransitions.forEach((t) =>
    items.push({
      section: "stateTransitions",
      index: t.index,
      summary: t.object,
      text: join(t.object, t.from, t.to, t.condition, t.description),
      conditions: [],
      fields: defined({ from: t.from, to: t.to, condition: t.condition, desc: t.description }),
      ...at(t),
    }),
  );
  spec.capabilities.forEach((c) =>
    items.push({ section: "capabilities", index: c.index, summary: c.name, text: join(c.name, c.allows, c.without, c.condition), conditions: [], ...at(c) }),
  );
  spec.constraints.forEach((c) =>
    items.push({ section: "constraints", index: c.index, summary: c.name, text: join(c.name, c.description, c.expr), conditions: [], ...at(c) }),
  );
  // Only what the spec asserts: a sentence on what the man page says, or a denial, is no errno the call returns.
  // The words the errno is attached to are its condition, so one sentence's errnos ("EPERM (for write) or
  // ENODATA (for read)") can be told apart by a target's condition.
  errnoClaims(spec)
    .filter((claim) => claim.stance === "asserts")
    .forEach((claim, index) => {
      const condition = claimCondition(claim);
      items.push({
        section: "claims",
        index,
        summary: claim.sentence,
        text: join(claim.subject, claim.sentence),
        conditions: condition === undefined ? [] : [condition],
        errno: claim.errno,
        owner: { section: CLAIM_OWNER[claim.section], index: claim.index },
        file: claim.file,
        line: claim.errnoLine,
      });
    });
  return items;
}

export function matches(text: string, words: Words): boolean {
  return typeof words === "string" ? wordsMatch(text, words) : words.test(text);
}

/** Describes a target in words, for messages about it. */
export function describeTarget(target: Target): string {
  const show = (w: Words): string => (typeof w === "string" ? `"${w}"` : String(w));
  const parts = [
    target.summary && `summary ~ ${show(target.summary)}`,
    target.text && `text ~ ${show(target.text)}`,
    target.condition && `condition ~ ${show(target.condition)}`,
  ].filter(Boolean);
  return `${target.section}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/**
 * The item's condition matching `words`, and how strongly: one of its listed
 * conditions (2), or else one sentence of its prose (1).
 */
function conditionOf(item: SpecItem, words: Words): { condition: NonNullable<Bound["condition"]>; strength: number } | undefined {
  const index = item.conditions.findIndex((c) => matches(c, words));
  if (index >= 0) return { condition: { index, text: item.conditions[index]! }, strength: 2 };
  const sentence = sentences(item.text).find((s) => matches(s.text, words))?.text;
  return sentence === undefined ? undefined : { condition: { index: -1, text: sentence }, strength: 1 };
}

const unresolvedMany = (target: Target, found: Bound[]): Resolution => ({
  status: "unresolved",
  reason: `${found.length} spec items match ${describeTarget(target)}: ${found.map((m) => `"${m.item.summary}" (line ${m.item.line})`).join(", ")}`,
});

export function resolveTarget(items: SpecItem[], target: Target): Resolution {
  const inSection = items.filter((i) => i.section === target.section && (!target.text || matches(i.text, target.text)));
  const bySummary = (i: SpecItem): boolean => !target.summary || matches(i.summary, target.summary);
  if (target.condition) {
    const found = inSection.flatMap((item) => {
      const match = conditionOf(item, target.condition!);
      return match ? [{ bound: { item, condition: match.condition }, strength: match.strength }] : [];
    });
    // The condition decides; the summary tells apart blocks that share it, then a listed condition beats a prose one.
    const named = found.filter((f) => bySummary(f.bound.item));
    const strongest = (fs: typeof found) => fs.filter((f) => f.strength === Math.max(...fs.map((x) => x.strength)));
    for (const group of [named, strongest(named), found, strongest(found)]) if (group.length === 1) return { status: "bound", bound: group[0]!.bound };
    if (found.length > 1) return unresolvedMany(target, (named.length > 1 ? named : found).map((f) => f.bound));
    return { status: "unresolved", reason: `no spec item matches ${describeTarget(target)}` };
  }
  const found = inSection.filter(bySummary).map((item) => ({ item }));
  if (found.length === 1) return { status: "bound", bound: found[0]! };
  if (found.length === 0) return { status: "unresolved", reason: `no spec item matches ${describeTarget(target)}` };
  return unresolvedMany(target, found);
}

/** The errno claims made in the prose of `owner` (a param, constraint, return, ...). */
export function claimsOf(items: SpecItem[], owner: SpecItem): SpecItem[] {
  return items.filter((i) => i.section === "claims" && i.owner?.section === owner.section && i.owner.index === owner.index);
}

/** "EINVAL "Invalid AIO context" condition (2) "..." (file:line)": how reports name a bound item. */
export function describeBound(bound: Bound): string {
  const { item } = bound;
  const head =
    item.section === "errors"
      ? `${item.name} "${item.summary}"`
      : item.section === "claims"
        ? `${item.errno} claimed in ${item.owner?.section ?? "prose"}: "${item.summary}"`
        : item.section === "signals" && item.errno
          ? `${item.errno} of signal "${item.summary}"`
          : `${item.section} "${item.summary}"`;
  const condition = !bound.condition ? "" : bound.condition.index >= 0 ? ` condition (${bound.condition.index + 1}) "${bound.condition.text}"` : ` condition "${bound.condition.text}"`;
  return `${head}${condition} (${item.file}:${item.line})`;
}
