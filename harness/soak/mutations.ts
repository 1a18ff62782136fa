// SPDX-License-Identifier: GPL-2.0-only
// Mutations of KAPI spec texts for the parser fuzzer. Each takes a text and a
// seeded generator and returns a damaged text; they aim at the grammar's weak
// spots (comment prefixes, column-0 keys, sub-field indentation, hunk counts,
// line endings, dialect tokens) as well as plain noise and size.
import { below, between, chance, pick, type Rng } from "./prng.js";

export const MUTATION_KINDS = [
  "truncate-line",
  "truncate-char",
  "indent",
  "unknown-key",
  "odd-value",
  "duplicate-lines",
  "shuffle-lines",
  "delete-lines",
  "binary-noise",
  "huge-line",
  "delete-close",
  "stray-open",
  "crlf",
  "lone-cr",
  "mixed-dialect",
  "hunk-counts",
] as const;

export type MutationKind = (typeof MUTATION_KINDS)[number];

type Mutation = (text: string, rng: Rng) => string;

/** About 200 KB: far beyond any real comment line, small enough to keep thousands of iterations fast. */
export const HUGE_LINE = 200_000;

const split = (text: string): string[] => text.split("\n");
const join = (lines: readonly string[]): string => lines.join("\n");

/** The comment prefix (diff marker, indentation, star) of a comment body line. */
const PREFIX = /^([+ ]?[ \t]*\*)(?=[ \t]|$)/;

/** Indexes of comment body lines: where inserted text lands inside a KAPI block. */
function commentLines(lines: readonly string[]): number[] {
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (PREFIX.test(l) && !l.includes("*/")) out.push(i);
  });
  return out;
}

/** A random line index, mostly a comment body line (where the grammar lives). */
function someLine(lines: readonly string[], rng: Rng): number {
  const inComment = commentLines(lines);
  return inComment.length > 0 && chance(rng, 0.85) ? pick(rng, inComment) : below(rng, lines.length);
}

function prefixOf(line: string): string {
  return PREFIX.exec(line)?.[1] ?? " *";
}

function whitespace(rng: Rng, max: number): string {
  let s = "";
  for (let n = between(rng, 1, max); n > 0; n--) s += chance(rng, 0.7) ? " " : "\t";
  return s;
}

/** Insert `make(prefix)` lines at random comment positions, reusing the neighbour's prefix. */
function insertCommentLines(text: string, rng: Rng, count: number, make: (prefix: string) => string): string {
  const lines = split(text);
  for (let n = 0; n < count; n++) {
    const at = someLine(lines, rng);
    lines.splice(at + 1, 0, make(prefixOf(lines[at] ?? "")));
  }
  return join(lines);
}

const ODD_KEYS = ["frobnicate", "Return", "Context", "x-vendor", "param-x", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "a", "type", "desc", "A-"];
const KNOWN_SECTIONS = ["param", "error", "return", "signal", "lock", "side-effect", "state-trans", "capability", "constraint", "long-desc", "notes", "examples", "context-flags", "contexts", "since-version"];

const ODD_VALUES = [
  "", "constructor", "__proto__", "toString", "KAPI_", "|", ",", ",,", "(", ")", "range(", "range(,)", "buffer(x)",
  "-", "E", "(1) (2)", "(1) a, (2) b, or", "KAPI_TYPE_INT | ", "0x", ">=", "user_string(", "\u00a0", "\u{1f642}",
  "KAPI_CONSTRAINT_RANGE", "mask(", "enum(a,,b)", "-EINPROGRESS", "(driver-specific)", "EINVAL,", "\\",
];

const V5_V4: readonly (readonly [string, string])[] = [
  ["context-flags:", "contexts:"],
  ["KAPI_CTX_PROCESS", "process"],
  ["KAPI_CTX_SLEEPABLE", "sleepable"],
  ["KAPI_TYPE_INT", "int"],
  ["KAPI_TYPE_UINT", "uint"],
  ["KAPI_TYPE_FD", "fd"],
  ["KAPI_TYPE_USER_PTR", "uptr"],
  ["KAPI_PARAM_IN", "input"],
  ["KAPI_PARAM_OUT", "output"],
  ["constraint:", "cdesc:"],
  ["error:", "errno:"],
  ["KAPI_CONSTRAINT_RANGE", "range(0, INT_MAX)"],
  ["KAPI_CONSTRAINT_BUFFER", "buffer(2)"],
  ["KAPI_CONSTRAINT_NONE", "none"],
  ["KAPI_RETURN_ERROR_CHECK", "error_check"],
  ["KAPI_LOCK_MUTEX", "mutex"],
  ["KAPI_EFFECT_MODIFY_STATE", "modify_state"],
];

