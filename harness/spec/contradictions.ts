// SPDX-License-Identifier: GPL-2.0-only
// Contradictions inside one spec: two places that attach different errnos to
// the same condition, e.g. a param constraint "A NULL pointer will result in
// EFAULT" beside an error: EINVAL block whose text says "a NULL iocb pointer".
// Lint reports each as a warning naming both file:line; the kernel decides
// which side is wrong, so the run still runs.
//
//   contradictions(spec)            -> Contradiction[] (each pair of lines once)
//   contradictionDiagnostics(spec)  -> Diagnostic[] (severity "warning", code "errno-contradiction")
//
// A place is an errno with the words of its condition. A claim is an asserted
// prose claim (errno-claims.ts) with its condition and the item's subject (a
// param's or constraint's name, a capability). It is compared with the other claims and with
// what the error blocks document: their enumerated conditions and description
// sentences (a sentence naming another errno is commentary and skipped) and
// the signals' errno with their condition. Error blocks are not compared with
// each other: their descriptions restate consequences ("the fd is still
// closed") that are not conditions. Two places name the same condition when
// the content words of one (at least two that are not negations or numbers,
// after dropping words such as "return" and "error") all occur in the other;
// see sameCondition for which way round.
// Kernel-internal codes (ERESTARTSYS and the other values >= 512) never reach
// user space as such and contradict nothing.
import type { Diagnostic, LineMap, Spec } from "./model.js";
import { diagnostic } from "./diagnostic.js";
import { claimCondition, errnoClaims, lineAt, sentences } from "./errno-claims.js";
import { errnoName, errnoNumber } from "../kernel/errno.js";
import { contentWords, stem } from "./words.js";

export interface ErrnoPlace {
  errno: string;
  /** The condition as written (a claim's condition words, an enumerated condition, a sentence). */
  condition: string;
  /** Where it is, for messages: "param iocb constraint", "error: EINVAL (Invalid AIO context)". */
  where: string;
  file: string;
  line: number;
  /** Places in one item never contradict each other (a list of errnos, an error block's own sentences). */
  item: string;
  /**
   * A prose claim; an enumerated condition of an error block; a whole sentence
   * of an error description or a signal's condition (which may say more than
   * the condition, so only a claim contained in it counts).
   */
  kind: "claim" | "condition" | "sentence";
}

export interface Contradiction {
  a: ErrnoPlace;
  b: ErrnoPlace;
}

/** Words that say how a condition is reported, not what it is. */
const NOT_CONDITION_WORDS = new Set(
  ["return", "returned", "error", "errno", "fail", "fails", "failure", "result", "trigger", "cause", "occur", "occurs", "syscall", "call", "kernel", "value", "returned", "also", "here", "case", "this", "specifically"].map(stem),
);
/** The smallest number of strong words that can name a condition on its own. */
const MIN_WORDS = 2;
/** Words too weak to name a condition by themselves: "not 0" names nothing. */
const WEAK = /^(?:not|no|never|none|\d+)$/;
/** The first kernel-internal errno (include/linux/errno.h: ERESTARTSYS). */
const FIRST_INTERNAL_ERRNO = 512;

function conditionWords(text: string): Set<string> {
  return new Set(contentWords(text).filter((w) => !NOT_CONDITION_WORDS.has(w)));
}

/** The canonical name of a user-visible errno; undefined for other words and kernel-internal codes. */
function canonical(symbol: string): string | undefined {
  const n = errnoNumber(symbol, "x86_64");
  return n === undefined || n >= FIRST_INTERNAL_ERRNO ? undefined : errnoName(n, "x86_64");
}

/** The line of `fragment` inside a field with line map `map` (its first occurrence), else `fallback`. */
function lineOf(text: string | undefined, map: LineMap | undefined, fragment: string, fallback: number): number {
  const at = text ? text.indexOf(fragment) : -1;
  return at < 0 ? fallback : lineAt(map, at, fallback);
}

const ERRNO_WORD = /(?<![A-Za-z0-9_])-?(E[A-Z0-9]{2,})(?![A-Za-z0-9_])/g;

