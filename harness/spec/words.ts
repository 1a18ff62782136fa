// SPDX-License-Identifier: GPL-2.0-only
// Matching spec text by its words, so that a binding survives harmless edits
// (words reordered, tense or suffix changed, contractions spelled out):
//
//   wordsMatch("AIO context is invalid", "invalid AIO context")        -> true
//   wordsMatch("the request was cancelled", "cancellation of a request") -> true
//   wordsMatch("ctx_id is zero", "ctx_id is 0")                         -> true
//   wordsMatch("the fd is readable", "fd not readable")                 -> false ("not" is a content word)
//   contentWords("The iocb doesn't exist")                               -> ["iocb", "not", "exist"]
//
// Content words are what is left after lower-casing, spelling out variants
// (doesn't -> does not, can't -> cannot, zero -> 0, "null pointer" -> null),
// dropping function words, and light stemming (cancel/cancelled/cancellation,
// destroy/destroyed, read/readable, submit/submitted, create/created).
// Negations (not, no, never) are content words: they change what a condition says.

/** Spelling variants, applied before splitting into words (lower-case input). */
const VARIANTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bcan['\u2019]t\b/g, "cannot"],
  [/\bwon['\u2019]t\b/g, "will not"],
  [/\b(\w+)n['\u2019]t\b/g, "$1 not"],
  [/\bcannot\b/g, "can not"],
  [/\bnon[- ]zero\b/g, "nonzero"],
  [/\bzero\b/g, "0"],
  [/\bnull(?:[- ]pointer| ptr)?\b/g, "null"],
  [/\bfile descriptor\b/g, "fd"],
  [/\bnot? longer\b/g, "not"],
];

const FUNCTION_WORDS = new Set(
  (
    "a an the of to in on at by for from with via into onto as and or but if when whenever where which that this these those " +
    "is are was were be been being am do does did has have had will would shall should may might must can could " +
    "it its it's their there then than so such any some each either also already just only still yet"
  ).split(" "),
);

/** Suffixes stripped in order, the first that leaves a stem of 3+ letters. */
const SUFFIXES = ["ations", "ation", "ables", "able", "ibly", "ings", "ing", "edly", "ed", "ers", "er", "es", "ly", "s"];

/** The stem of one lower-case word: cancellation, cancelled, cancels -> cancel; created, create -> creat. */
export function stem(word: string): string {
  if (/^\d/.test(word)) return word;
  let w = word;
  for (const suffix of SUFFIXES) {
    if (!w.endsWith(suffix) || w.length - suffix.length < 3) continue;
    // "process", "status", "this": the final s is the word's own.
    if (suffix === "s" && /(?:ss|us|is)$/.test(w)) break;
    w = w.slice(0, -suffix.length);
    break;
  }
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  // cancell -> cancel, submitt -> submit (left by -ed, -ing, -ation); applied to every word so "call" and "called" agree.
  if (/([b-df-hj-np-rtv-z])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** The stemmed content words of a text, in order (repeats kept). */
export function contentWords(text: string): string[] {
  let t = text.toLowerCase();
  for (const [pattern, replacement] of VARIANTS) t = t.replace(pattern, replacement);
  const words = t.match(/[a-z0-9_]+/g) ?? [];
  // Single letters are left from possessives and abbreviations ("process's", "i.e.").
  return words.filter((w) => !FUNCTION_WORDS.has(w) && (w.length > 1 || /\d/.test(w))).map(stem);
}

/** True when every content word of `phrase` occurs in `text`, in any order (case-insensitive, stemmed, variants folded). */
export function wordsMatch(text: string, phrase: string): boolean {
  const want = contentWords(phrase);
  if (want.length === 0) return false;
  const have = new Set(contentWords(text));
  return want.every((w) => have.has(w));
}
