// SPDX-License-Identifier: GPL-2.0-only
// Case-id globs for expectations files: `*` is any run of characters (dots
// included, so `io_cancel.poll-cancel.*` takes every poll-cancel case) and `?`
// one character; everything else is literal. Matched by the two-pointer
// wildcard algorithm, which only ever resumes from the last `*` seen: time
// O(glob x id) at worst, never exponential. A regular expression built from the
// glob backtracks instead (22 `*` and a `Z` took 54 s on a 34-character id), and
// picomatch gives `*` path semantics (no `/`) and compiles to a regex as well.

export interface GlobMatcher {
  /** The glob as written. */
  readonly source: string;
  test(caseId: string): boolean;
}

/** Whether `text` matches `glob` as a whole; both compared by code point. */
export function matchGlob(glob: string, text: string): boolean {
  const g = Array.from(glob);
  const t = Array.from(text);
  let gi = 0;
  let ti = 0;
  // Where the last `*` is, and the text position it currently stands for up to.
  let star = -1;
  let resume = 0;
  while (ti < t.length) {
    if (gi < g.length && g[gi] === "*") {
      star = gi++;
      resume = ti;
    } else if (gi < g.length && (g[gi] === "?" || g[gi] === t[ti])) {
      gi++;
      ti++;
    } else if (star >= 0) {
      // Let the last `*` take one more character and try again from there.
      gi = star + 1;
      ti = ++resume;
    } else {
      return false;
    }
  }
  while (gi < g.length && g[gi] === "*") gi++;
  return gi === g.length;
}

export function compileGlob(glob: string): GlobMatcher {
  return { source: glob, test: (caseId) => matchGlob(glob, caseId) };
}
