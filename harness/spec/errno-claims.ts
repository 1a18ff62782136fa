// SPDX-License-Identifier: GPL-2.0-only
// Errno claims in prose: every errno a spec names outside its error: blocks
// (a param's constraint text, a constraint's desc/expr, the return's desc,
// long-desc, notes, side effects, state transitions, signals, locks,
// capabilities), with the sentence that names it and that sentence's line.
//
//   errnoClaims(spec)      -> ErrnoClaim[] in spec order
//     e.g. { errno: "EFAULT", sentence: "A NULL pointer will result in EFAULT.",
//            section: "param", field: "constraint", index: 1, subject: "iocb",
//            stance: "asserts", file, line: 93, errnoLine: 93 }
//   claimCondition(claim)  -> "a null pointer" (the words the errno is attached to),
//                             undefined when the sentence attaches it to nothing
//   sentences(text)        -> the sentences of a prose text with their offsets
//
// Only real errno names count (harness/kernel/errno.ts); aliases come back as
// the canonical name (EWOULDBLOCK -> EAGAIN) with `written` beside it.
// `stance` keeps claims apart from mentions: "denies" for "does not return
// EINTR", "reports" for what another source says ("the man page documents
// EAGAIN"); only "asserts" is the spec's own claim about the kernel.
import type { LineMap, Spec } from "./model.js";
import { errnoName, errnoNumber } from "../kernel/errno.js";
import { splitTopLevel } from "./constraint-type.js";

export type ClaimSection =
  | "param"
  | "constraint"
  | "return"
  | "long-desc"
  | "notes"
  | "description"
  | "side-effect"
  | "state-trans"
  | "signal"
  | "lock"
  | "capability";

export interface ErrnoClaim {
  /** Canonical errno name, e.g. "EAGAIN" (also for a written EWOULDBLOCK). */
  errno: string;
  /** The symbol as written, without a sign: "EWOULDBLOCK". */
  written: string;
  /** The sentence naming it, whitespace-normalised. */
  sentence: string;
  section: ClaimSection;
  /** The model field holding the sentence: "constraint", "description", "expr", "condition", "text", ... */
  field: string;
  /** Item index within its section; -1 for spec-level prose (return, long-desc, notes). */
  index: number;
  /** What the item is about: a param or constraint name, a signal, a side effect's target; "" for spec-level prose. */
  subject: string;
  /** "asserts": the spec's claim; "denies": a negated one; "reports": what another source says. */
  stance: "asserts" | "denies" | "reports";
  file: string;
  /** Line where the sentence starts. */
  line: number;
  /** Line of the errno symbol itself (differs when the sentence is wrapped). */
  errnoLine: number;
}

// Names start after a non-identifier character, so KAPI_ERROR or IOCB_E... never match.
const ERRNO_TOKEN = /(?<![A-Za-z0-9_])-?(E[A-Z0-9]{2,})(?![A-Za-z0-9_])/g;
/** Abbreviations whose period does not end a sentence. */
const ABBREVIATION = /(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|resp|no|Fig)|\b[A-Za-z])$/;

/** An errno name in the table (names are the same on every supported arch). */
function canonicalErrno(symbol: string): string | undefined {
  const n = errnoNumber(symbol, "x86_64");
  return n === undefined ? undefined : errnoName(n, "x86_64");
}

export interface Sentence {
  text: string;
  /** Offset of the sentence's first character in the text. */
  start: number;
}

/**
 * The sentences of a prose text: split after . ! ? followed by white space and
 * an upper-case letter, digit, quote or parenthesis, and at line breaks (list
 * items and paragraphs). Abbreviations such as "e.g." do not end a sentence.
 */
export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const t = raw.trim();
    if (t !== "") out.push({ text: t.replace(/\s+/g, " "), start: start + lead });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") {
      push(i);
      start = i + 1;
    } else if ((c === "." || c === "!" || c === "?") && /\s/.test(text[i + 1] ?? "") && /[A-Z0-9"'(\-]/.test(nextVisible(text, i + 1))) {
      if (c === "." && ABBREVIATION.test(text.slice(Math.max(0, i - 8), i))) continue;
      push(i + 1);
      start = i + 1;
    }
  }
  push(text.length);
  return out;
}

/** The first non-space character at or after `from` ("" at the end); a loop, so a long text stays linear. */
function nextVisible(text: string, from: number): string {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return text[i] ?? "";
}