const NOISE_BYTES = [0x00, 0xff, 0xfe, 0xc0, 0xc1, 0xc3, 0xe2, 0x80, 0xbf, 0xf0, 0xf8, 0x0d, 0x0a, 0x09, 0x1b, 0x7f];

/**
 * Huge lines are shaped to hurt regexes: a long run of one character class
 * (whitespace, word characters, separators) between a prefix the grammar
 * reacts to and a tail that makes the match fail late (a stray CR, a word).
 */
const HUGE_RUNS = [" ", " ", "\t", " \t", "a", "_", ", ", "(1) ", "*", "\u00a0", "1", "KAPI_", "\u00e9"];
const HUGE_PREFIXES = ["", "", "+", "+", " * ", "+ * ", " * param:", " * sys_x -", " * @fd:", " *   desc:", " * error: EINVAL,", "SYSCALL_DEFINE3(x, int ", " * long-desc:"];
const HUGE_TAILS = ["", "x", "x\ry", "!", "* x", "\r", ")", " -", "\u{1f642}"];

function hugeLine(rng: Rng): string {
  const run = pick(rng, HUGE_RUNS);
  return pick(rng, HUGE_PREFIXES) + run.repeat(Math.ceil((HUGE_LINE + between(rng, 0, 1000)) / run.length)) + pick(rng, HUGE_TAILS);
}

const HUNK = /^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/;

