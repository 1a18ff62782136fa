// SPDX-License-Identifier: GPL-2.0-only
// Finds KAPI blocks in an input text: a C source file, a unified diff / patch /
// mbox, or a mailing-list archive page with a patch in it. For diffs only the
// post-image of each hunk (context and '+' lines) is scanned, so the comment a
// patch removes ('-' lines) can never leak into a spec. Every comment line keeps
// its line number in the input, and in the kernel file when a hunk header says.
import path from "node:path";
import type { Diagnostic } from "./model.js";
import { diagnostic } from "./diagnostic.js";
import { KAPI_MARKER_SECTIONS } from "./vocabulary.js";
import { splitTopLevel } from "./constraint-type.js";

export type InputFormat = "c" | "patch" | "archive";

/** One comment line with the ` * ` prefix removed; indentation after the prefix is kept. */
export interface CommentLine {
  line: number;
  text: string;
}

export interface SyscallDefine {
  name: string;
  arity: number;
  args: string[];
  line: number;
}

/** A kerneldoc comment that carries KAPI sections. */
export interface RawBlock {
  file: string;
  format: InputFormat;
  /** Input line of the `/**` line and of the line that closes the comment. */
  startLine: number;
  endLine: number;
  kernelFile?: string;
  kernelLine?: number;
  /** Comment lines between the opener and the closer (plus text on either, if any). */
  lines: CommentLine[];
  syscallDefine?: SyscallDefine;
}

export interface Extraction {
  format: InputFormat;
  blocks: RawBlock[];
  diagnostics: Diagnostic[];
}