/** The input line of `offset` in a text with line map `map` (the last start at or before it). */
export function lineAt(map: LineMap | undefined, offset: number, fallback: number): number {
  if (!map || map.length === 0) return fallback;
  // Binary search: the last pair whose offset is <= offset (the first pair when none is).
  let lo = 0;
  let hi = map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map[mid]![0] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return map[lo]![1];
}

interface ProseSource {
  text: string | undefined;
  map: LineMap | undefined;
  fallback: number;
  section: ClaimSection;
  field: string;
  index: number;
  subject: string;
}

function proseSources(spec: Spec): ProseSource[] {
  const out: ProseSource[] = [];
  const add = (section: ClaimSection, index: number, subject: string, item: { textLines?: Record<string, LineMap>; source: { line: number } }, fields: Record<string, string | undefined>) => {
    for (const [field, text] of Object.entries(fields)) {
      out.push({ text, map: item.textLines?.[field], fallback: item.source.line, section, field, index, subject });
    }
  };
  if (spec.description) out.push({ text: spec.description.text, map: spec.description.textLines, fallback: spec.description.source.line, section: "long-desc", field: "text", index: -1, subject: "" });
  for (const x of spec.extra) {
    if (x.key === "description") out.push({ text: x.value, map: undefined, fallback: x.source.line, section: "description", field: "text", index: -1, subject: "" });
  }
  for (const p of spec.params) add("param", p.index, p.name, p, { constraint: p.constraint });
  if (spec.return) add("return", -1, "", spec.return, { description: spec.return.description });
  for (const l of spec.locks) add("lock", l.index, l.name, l, { description: l.description });
  for (const g of spec.signals) add("signal", g.index, g.name, g, { condition: g.condition, description: g.description });
  for (const e of spec.sideEffects) add("side-effect", e.index, e.target ?? e.types.map((t) => t.value).join(" | "), e, { condition: e.condition, description: e.description });
  for (const t of spec.stateTransitions) add("state-trans", t.index, t.object, t, { condition: t.condition, description: t.description });
  for (const c of spec.capabilities) add("capability", c.index, c.name, c, { allows: c.allows, without: c.without, condition: c.condition });
  for (const c of spec.constraints) add("constraint", c.index, c.name, c, { description: c.description, expr: c.expr });
  if (spec.notes) out.push({ text: spec.notes.text, map: spec.notes.textLines, fallback: spec.notes.source.line, section: "notes", field: "text", index: -1, subject: "" });
  return out;
}

/** Every errno named in prose outside the error: blocks, in spec order; one claim per errno per sentence. */
export function errnoClaims(spec: Spec): ErrnoClaim[] {
  const claims: ErrnoClaim[] = [];
  for (const src of proseSources(spec)) {
    if (!src.text) continue;
    for (const s of sentences(src.text)) {
      const seen = new Set<string>();
      for (const m of s.text.matchAll(ERRNO_TOKEN)) {
        const written = m[1]!;
        const errno = canonicalErrno(written);
        if (errno === undefined || seen.has(errno)) continue;
        seen.add(errno);
        claims.push({
          errno,
          written,
          sentence: s.text,
          section: src.section,
          field: src.field,
          index: src.index,
          subject: src.subject,
          stance: stanceOf(s.text, m.index),
          file: spec.source.file,
          line: lineAt(src.map, s.start, src.fallback),
          errnoLine: lineAt(src.map, offsetInSource(src.text, s, m.index), src.fallback),
        });
      }
    }
  }
  return claims;
}

/** Offset in the source text of a position in the normalised sentence (whitespace runs were collapsed). */
function offsetInSource(text: string, s: Sentence, at: number): number {
  let i = s.start;
  let j = 0;
  while (j < at && i < text.length) {
    if (/\s/.test(text[i]!)) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      j++;
    } else {
      i++;
      j++;
    }
  }
  return i;
}