const mutations: Readonly<Record<MutationKind, Mutation>> = {
  "truncate-line": (text, rng) => {
    const lines = split(text);
    return join(lines.slice(0, below(rng, lines.length + 1))) + (chance(rng, 0.5) ? "\n" : "");
  },

  "truncate-char": (text, rng) => text.slice(0, below(rng, text.length + 1)),

  indent: (text, rng) => {
    const lines = split(text);
    for (let n = between(rng, 1, 8); n > 0; n--) {
      const i = someLine(lines, rng);
      const line = lines[i]!;
      const prefix = PREFIX.exec(line)?.[1];
      // Either the line's own start or the column after the comment prefix, where indentation means something.
      const at = prefix !== undefined && chance(rng, 0.7) ? prefix.length : 0;
      const head = line.slice(0, at);
      const rest = line.slice(at);
      const op = below(rng, 3);
      if (op === 0) lines[i] = head + whitespace(rng, 12) + rest;
      else if (op === 1) lines[i] = head + rest.replace(/^[ \t]{1,4}/, "");
      else lines[i] = head + rest.replace(/^[ \t]*/, whitespace(rng, 4));
    }
    return join(lines);
  },

  "unknown-key": (text, rng) =>
    insertCommentLines(text, rng, between(rng, 1, 4), (prefix) => {
      const form = below(rng, 4);
      const key = pick(rng, ODD_KEYS);
      if (form === 0) return `${prefix} ${key}: value`;
      if (form === 1) return `${prefix}${" ".repeat(between(rng, 1, 4))}${key}: value`;
      if (form === 2) return `${prefix} ${pick(rng, KNOWN_SECTIONS)}:`;
      return `${prefix}\n${prefix} ${key}:${chance(rng, 0.5) ? "" : " x"}`;
    }),

  "odd-value": (text, rng) => {
    const lines = split(text);
    const keyed = lines.flatMap((l, i) => (/^[+ ]?[ \t]*\*[ \t]+[A-Za-z@][\w.-]*:/.test(l) ? [i] : []));
    if (keyed.length === 0) return text;
    for (let n = between(rng, 1, 4); n > 0; n--) {
      const i = pick(rng, keyed);
      const line = lines[i]!;
      const colon = line.indexOf(":", prefixOf(line).length);
      lines[i] = line.slice(0, colon + 1) + (chance(rng, 0.8) ? " " : "") + pick(rng, ODD_VALUES);
    }
    return join(lines);
  },

  "duplicate-lines": (text, rng) => {
    const lines = split(text);
    const from = someLine(lines, rng);
    const copy = lines.slice(from, from + between(rng, 1, 20));
    lines.splice(chance(rng, 0.5) ? from + copy.length : below(rng, lines.length + 1), 0, ...copy);
    return join(lines);
  },

  "shuffle-lines": (text, rng) => {
    const lines = split(text);
    const from = someLine(lines, rng);
    const end = Math.min(lines.length, from + between(rng, 2, 12));
    for (let i = end - 1; i > from; i--) {
      const j = from + below(rng, i - from + 1);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
    return join(lines);
  },

  "delete-lines": (text, rng) => {
    const lines = split(text);
    lines.splice(someLine(lines, rng), between(rng, 1, 10));
    return join(lines);
  },

  "binary-noise": (text, rng) => {
    let bytes = Buffer.from(text, "utf8");
    for (let n = between(rng, 1, 16); n > 0; n--) {
      const noise = Buffer.from(Array.from({ length: between(rng, 1, 8) }, () => (chance(rng, 0.5) ? pick(rng, NOISE_BYTES) : below(rng, 256))));
      const at = below(rng, bytes.length + 1);
      // Insert, or overwrite in place: both leave partial UTF-8 sequences behind.
      bytes = chance(rng, 0.5)
        ? Buffer.concat([bytes.subarray(0, at), noise, bytes.subarray(at)])
        : Buffer.concat([bytes.subarray(0, at), noise, bytes.subarray(at + noise.length)]);
    }
    // Decoded as the loader reads files: invalid sequences become U+FFFD.
    return bytes.toString("utf8");
  },

  "huge-line": (text, rng) => {
    const lines = split(text);
    const i = someLine(lines, rng);
    // A line of its own, or one that swallows the end of an existing line.
    if (chance(rng, 0.7)) lines.splice(i + 1, 0, hugeLine(rng));
    else lines[i] = lines[i]!.slice(0, below(rng, lines[i]!.length + 1)) + hugeLine(rng);
    return join(lines);
  },

  "delete-close": (text, rng) => {
    if (chance(rng, 0.5)) return text.split("*/").join("");
    const positions: number[] = [];
    for (let at = text.indexOf("*/"); at >= 0; at = text.indexOf("*/", at + 2)) positions.push(at);
    if (positions.length === 0) return text;
    const at = pick(rng, positions);
    return text.slice(0, at) + text.slice(at + 2);
  },

  "stray-open": (text, rng) => {
    const lines = split(text);
    for (let n = between(rng, 1, 3); n > 0; n--) {
      lines.splice(below(rng, lines.length + 1), 0, pick(rng, ["/**", " /**", "+/**", " * /**", "/** */", "/***", "/**x", "+ /**"]));
    }
    return join(lines);
  },

  crlf: (text, rng) => {
    if (chance(rng, 0.5)) return text.replace(/\r?\n/g, "\r\n");
    return split(text)
      .map((l) => (chance(rng, 0.3) ? `${l}\r` : l))
      .join("\n");
  },

  "lone-cr": (text, rng) => {
    const lines = split(text);
    for (let n = between(rng, 1, 6); n > 0; n--) {
      const i = someLine(lines, rng);
      if (chance(rng, 0.5) && i + 1 < lines.length) {
        // The line break becomes a bare CR: two lines turn into one with a CR inside.
        lines.splice(i, 2, `${lines[i]}\r${lines[i + 1]}`);
      } else {
        const line = lines[i]!;
        const at = below(rng, line.length + 1);
        lines[i] = `${line.slice(0, at)}\r${line.slice(at)}`;
      }
    }
    return join(lines);
  },

  "mixed-dialect": (text, rng) => {
    const lines = split(text);
    for (let n = between(rng, 1, 6); n > 0; n--) {
      const [v5, v4] = pick(rng, V5_V4);
      const [from, to] = chance(rng, 0.5) ? [v5, v4] : [v4, v5];
      const hits = lines.flatMap((l, i) => (l.includes(from) ? [i] : []));
      if (hits.length > 0) {
        const i = pick(rng, hits);
        lines[i] = lines[i]!.replace(from, to);
      }
    }
    if (chance(rng, 0.3)) {
      const at = someLine(lines, rng);
      const prefix = prefixOf(lines[at] ?? "");
      lines.splice(at + 1, 0, pick(rng, [`${prefix} contexts: process, sleepable`, `${prefix} context-flags: KAPI_CTX_PROCESS`, `${prefix}   type: fd, input`, `${prefix}   errno: -EINTR`]));
    }
    return join(lines);
  },

  "hunk-counts": (text, rng) => {
    const lines = split(text);
    const hunks = lines.flatMap((l, i) => (HUNK.test(l) ? [i] : []));
    if (hunks.length === 0) return text;
    const i = pick(rng, hunks);
    const count = (): string => pick(rng, ["0", "1", "2", String(between(rng, 3, 400)), "99999999999999999999999"]);
    const form = below(rng, 4);
    if (form === 0) lines.splice(i, 1);
    else if (form === 1) lines[i] = lines[i]!.replace(HUNK, (_m, a: string, _b, c: string) => `@@ -${a} +${c} @@`);
    else if (form === 2) lines[i] = lines[i]!.replace(HUNK, (_m, a: string, _b, c: string) => `@@ -${a},${count()} +${c},${count()} @@`);
    else lines[i] = lines[i]!.replace(HUNK, (_m, a: string, b: string | undefined, _c, d: string | undefined) => `@@ -${a}${b ?? ""} +${count()}${d ?? ""} @@`);
    return join(lines);
  },
};

export function mutate(kind: MutationKind, text: string, rng: Rng): string {
  return mutations[kind](text, rng);
}