/** Every errno-with-condition place of a spec. */
export function errnoPlaces(spec: Spec): ErrnoPlace[] {
  const file = spec.source.file;
  const places: ErrnoPlace[] = [];
  for (const c of errnoClaims(spec)) {
    if (c.stance !== "asserts" || canonical(c.errno) === undefined) continue;
    const cond = claimCondition(c);
    if (cond === undefined) continue;
    // The item's subject is part of the condition: "a NULL pointer" in param iocb is a NULL iocb pointer.
    const about = c.subject === "" ? cond : `${c.subject} ${cond}`;
    const where = c.index < 0 ? `${c.section} ${c.field}` : `${c.section} ${c.subject} ${c.field}`;
    places.push({ errno: c.errno, condition: about, where, file, line: c.line, item: `${c.section}/${c.index}/${c.sentence}`, kind: "claim" });
  }
  for (const e of spec.errors) {
    const errno = e.placeholder ? undefined : canonical(e.name);
    if (errno === undefined) continue;
    const where = `error: ${e.name} (${e.summary})`;
    const item = `error/${e.index}`;
    const map = e.textLines?.["description"];
    // Summaries are left out: most are strerror text ("File exists") whose words are in every other condition.
    for (const cond of e.conditions) {
      places.push({ errno, condition: cond, where, file, line: lineOf(e.description, map, cond.slice(0, 40), e.source.line), item, kind: "condition" });
    }
    for (const s of sentences(e.description ?? "")) {
      // "Note: the man page documents EAGAIN", "Equivalent to EWOULDBLOCK": commentary about another errno.
      if ([...s.text.matchAll(ERRNO_WORD)].some((m) => canonical(m[1]!) !== undefined && canonical(m[1]!) !== errno)) continue;
      places.push({ errno, condition: s.text, where, file, line: lineAt(map, s.start, e.source.line), item, kind: "sentence" });
    }
  }
  for (const g of spec.signals) {
    const errno = g.errno === undefined ? undefined : canonical(g.errno);
    if (errno === undefined || !g.condition) continue;
    const map = g.textLines?.["condition"];
    places.push({ errno, condition: `${g.name} ${g.condition}`, where: `signal: ${g.name}`, file, line: lineAt(map, 0, g.source.line), item: `signal/${g.index}`, kind: "sentence" });
  }
  return places;
}

function strong(words: Set<string>): number {
  return [...words].filter((w) => !WEAK.test(w)).length;
}

interface Weighed {
  p: ErrnoPlace;
  words: Set<string>;
}

/**
 * Whether `small`'s condition, whose words all occur in `large`'s, names the
 * same condition: a claim inside a documented sentence or condition; a
 * documented condition inside a claim; a claim inside another claim when it
 * has a word more than the minimum (claims are short, and two words such as
 * "completion event" recur in unrelated claims).
 */
function sameCondition(small: Weighed, large: Weighed): boolean {
  if (strong(small.words) < MIN_WORDS) return false;
  if (small.p.kind === "claim") return large.p.kind !== "claim" || strong(small.words) > MIN_WORDS;
  return small.p.kind === "condition" && large.p.kind === "claim";
}

/** Pairs of places in different items that attach different errnos to the same condition; each pair of lines once, by line. */
export function contradictions(spec: Spec): Contradiction[] {
  // A repeat of a place (same kind, errno and words) adds no finding but would make the pairing quadratic.
  const unique = new Map<string, Weighed>();
  for (const p of errnoPlaces(spec)) {
    const words = conditionWords(p.condition);
    const key = `${p.kind}|${p.errno}|${[...words].sort().join(" ")}`;
    if (!unique.has(key)) unique.set(key, { p, words });
  }
  const places = [...unique.values()];
  // Which places hold each word: the places holding all of x's words are the intersection (linear in the spec, not quadratic).
  const holding = new Map<string, Set<number>>();
  places.forEach((x, i) => {
    for (const w of x.words) {
      let set = holding.get(w);
      if (!set) holding.set(w, (set = new Set()));
      set.add(i);
    }
  });
  const found = new Map<string, Contradiction>();
  places.forEach((x, i) => {
    if (x.words.size === 0) return;
    const lists = [...x.words].map((w) => holding.get(w)!).sort((m, n) => m.size - n.size);
    for (const j of lists[0]!) {
      const y = places[j]!;
      if (j === i || x.p.errno === y.p.errno || x.p.item === y.p.item) continue;
      if (!lists.every((l) => l.has(j)) || !sameCondition(x, y)) continue;
      const [a, b] = x.p.line <= y.p.line ? [x.p, y.p] : [y.p, x.p];
      const key = `${a.line}/${a.errno}/${b.line}/${b.errno}`;
      if (!found.has(key)) found.set(key, { a, b });
    }
  });
  return [...found.values()].sort((m, n) => m.a.line - n.a.line || m.b.line - n.b.line);
}

/** The lint warnings: one per contradiction, at the first place's line, naming both. */
export function contradictionDiagnostics(spec: Spec): Diagnostic[] {
  return contradictions(spec).map(({ a, b }) =>
    diagnostic(
      "warning",
      a.file,
      a.line,
      "errno-contradiction",
      `${a.errno} at ${a.file}:${a.line} (${a.where}: "${a.condition}") but ${b.errno} at ${b.file}:${b.line} (${b.where}: "${b.condition}") for the same condition`,
    ),
  );
}