const NEGATED_BEFORE =
  /(?:\b(?:not|never|no longer|cannot|nor)|n't|\brather than|\binstead of)\s+(?:(?:be|been|get|ever)\s+)?(?:(?:return|fail|result|produce|give|yield|trigger|cause|report|raise|see|receive|set)\w*\s+)?(?:(?:with|in|to)\s+)?(?:an?\s+)?-?$/i;
const NEGATED_AFTER = /^\s+(?:is|are|will|would|should|can|may)\s+(?:not|never)\b|\b(?:is|are) not possible\b|\bcannot (?:occur|happen|be returned)\b/i;
const REPORTED = /\b(?:man[- ]?pages?|manual|documents|documented|historically|older kernels|earlier kernels|prior to|previously|in the past|POSIX|glibc|libaio|used to)\b/i;

/** The clause of `sentence` around `at`: between the nearest , ; : or "but" on either side. */
function clauseAround(sentence: string, at: number): string {
  const stops = /[,;:]|\bbut\b/g;
  let start = 0;
  let end = sentence.length;
  for (const m of sentence.matchAll(stops)) {
    if (m.index < at) start = m.index + m[0].length;
    else {
      end = m.index;
      break;
    }
  }
  return sentence.slice(start, end);
}

function stanceOf(sentence: string, at: number): ErrnoClaim["stance"] {
  const before = sentence.slice(0, at);
  const after = sentence.slice(at).replace(/^-?E[A-Z0-9]+/, "");
  if (NEGATED_BEFORE.test(before) || NEGATED_AFTER.test(after.split(";")[0]!)) return "denies";
  if (REPORTED.test(clauseAround(sentence, at))) return "reports";
  return "asserts";
}

// The condition, by the shape of the sentence around the errno.
const COND_WORD = "(?:if|when|whenever|where|for|on|upon|because|since|in case|once|unless)";
/** "EINVAL is returned if X", "EFAULT if X", "EAGAIN as a possible error when X". */
const AFTER_CONDITION = new RegExp(
  `^\\s*(?:(?:is|are|will be|may be|can be|gets|get)\\s+)?(?:\\w+ly\\s+)?(?:returned|reported|raised|given|set|generated)?\\s*(?:as\\s+an?\\s+(?:possible\\s+)?(?:error|result)\\s+)?(?:,\\s*)?${COND_WORD}\\b\\s*(.+)$`,
  "is",
);
/** "EINPROGRESS indicates X". */
const AFTER_MEANING = /^\s*(?:indicates|means|signals|signifies)\s+([^,;]+)/is;
/** "If X, EINVAL is returned", "When X, the call fails with": the if-clause runs to the last top-level comma. */
const INTRODUCED = /^(?:.*?[,:]\s+)?(?:if|when|whenever|where|on|upon|once)\s+(.+)$/is;
/** "A NULL pointer will result in EFAULT", "X causes the call to return -ENOMEM", "X is rejected with -EINVAL". */
const SUBJECT_VERB =
  /^(.*?)\s+(?:(?:will|would|may|must|should|can|shall|always)\s+)?(?:(?:result\w*\s+in|leads?\s+to|caus\w*|trigger\w*|gives?|yields?|produc\w*|return\w*|fails?\s+with|generat\w*|rais\w*|receives?|surfac\w*(?:\s+as)?|(?:is|are)\s+rejected\s+with)\s+)+(?:(?:the\s+)?(?:call|syscall|function|kernel)\s+)?(?:to\s+)?(?:(?:return|fail)\w*\s+)?(?:with\s+)?(?:an?\s+)?(?:(?:error|errno|status)\s+(?:of\s+)?)?-?$/is;
/** Subjects that name the call or refer back, not a condition. */
const NOT_A_CONDITION = /^(?:otherwise\b.*|.*\bor the (?:call|syscall)|(?:the\s+)?(?:call|syscall|kernel|function|handler|implementation)|it|this(?:\s+\w+)?|that|these|those|they|which|both\s+\w+|(?:all|any)\s+\w+)$/i;
/** An errno list: "ENOSPC or E2BIG", "EPERM, EACCES". */
const LIST_JOIN = /^\s*(?:,|or|and|\/)\s*(?:or\s+|and\s+)?$/;
const ERRNO_AT_END = /-?E[A-Z0-9]{2,}\s*(?:,|or|and|\/)\s*(?:or\s+|and\s+)?$/;

function tidyCondition(s: string): string | undefined {
  let t = s.replace(/\s+/g, " ").trim();
  // The condition ends with the clause; a further errno or "and returns" belongs to another claim.
  const cut = /;|\.\s(?=[A-Z])|["']?,\s*(?:but|so|which|while|whereas)\b|\s(?:and|but|or)\s+(?:returns?|fails?|results?)\b|\s\(?-?E[A-Z0-9]{2,}\b/.exec(t);
  if (cut) t = t.slice(0, cut.index);
  t = t.replace(/^(?:that|then|the case (?:that|where))\s+/i, "");
  t = t.replace(/^["'\s]+|["'\s.,:;]+$/g, "").replace(/\s+(?:and|or)$/i, "");
  // "X does not return E": the negation belongs to the verb, not to the condition.
  t = t.replace(/\s+(?:(?:does|do|did|will|would|can|may|should)\s+)?(?:not|never)$/i, "");
  if (/^\(/.test(t) && !t.includes(")")) t = t.slice(1);
  if (/\)$/.test(t) && !t.includes("(")) t = t.slice(0, -1);
  t = t.trim();
  return t === "" || NOT_A_CONDITION.test(t) ? undefined : t.toLowerCase();
}

/**
 * The words of the condition the sentence attaches the errno to, lower-case:
 * "A NULL pointer will result in EFAULT." -> "a null pointer";
 * "Returns EFAULT if this fails." -> "this fails";
 * "If not configured, ENOSYS is returned." -> "not configured".
 * An errno inside a list ("returns ENOSPC or E2BIG") shares the list's
 * condition. Undefined when the sentence attaches the errno to nothing it
 * names itself ("otherwise the call returns -EINVAL", "it returns EINVAL").
 */
export function claimCondition(claim: Pick<ErrnoClaim, "sentence" | "written">): string | undefined {
  const s = claim.sentence;
  const m = new RegExp(`(?<![A-Za-z0-9_])-?${claim.written}(?![A-Za-z0-9_])`).exec(s);
  if (!m) return undefined;
  // Within the ;-separated part of the sentence that holds the errno.
  const segStart = s.lastIndexOf(";", m.index) + 1;
  const semi = s.indexOf(";", m.index);
  const segment = s.slice(segStart, semi < 0 ? undefined : semi);
  let from = m.index - segStart;
  let to = from + m[0].length;
  // Widen to the whole errno list around it.
  for (let b = ERRNO_AT_END.exec(segment.slice(0, from)); b; b = ERRNO_AT_END.exec(segment.slice(0, from))) from = b.index;
  for (;;) {
    const next = /^(\s*(?:,|or|and|\/)\s*(?:or\s+|and\s+)?)-?(E[A-Z0-9]{2,})\b/.exec(segment.slice(to));
    if (!next || !LIST_JOIN.test(next[1]!)) break;
    to += next[0].length;
  }
  const before = segment.slice(0, from);
  const after = segment.slice(to);

  // "EPERM (for write)": a parenthesis right after the errno is its own condition.
  const paren = /^\s*\(([^)]*)\)/.exec(after);
  if (paren) {
    const inner = /^(?:if|when|for|on)\s+(.+)$/is.exec(paren[1]!.trim());
    return tidyCondition(inner ? inner[1]! : paren[1]!);
  }
  const a = AFTER_CONDITION.exec(after);
  if (a) return tidyCondition(a[1]!);
  const meaning = AFTER_MEANING.exec(after);
  if (meaning) return tidyCondition(meaning[1]!);
  const intro = INTRODUCED.exec(before);
  if (intro) {
    const parts = splitTopLevel(intro[1]!);
    // "If X, Y, the call returns E": all but the last part; "If X the handler returns E": strip the main clause.
    if (parts.length > 1) return tidyCondition(parts.slice(0, -1).join(", "));
    const bare = /^(.*?)\s+(?:the\s+(?:call|syscall|kernel|function|handler)|it)\s+(?:\w+\s+)?(?:returns?|fails?)\b/is.exec(intro[1]!);
    if (bare) return tidyCondition(bare[1]!);
  }
  const c = SUBJECT_VERB.exec(before);
  if (c && c[1]!.trim() !== "") {
    // The subject may follow an introduction: "Specifically, a NULL pointer ...": keep the last part,
    // unless the parts are a list ("X, Y, or that have been closed return EBADF").
    const parts = splitTopLevel(c[1]!);
    const last = parts[parts.length - 1]!;
    const subject = /^(?:or|and)\s/i.test(last) && parts.length > 1 ? parts.join(", ") : last;
    return tidyCondition(subject.replace(/^\s*(?:and|or|also|then)\s+/i, ""));
  }
  return undefined;
}
