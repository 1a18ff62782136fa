// SPDX-License-Identifier: GPL-2.0-only
// Splits an error description's inline enumeration "(1) ..., (2) ..., or (6) ..."
// into its conditions, so each can be checked (and reported) on its own.

const MARKER = /\((\d{1,2})\)(?=\s)/g;

/** The numbered conditions of a description, or [] when it has fewer than two. */
export function splitConditions(text: string): string[] {
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

/** The last condition ends with its sentence; what follows is commentary. */
function firstSentence(s: string): string {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (c === "." && depth === 0 && /^\s+[A-Z]/.test(s.slice(i + 1, i + 3))) return s.slice(0, i);
  }
  return s;
}

/** `s` without the trailing characters in `chars`. A loop: /[...]+$/ is quadratic on long runs. */
function trimEndOf(s: string, chars: RegExp): string {
  let end = s.length;
  while (end > 0 && chars.test(s[end - 1]!)) end--;
  return s.slice(0, end);
}

function tidy(s: string): string {
  let t = s.trim();
  const joiner = /\b(?:or|and)$/.exec(t);
  if (joiner) t = trimEndOf(t.slice(0, joiner.index), /[\s,;]/);
  return trimEndOf(t, /[\s,;:.]/).trim();
}