/** A source line as the C scanner sees it: diff markers already removed. */
interface SourceLine {
  line: number;
  kernelLine?: number;
  text: string;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Input form. Text with unified-diff hunks is a patch, or an archive page when
 * the file is named like a saved page (.txt, .html, .htm); anything else is C.
 */
export function detectFormat(file: string, lines: readonly string[]): InputFormat {
  return lines.some((l) => HUNK.test(l)) ? formatOfDiff(file) : "c";
}

function formatOfDiff(file: string): InputFormat {
  const ext = path.extname(file).toLowerCase();
  return ext === ".txt" || ext === ".html" || ext === ".htm" ? "archive" : "patch";
}

export function extractBlocks(file: string, text: string): Extraction {
  // Most C files of a source tree hold no KAPI section line, and then nothing
  // to report: one regex pass spares splitting and scanning them. Diffs always
  // get the full scan, whose hunk checks apply with or without KAPI lines.
  if (!SECTION_ANYWHERE.test(text) && !HUNK_ANYWHERE.test(text)) return { format: "c", blocks: [], diagnostics: [] };
  const lines = splitLines(text);
  const format = detectFormat(file, lines);
  const out: Extraction = { format, blocks: [], diagnostics: [] };
  if (format === "c") {
    scanC(file, format, lines.map((t, i) => ({ line: i + 1, text: t })), undefined, out);
  } else {
    scanDiff(file, format, lines, out);
  }
  // Only when nothing else has explained the empty result.
  if (out.blocks.length === 0 && out.diagnostics.length === 0) reportUnreadKapi(file, lines, out);
  return out;
}

/**
 * Lines split at LF, each without its trailing CRs: CRLF, and the CR CR LF mail
 * gateways make of it, end a line like LF. (Not split(/\r*\n/): quadratic on long CR runs.)
 */
function splitLines(text: string): string[] {
  return text.split("\n").map((l) => {
    let end = l.length;
    while (end > 0 && l.charCodeAt(end - 1) === 13) end--;
    return end === l.length ? l : l.slice(0, end);
  });
}

/** A comment line holding a KAPI marker section at column 0, diff marker allowed: what a KAPI block is made of. */
const SECTION_LINE = new RegExp(`^[+ ]?[ \\t]*\\*[ \\t]?(?:${[...KAPI_MARKER_SECTIONS].join("|")}):(?:\\s|$)`);

/** SECTION_LINE on any line of a whole text (a CR before the line end counts as the whitespace after the colon). */
const SECTION_ANYWHERE = new RegExp(SECTION_LINE.source, "m");
const HUNK_ANYWHERE = new RegExp(HUNK.source, "m");

/**
 * An input that yields no block but has KAPI section lines after a `/**` lost
 * its spec to damage (an opener, a diff marker or a hunk header); without a
 * word here the user would get only "no KAPI specification found".
 */
function reportUnreadKapi(file: string, lines: readonly string[], out: Extraction): void {
  const opener = lines.findIndex((l) => l.includes("/**"));
  if (opener < 0) return;
  const at = lines.findIndex((l, i) => i > opener && SECTION_LINE.test(l));
  if (at < 0) return;
  out.diagnostics.push(
    diagnostic("warning", file, at + 1, "unread-kapi", "KAPI section line outside any '/**' comment the parser reads (damaged opener, diff marker or hunk header?); no spec from this input"),
  );
}

function scanDiff(file: string, format: InputFormat, lines: string[], out: Extraction): void {
  let kernelFile: string | undefined;
  let i = 0;
  /** Whether the line before was an added line outside any hunk (one warning per run of them). */
  let outside = false;
  while (i < lines.length) {
    const line = lines[i]!;
    const target = /^\+\+\+ (\S+)/.exec(line);
    if (target) {
      kernelFile = target[1] === "/dev/null" ? undefined : target[1]!.replace(/^b\//, "");
      outside = false;
      i++;
      continue;
    }
    const hunk = HUNK.exec(line);
    if (!hunk) {
      // An added line no hunk covers: the counts of the hunk before ended too early, so it is never read.
      if (line.startsWith("+") && !outside) {
        out.diagnostics.push(diagnostic("warning", file, i + 1, "outside-hunk", "'+' line outside any hunk (the hunk header's line counts end before it); not read"));
      }
      outside = line.startsWith("+");
      i++;
      continue;
    }
    outside = false;
    let oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
    let newLeft = hunk[3] === undefined ? 1 : Number(hunk[3]);
    let kernelLine = Number(hunk[2]);
    const post: SourceLine[] = [];
    let j = i + 1;
    for (; j < lines.length && (oldLeft > 0 || newLeft > 0); j++) {
      // Archive pages turn indentation into no-break spaces; mail may drop the
      // lone space of an empty context line.
      const l = format === "archive" ? lines[j]!.replace(/\u00a0/g, " ") : lines[j]!;
      const marker = l[0];
      if (l === "" || marker === " ") {
        post.push({ line: j + 1, kernelLine: kernelLine++, text: l.slice(1) });
        oldLeft--;
        newLeft--;
      } else if (marker === "+") {
        post.push({ line: j + 1, kernelLine: kernelLine++, text: l.slice(1) });
        newLeft--;
      } else if (marker === "-") {
        oldLeft--;
      } else if (marker !== "\\") {
        out.diagnostics.push(
          diagnostic("warning", file, j + 1, "truncated-hunk", `hunk ends early: ${oldLeft} old and ${newLeft} new lines missing`),
        );
        break;
      }
    }
    scanC(file, format, post, kernelFile, out);
    i = j;
  }
}

// Dot-all: a stray CR inside a line is text, not the end of the match.
const OPENER = /^\s*\/\*\*(?![*/])(.*)$/s;
const STAR = /^\s*\*(?!\/)(.*)$/s;

function scanC(file: string, format: InputFormat, src: SourceLine[], kernelFile: string | undefined, out: Extraction): void {
  for (let i = 0; i < src.length; i++) {
    const open = OPENER.exec(src[i]!.text);
    if (!open) continue;
    const first = src[i]!;
    if (open[1]!.includes("*/")) continue; // a one-line comment is never a KAPI block
    const lines: CommentLine[] = [];
    const noStar: number[] = [];
    const head = open[1]!.trim();
    if (head !== "") lines.push({ line: first.line, text: head });
    let end = -1;
    for (let j = i + 1; j < src.length; j++) {
      const t = src[j]!.text;
      const close = t.indexOf("*/");
      const body = close >= 0 ? t.slice(0, close) : t;
      if (!isBlankBody(body) || close < 0) {
        const star = STAR.exec(body);
        let text: string;
        // The separator after '*' is one space (or one tab, as older kernel comments have it).
        if (star) text = /^[ \t]/.test(star[1]!) ? star[1]!.slice(1) : star[1]!;
        else {
          text = body.trimStart();
          if (text !== "") noStar.push(src[j]!.line);
        }
        lines.push({ line: src[j]!.line, text: text.trimEnd() });
      }
      if (close >= 0) {
        end = j;
        break;
      }
    }
    if (!isKapi(lines)) {
      if (end >= 0) i = end;
      continue;
    }
    if (end < 0) {
      out.diagnostics.push(diagnostic("error", file, first.line, "unterminated-comment", "KAPI comment is not closed before the input ends"));
      return;
    }
    for (const line of noStar) {
      out.diagnostics.push(diagnostic("warning", file, line, "comment-prefix", "comment line does not start with ' * '"));
    }
    const block: RawBlock = {
      file,
      format,
      startLine: first.line,
      endLine: src[end]!.line,
      lines,
    };
    if (kernelFile !== undefined) block.kernelFile = kernelFile;
    if (first.kernelLine !== undefined) block.kernelLine = first.kernelLine;
    const define = syscallDefineAfter(src, end + 1);
    if (define) block.syscallDefine = define;
    out.blocks.push(block);
    i = end;
  }
}

/** Only whitespace and at most one '*' (a blank comment line). Not a regex: /^\s*\*?\s*$/ is quadratic on long blank lines. */
function isBlankBody(body: string): boolean {
  const t = body.trim();
  return t === "" || t === "*";
}

/** A comment is a KAPI block when some column-0 line is a KAPI section key (prose keys alone are not enough). */
function isKapi(lines: readonly CommentLine[]): boolean {
  return lines.some((l) => {
    const m = /^([a-z][a-z-]*):(?:\s|$)/.exec(l.text);
    return m !== null && KAPI_MARKER_SECTIONS.has(m[1]!);
  });
}

/** `SYSCALL_DEFINEn(name, type, arg, ...)` on the first non-blank line after the comment. */
function syscallDefineAfter(src: SourceLine[], from: number): SyscallDefine | undefined {
  let i = from;
  while (i < src.length && src[i]!.text.trim() === "") i++;
  const start = src[i];
  if (!start) return undefined;
  const m = /^\s*SYSCALL_DEFINE(\d+)\s*\(/.exec(start.text);
  if (!m) return undefined;
  // Gather the macro's text up to the closing parenthesis, or as far as the input goes.
  let text = start.text.slice(m[0].length);
  let depth = 1;
  let inner = "";
  for (let k = i; ; ) {
    for (const c of text) {
      if (c === "(") depth++;
      else if (c === ")" && --depth === 0) break;
      inner += c;
    }
    if (depth === 0 || ++k >= src.length || k > i + 20) break;
    text = src[k]!.text;
    inner += " ";
  }
  const parts = splitTopLevel(inner.replace(/\s+/g, " ")).filter((p) => p !== "");
  const [name, ...rest] = parts;
  const args: string[] = [];
  for (let k = 1; k < rest.length; k += 2) {
    // The last word of "type name"; split, not /(\w+)\s*$/, which is quadratic on long words.
    const arg = rest[k]!.trimEnd().split(/\W/).at(-1);
    if (arg) args.push(arg);
  }
  return { name: name ?? "", arity: Number(m[1]), args, line: start.line };
}
