// SPDX-License-Identifier: GPL-2.0-only
// What a syscall's man page claims: the value returned on success (RETURN VALUE)
// and the errno list (ERRORS), each with the source line it was read from, so a
// drift report can cite the page as precisely as it cites the spec.
import { buildDocument, findSection, flatten, itemText, sectionText } from "./document.js";
import type { ManDocument, ManHeader, ManSection } from "./document.js";
import { roffEvents } from "./groff.js";
import { loadManSource, locateManPage } from "./manfile.js";
import type { ManLookupOptions } from "./manfile.js";

export { ManPageNotFoundError } from "./manfile.js";
export type { ManLookupOptions } from "./manfile.js";

export interface ManSuccessClaim {
  /** "0" for a literal; ">= 0" for a count, a file descriptor or "nonnegative"; "> 0" for
   *  "positive"; absent when the page gives none of these (the text is kept either way). */
  value?: string;
  /** The sentence the claim was read from. */
  text: string;
  line: number;
}

export interface ManErrorClaim {
  /** Errno symbol as the page spells it, e.g. "EAGAIN". */
  errno: string;
  /** The condition the page gives for it. */
  text: string;
  /** Source line of the tag that names the errno. */
  line: number;
}

export interface ManClaims {
  /** The file the claims were read from (after .so redirections). */
  page: string;
  name: string;
  success?: ManSuccessClaim;
  /** One entry per errno per tag, in page order; an errno listed twice gives two entries. */
  errors: ManErrorClaim[];
  /** The RETURN VALUE section as text ("" when the page has none). */
  returnText: string;
  /** The .TH line (title, section, date, source such as "Linux man-pages 6.03"). */
  header?: Omit<ManHeader, "line">;
}

/** Errno symbols: E plus at least two capitals or digits (EAGAIN, E2BIG, ENOTSUP). */
const ERRNO_SYMBOL = /\bE[A-Z0-9]{2,}\b/g;

const RETURN_SECTIONS = ["RETURN VALUE", "RETURN VALUES"];
const ERROR_SECTIONS = ["ERRORS"];

/** A sentence of flattened text and the source line it starts on. */
interface Sentence {
  text: string;
  line: number;
}

// A period after these does not end a sentence.
const ABBREVIATIONS = /(?:^|\s)(?:e\.g|i\.e|etc|cf|vs|approx|No)\.$/;

