// SPDX-License-Identifier: GPL-2.0-only
// Binds a scenario's Target to the one spec item whose words match it. The
// binding reads summaries, descriptions and enumerated conditions, never errno
// names or positions, so renaming an errno in the spec changes the expectation
// and not the binding.
import type { Spec } from "../spec/model.js";
import type { ItemSection, Target } from "./scenario.js";

/** A spec item reduced to what binding and reporting need. */
export interface SpecItem {
  section: ItemSection;
  index: number;
  /** One line naming the item (error summary, param name, effect target, ...). */
  summary: string;
  /** All the item's words, for `text` matching. */
  text: string;
  conditions: string[];
  /** Errno symbol of an error item (not a placeholder), or of the return's success symbol. */
  errno?: string;
  /** For error items: the name as written, placeholders included. */
  name?: string;
  file: string;
  line: number;
}

export interface Bound {
  item: SpecItem;
  /** The enumerated condition the target matched, 0-based, when it named one. */
  condition?: { index: number; text: string };
}

export type Resolution = { status: "bound"; bound: Bound } | { status: "unresolved"; reason: string };

const join = (...parts: Array<string | undefined>): string => parts.filter((p) => p !== undefined && p !== "").join(" ");

/** Every spec item of the sections a Target can name, in spec order. */
export function specItems(spec: Spec): SpecItem[] {
  const items: SpecItem[] = [];
  spec.params.forEach((p) =>
    items.push({
      section: "params",
      index: p.index,
      summary: p.name,
      text: join(p.name, p.headerDescription, p.constraint),
      conditions: [],
      file: p.source.file,
      line: p.source.line,
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
      file: r.source.file,
      line: r.source.line,
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
      file: e.source.file,
      line: e.source.line,
    }),
  );
  spec.locks.forEach((l) =>
    items.push({ section: "locks", index: l.index, summary: l.name, text: join(l.name, l.description), conditions: [], file: l.source.file, line: l.source.line }),
  );
  spec.signals.forEach((s) =>
    items.push({
      section: "signals",
      index: s.index,
      summary: s.name,
      text: join(s.name, s.condition, s.description),
      conditions: [],
      errno: s.errno,
      file: s.source.file,
      line: s.source.line,
    }),
  );
  spec.sideEffects.forEach((s) =>
    items.push({
      section: "sideEffects",
      index: s.index,
      summary: s.target ?? s.types.map((t) => t.value).join(" | "),
      text: join(s.target, s.condition, s.description),
      conditions: [],
      file: s.source.file,
      line: s.source.line,
    }),
  );
  spec.stateTransitions.forEach((t) =>
    items.push({
      section: "stateTransitions",
      index: t.index,
      summary: t.object,
      text: join(t.object, t.from, t.to, t.condition, t.description),
      conditions: [],
      file: t.source.file,
      line: t.source.line,
    }),
  );
  spec.capabilities.forEach((c) =>
    items.push({
      section: "capabilities",
      index: c.index,
      summary: c.name,
      text: join(c.name, c.allows, c.without, c.condition),
      conditions: [],
      file: c.source.file,
      line: c.source.line,
    }),
  );
  spec.constraints.forEach((c) =>
    items.push({
      section: "constraints",
      index: c.index,
      summary: c.name,
      text: join(c.name, c.description, c.expr),
      conditions: [],
      file: c.source.file,
      line: c.source.line,
    }),
  );
  return items;
}

/** Describes a target in words, for messages about it. */
export function describeTarget(target: Target): string {
  const parts = [
    target.summary && `summary ~ ${target.summary}`,
    target.text && `text ~ ${target.text}`,
    target.condition && `condition ~ ${target.condition}`,
  ].filter(Boolean);
  return `${target.section}${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

export function resolveTarget(items: SpecItem[], target: Target): Resolution {
  const matches: Bound[] = [];
  for (const item of items) {
    if (item.section !== target.section) continue;
    if (target.summary && !target.summary.test(item.summary)) continue;
    if (target.text && !target.text.test(item.text)) continue;
    if (target.condition) {
      const index = item.conditions.findIndex((c) => target.condition!.test(c));
      if (index < 0) continue;
      matches.push({ item, condition: { index, text: item.conditions[index]! } });
    } else {
      matches.push({ item });
    }
  }
  if (matches.length === 1) return { status: "bound", bound: matches[0]! };
  if (matches.length === 0) return { status: "unresolved", reason: `no spec item matches ${describeTarget(target)}` };
  const where = matches.map((m) => `"${m.item.summary}" (line ${m.item.line})`).join(", ");
  return { status: "unresolved", reason: `${matches.length} spec items match ${describeTarget(target)}: ${where}` };
}

/** "EINVAL "Invalid AIO context" condition (2) "..." (file:line)": how reports name a bound item. */
export function describeBound(bound: Bound): string {
  const { item } = bound;
  const head = item.section === "errors" ? `${item.name} "${item.summary}"` : `${item.section} "${item.summary}"`;
  const condition = bound.condition ? ` condition (${bound.condition.index + 1}) "${bound.condition.text}"` : "";
  return `${head}${condition} (${item.file}:${item.line})`;
}
