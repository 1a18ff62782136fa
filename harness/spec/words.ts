// SPDX-License-Identifier: GPL-2.0-only
// Matching a phrase by its words, in any order: specs are machine-generated
// and reworded between postings ("Invalid AIO context" / "AIO context is
// invalid"), so binding by exact wording would break on harmless edits.

const STOP = new Set(["a", "an", "the", "of", "to", "is", "are", "was", "be", "been", "by", "in", "on", "for", "it", "its", "this", "that", "with", "via", "from", "and", "or"]);

const VARIANTS: Array<[RegExp, string]> = [
  [/\bdoesn't\b/g, "does not"],
  [/\bdon't\b/g, "do not"],
  [/\bcan't\b|\bcannot\b/g, "can not"],
  [/\bwasn't\b/g, "was not"],
  [/\bisn't\b/g, "is not"],
  [/\bzero\b/g, "0"],
];

/** A crude stem: enough to meet cancel/cancelled/cancellation, destroy/destroyed, read/readable, submit/submitted. */
export function stem(word: string): string {
  let w = word;
  for (const suffix of ["ations", "ation", "ings", "ing", "able", "ed", "es", "s"]) {
    if (w.length > suffix.length + 2 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // cancell -> cancel, submitt -> submit
  if (w.length > 3 && w.at(-1) === w.at(-2)) w = w.slice(0, -1);
  return w;
}

/** The content words of a text, lower-cased and stemmed; underscores split words (in_flight = in flight). */
export function contentWords(text: string): string[] {
  let t = text.toLowerCase();
  for (const [pattern, replacement] of VARIANTS) t = t.replace(pattern, replacement);
  return t
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "" && !STOP.has(w))
    .map(stem);
}

/** True when every content word of `phrase` occurs in `text`, in any order. */
export function wordsMatch(text: string, phrase: string): boolean {
  const have = new Set(contentWords(text));
  const want = contentWords(phrase);
  return want.length > 0 && want.every((w) => have.has(w));
}