function sentences(section: ManSection): Sentence[] {
  const paragraphs = section.blocks.flatMap((b) =>
    b.kind === "paragraph" ? [b.paragraph] : b.kind === "item" ? b.body : [],
  );
  const out: Sentence[] = [];
  for (const p of paragraphs) {
    const flat = flatten(p);
    let start = 0;
    for (const m of flat.text.matchAll(/[.!?]["”')]*\s+/g)) {
      const end = m.index + m[0].length;
      if (ABBREVIATIONS.test(flat.text.slice(start, m.index + 1))) continue;
      out.push({ text: flat.text.slice(start, end).trim(), line: flat.lineAt(start) });
      start = end;
    }
    if (start < flat.text.length) out.push({ text: flat.text.slice(start).trim(), line: flat.lineAt(start) });
  }
  return out;
}

const SUCCESS_SENTENCE = /\bsuccess(?:ful|fully)?\b|\bsucceed(?:s|ed)?\b/i;
const NOT_SUCCESS = /\bnot\s+(?:be\s+)?successful\b/i;
const RETURNS = /\breturn/i;
/** "X() returns N, or -1 if ...": a sentence giving both outcomes without saying "success". */
const BOTH_OUTCOMES = /\bor\s+-1\b|\b(?:on|upon)\s+(?:error|failure)\b/i;
const ERROR_FIRST = /^(?:on|upon)\s+(?:error|failure)\b/i;
/** Where a sentence turns to the failure case; a value after this is not the success value. */
const FAILURE_CLAUSE = /(?:^|[\s,;])(?:or\s+)?(?:on|upon)\s+(?:error|failure)\b|,?\s+or\s+-1\b|\bif an error\b|\botherwise\b/i;

/** Value patterns in a success clause; the earliest match wins. */
const VALUE_PATTERNS: { re: RegExp; value: (m: RegExpExecArray) => string }[] = [
  {
    re: /\b(?:returns?|returned|return value(?: of \S+)? is)\s+(?:the value\s+|a value of\s+|an?\s+)?(-?\d+|zero)(?![\w-])/i,
    value: (m) => literal(m[1]!),
  },
  { re: /(?:^|[\s(,])(-?\d+|zero)\s+(?:(?:is|will be|shall be)\s+)?returned\b/i, value: (m) => literal(m[1]!) },
  // Counts and file descriptors are nonnegative by definition; the page bounds them below, nothing more.
  { re: /\bnon-?negative\b|(?<!serial )\bnumber of\b|\bfile descriptor\b/i, value: () => ">= 0" },
  { re: /(?<!non-?)\bpositive\b|\bgreater than (?:zero|0)\b/i, value: () => "> 0" },
];

function literal(word: string): string {
  return word.toLowerCase() === "zero" ? "0" : word;
}

/** The comma- or semicolon-delimited clause (parentheses kept whole) with the first "return". */
function returnClause(text: string): string {
  const clauses: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if ((c === "," || c === ";") && depth === 0) {
      clauses.push(text.slice(start, i));
      start = i + 1;
    }
  }
  clauses.push(text.slice(start));
  return clauses.find((c) => RETURNS.test(c)) ?? text;
}

function successValue(sentence: string): string | undefined {
  const failure = FAILURE_CLAUSE.exec(sentence);
  // Only the clause that says what is returned: "returns the data, ..., the number of X"
  // must not turn "the number of" from a later clause into a bound on the data.
  const clause = returnClause(failure ? sentence.slice(0, failure.index) : sentence);
  let best: { index: number; value: string } | undefined;
  for (const p of VALUE_PATTERNS) {
    const m = p.re.exec(clause);
    if (m && (best === undefined || m.index < best.index)) best = { index: m.index, value: p.value(m) };
  }
  return best?.value;
}

/** The sentence that states the success return, best first: says "return", names the call. */
function successSentence(section: ManSection, name: string): Sentence | undefined {
  const all = sentences(section);
  let candidates = all.filter((s) => SUCCESS_SENTENCE.test(s.text) && !NOT_SUCCESS.test(s.text));
  if (candidates.length === 0) {
    candidates = all.filter((s) => RETURNS.test(s.text) && BOTH_OUTCOMES.test(s.text) && !ERROR_FIRST.test(s.text));
  }
  const score = (s: Sentence): number => (RETURNS.test(s.text) ? 2 : 0) + (s.text.includes(`${name}()`) ? 1 : 0);
  let best: Sentence | undefined;
  for (const s of candidates) if (best === undefined || score(s) > score(best)) best = s;
  return best;
}

function successClaim(section: ManSection, name: string): ManSuccessClaim | undefined {
  const chosen = successSentence(section, name);
  if (chosen === undefined) return undefined;
  const value = successValue(chosen.text);
  return value === undefined ? { text: chosen.text, line: chosen.line } : { value, text: chosen.text, line: chosen.line };
}

function errorClaims(section: ManSection | undefined): ManErrorClaim[] {
  if (section === undefined) return [];
  const out: ManErrorClaim[] = [];
  for (const block of section.blocks) {
    if (block.kind === "paragraph") {
      // A tag whose .TP was forgotten (mincore(2) in man-pages 6.03): a paragraph
      // that opens with an errno alone on its line.
      const [first, ...rest] = block.paragraph.lines;
      const errno = first?.text.trim();
      if (first && errno && /^E[A-Z0-9]{2,}$/.test(errno)) {
        out.push({ errno, text: flatten({ line: first.line, lines: rest }).text, line: first.line });
      }
      continue;
    }
    if (block.kind !== "item") continue;
    const text = itemText(block);
    for (const tag of block.tags) {
      const symbols = new Set(tag.text.match(ERRNO_SYMBOL) ?? []);
      for (const errno of symbols) out.push({ errno, text, line: tag.line });
    }
  }
  return out;
}

/** Claims of a parsed page. */
export function claimsOf(doc: ManDocument, page: string, name: string): ManClaims {
  const returnSection = findSection(doc, ...RETURN_SECTIONS);
  const claims: ManClaims = {
    page,
    name,
    errors: errorClaims(findSection(doc, ...ERROR_SECTIONS)),
    returnText: returnSection ? sectionText(returnSection) : "",
  };
  const success = returnSection ? successClaim(returnSection, name) : undefined;
  if (success) claims.success = success;
  if (doc.header) {
    const { line: _line, ...header } = doc.header;
    claims.header = header;
  }
  return claims;
}

/** Claims of man(7) source text; `page` is recorded as given, `name` picks the call on multi-call pages. */
export function parseManPage(source: string, page: string, name: string): ManClaims {
  return claimsOf(buildDocument(roffEvents(source)), page, name);
}

/**
 * Claims of the installed page for `syscall`, or of the page at `path` (gzip or
 * plain, `.so` followed). Throws ManPageNotFoundError when there is none.
 */
export async function readManPage(syscall: string, path?: string, options: ManLookupOptions = {}): Promise<ManClaims> {
  const file = path ?? (await locateManPage(syscall, options));
  const { page, source } = await loadManSource(file);
  return parseManPage(source, page, syscall);
}
