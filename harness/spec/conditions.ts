// SPDX-License-Identifier: GPL-2.0-only
// Splits an error description into its conditions, so each can be checked
// (and reported) on its own, whichever way the author wrote the list:
//
//   splitConditions("... occur if: (1) a, (2) b, or (3) c.")   -> ["a", "b", "c"]
//   splitConditions("... occur when: - a - b - c")            -> ["a", "b", "c"]  (a "- item" list, joined by the parser)
//   splitConditions("... occur if: a; b; or c.")               -> ["a", "b", "c"]
//   splitConditions("It is invalid if a, b, is 0, or c.")      -> ["a", "b", "is 0", "c"]
//
// Numbered markers win when present (the corpus' form, unchanged); the other
// forms let a scenario bound to "never created" still bind after the author
// drops the numbers, turns them into a list, or reflows the prose. A sentence
// that opens with "If X, ..." is not a list: its comma closes the if-clause.
import { splitTopLevel } from "./constraint-type.js";

const MARKER = /\((\d{1,2})\)(?=\s)/g;

/** The conditions of a description, or [] when it lists fewer than two. */
export function splitConditions(text: string): string[] {
  const numbered = splitNumbered(text);
  if (numbered.length > 0) return numbered;
  for (const sentence of sentencesOf(text)) {
    const items = splitListSentence(sentence);
    if (items.length >= 2) return items;
  }
  return [];
}

function splitNumbered(text: string): string[] {
  const marks: { start: number; end: number }[] = [];
  let expected = 1;
  for (const m of text.matchAll(MARKER)) {
    const at = m.index;
    const before = at === 0 ? " " : text[at - 1]!;
    // "(1)" must open a clause: not part of a token such as "O_WRONLY (1),".
    if (Number(m[1]) !== expected || !/[\s:;,]/.test(before)) continue;
    marks.push({ start: at, end: at + m[0].length });
    expected++;
  }
  if (marks.length < 2) return [];
  return marks.map((mark, i) => {
    const next = marks[i + 1];
    let item = text.slice(mark.end, next ? next.start : undefined);
    if (!next) item = firstSentence(item);
    return tidy(item);
  });
}

/**
 * The description's sentences, where a sentence ends at ". " before a capital
 * outside parentheses, or at a line break. A "- item" list after a colon stays
 * in its sentence: the items are what splitListSentence reads.
 */
function sentencesOf(text: string): string[] {
  const joined = text.replace(/\n(?=\s*[-*\u2022]\s)/g, " ");
  const out: string[] = [];
  let start = 0;
  for (const end of sentenceEnds(joined)) {
    out.push(joined.slice(start, end));
    start = end + 1;
  }
  out.push(joined.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * Where sentences end: at ". " before a capital outside parentheses, and at
 * line breaks. One pass, so a long line with many sentences stays linear (the
 * parser fuzzer feeds 200 KB lines).
 */
function* sentenceEnds(s: string): Generator<number> {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "\n" || (c === "." && depth === 0 && /^\s+[A-Z]/.test(s.slice(i + 1, i + 3)))) yield i;
  }
}

/** "when:", "if:", "one of:", "following:": the list follows (a bare colon may be a label, "Note: ..."). */
const COLON_INTRO = /\b(?:if|when|whenever|where|includ(?:e|es|ing)|one of|any of|following|occurs?|cases?|conditions?)\s*:\s+/i;
/** "invalid if a, b, or c": the intro word must follow some words (a leading "If X," is a clause, not a list). */
const WORD_INTRO = /\S\s+(?:if|when|whenever)\s+/i;
const BULLET = /(?:^|\s)[-*\u2022]\s+(?=\S)/g;

function splitListSentence(sentence: string): string[] {
  const colon = COLON_INTRO.exec(sentence);
  if (colon) {
    const tail = sentence.slice(colon.index + colon[0].length);
    const bullets = [...tail.matchAll(BULLET)];
    if (bullets.length >= 2 && bullets[0]!.index === 0) {
      return cleanItems(bullets.map((b, i) => tail.slice(b.index + b[0].length, bullets[i + 1]?.index)));
    }
    if (splitTopLevel(tail, ";").length >= 2) return cleanItems(splitTopLevel(tail, ";"));
    const items = commaList(tail);
    if (items.length >= 2) return items;
  }
  const word = WORD_INTRO.exec(sentence);
  if (!word) return [];
  // Two items after a bare "when" are too often a qualifier and an alternative ("for X when Y, or when Z").
  const items = commaList(sentence.slice(word.index + word[0].length));
  return items.length >= 3 ? items : [];
}

/** "a, b, or c" (also "a, b or c" and a trailing ", ..."): at least three parts, or two with a final "or". */
function commaList(tail: string): string[] {
  const parts = splitTopLevel(tail, ",").filter((p) => p !== "");
  if (parts.length < 2) return [];
  const last = parts[parts.length - 1]!;
  const open = /^(?:\.\.\.|\u2026|etc\.?)$/.test(last);
  if (open) parts.pop();
  else if (!/^(?:or|and)\s/i.test(last)) {
    // No Oxford comma: the last part holds the last two items.
    const or = last.lastIndexOf(" or ");
    if (or < 0) return [];
    parts.splice(parts.length - 1, 1, last.slice(0, or), last.slice(or + 1));
  }
  return parts.length >= 3 || (parts.length === 2 && !open) ? cleanItems(parts) : [];
}

function cleanItems(items: string[]): string[] {
  const out = items.map((i) => tidy(i.replace(/^\s*(?:or|and)\s+/i, ""))).filter((i) => i !== "" && !/^(?:\.\.\.|\u2026|etc)$/.test(i));
  return out.length >= 2 ? out : [];
}

/** The last condition ends with its sentence; what follows is commentary. */
function firstSentence(s: string): string {
  for (const end of sentenceEnds(s)) return s.slice(0, end);
  return s;
}

/** `s` without the trailing characters in `chars`. A loop: /[...]+$/ is quadratic on long runs. */
function trimEndOf(s: string, chars: RegExp): string {
  let end = s.length;
  while (end > 0 && chars.test(s[end - 1]!)) end--;
  return s.slice(0, end);
}

function tidy(s: string): string {
  let t = s.replace(/\s+/g, " ").trim();
  const joiner = /\b(?:or|and)$/.exec(t);
  if (joiner) t = trimEndOf(t.slice(0, joiner.index), /[\s,;]/);
  return trimEndOf(t, /[\s,;:.]/).trim();
}
