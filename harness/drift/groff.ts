// SPDX-License-Identifier: GPL-2.0-only
// The roff layer of a man(7) page: comments, escapes, macro arguments and the man
// macros that carry text or structure, turned into a flat stream of events.
// Typesetting (fonts, indents, spacing) is dropped: drift compares words, and a
// claim read from a page must not depend on how groff would lay it out.

/** One thing the page says, in reading order; `line` is the 1-based source line. */
export type RoffEvent =
  | { kind: "title"; args: string[]; line: number } // .TH
  | { kind: "heading"; level: 1 | 2; text: string; line: number } // .SH / .SS
  | { kind: "paragraph"; line: number } // .PP .P .LP .HP
  | { kind: "tag"; text: string; more: boolean; line: number } // the line after .TP (more: after .TQ)
  | { kind: "indented"; tag: string; line: number } // .IP [tag]
  | { kind: "indent"; delta: 1 | -1; line: number } // .RS / .RE
  | { kind: "break"; line: number } // .br .sp, blank line
  | { kind: "fill"; on: boolean; line: number } // .fi .EE / .nf .EX
  | { kind: "text"; text: string; line: number };

/** Special characters (\(xx, \[xx], \C'xx') kept as text; the others render as nothing. */
const SPECIAL_CHARS: Record<string, string> = {
  em: "\u2014", en: "\u2013", hy: "-", mi: "-", "-": "-", lq: "\u201c", rq: "\u201d",
  oq: "\u2018", cq: "\u2019", dq: '"', aq: "'", bu: "\u2022", co: "\u00a9", rg: "\u00ae",
  tm: "\u2122", mu: "\u00d7", di: "\u00f7", "+-": "\u00b1", ti: "~", ha: "^", ga: "`",
  aa: "\u00b4", "<=": "\u2264", ">=": "\u2265", "!=": "\u2260", "->": "\u2192",
  "<-": "\u2190", rs: "\\", sl: "/", ba: "|", or: "|", bv: "|", de: "\u00b0", "12": "\u00bd",
  Fo: "\u00ab", Fc: "\u00bb", fo: "\u2039", fc: "\u203a", ss: "\u00df", sc: "\u00a7",
  ps: "\u00b6", dg: "\u2020", "**": "*", pl: "+", eq: "=", lh: "\u261c", rh: "\u261e",
  "'e": "\u00e9", "`e": "\u00e8", ":u": "\u00fc", ":o": "\u00f6", ":a": "\u00e4",
  "~n": "\u00f1", ",c": "\u00e7", "if": "\u221e", "==": "\u2261", "~=": "\u2245",
  "..": "\u2026", "lB": "[", "rB": "]", "lC": "{", "rC": "}", "la": "\u27e8", "ra": "\u27e9",
};

/** Strings (\*x, \*(xx, \*[name]) the man package predefines. */
const PREDEFINED_STRINGS: Record<string, string> = {
  lq: "\u201c", rq: "\u201d", R: "\u00ae", Tm: "\u2122", S: "", HF: "",
};

/** Escapes whose argument is a name: \f B, \*(lq, \n[reg], \[em] and the like. */
const NAME_ESCAPES = new Set(["f", "*", "n", "F", "g", "k", "m", "M", "Y", "V", "$", "O"]);
/** Escapes whose argument is delimited ('...'); they draw, move or measure. */
const DELIMITED_ESCAPES = new Set(["h", "v", "w", "o", "b", "l", "L", "D", "X", "Z", "A", "B", "N", "R", "x", "S", "H"]);
/** Escapes that print nothing (spacing hints, hyphenation, transparency, conditionals). */
const SILENT_ESCAPES = new Set(["&", "%", ":", "|", "^", "/", ",", ")", "d", "u", "r", "p", "a", "{", "}", "z", "j", "?"]);

/** Reads the name argument of \f, \*, \( ... at `i`: one char, (xx or [name]. */
function readName(raw: string, i: number): { name: string; end: number } {
  const c = raw[i];
  if (c === undefined) return { name: "", end: i };
  if (c === "(") return { name: raw.slice(i + 1, i + 3), end: Math.min(raw.length, i + 3) };
  if (c === "[") {
    const close = raw.indexOf("]", i + 1);
    const end = close < 0 ? raw.length : close;
    return { name: raw.slice(i + 1, end), end: Math.min(raw.length, end + 1) };
  }
  return { name: c, end: i + 1 };
}

/** Reads a delimited argument ('...' or any other delimiter char) at `i`. */
function readDelimited(raw: string, i: number): { arg: string; end: number } {
  const delim = raw[i];
  if (delim === undefined) return { arg: "", end: i };
  const close = raw.indexOf(delim, i + 1);
  const end = close < 0 ? raw.length : close;
  return { arg: raw.slice(i + 1, end), end: Math.min(raw.length, end + 1) };
}

/** Skips the size argument of \s: \s0, \s-1, \s+2, \s12, \s(12, \s[12], \s'12'. */
function skipSize(raw: string, i: number): number {
  const signed = raw[i] === "+" || raw[i] === "-";
  const j = signed ? i + 1 : i;
  const c = raw[j];
  if (c === "(") return Math.min(raw.length, j + 3);
  if (c === "[") return readName(raw, j).end;
  if (c === "'") return readDelimited(raw, j).end;
  if (c === undefined || !/[0-9]/.test(c)) return j;
  // Unsigned sizes starting 1-3 take a second digit (\s12); everything else takes one.
  const next = raw[j + 1];
  return !signed && /[1-3]/.test(c) && next !== undefined && /[0-9]/.test(next) ? j + 2 : j + 1;
}

function specialChar(name: string): string {
  const known = SPECIAL_CHARS[name];
  if (known !== undefined) return known;
  // \[u00E9] and \[u0065_0301]: Unicode code points (composites keep the base).
  const unicode = /^u([0-9A-Fa-f]{4,6})/.exec(name);
  if (unicode?.[1]) return String.fromCodePoint(parseInt(unicode[1], 16));
  const numbered = /^char([0-9]+)$/.exec(name);
  if (numbered?.[1]) return String.fromCodePoint(parseInt(numbered[1], 10));
  return "";
}

/** Text of a roff line after escape processing; `continued` when it ended in \c. */
export interface Decoded {
  text: string;
  continued: boolean;
}

/** Interprets the escapes of one line of text (comments already removed or not). */
export function decodeEscapes(raw: string): Decoded {
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const e = raw[i + 1];
    i += 2;
    if (e === undefined) break;
    switch (e) {
      case '"':
      case "#":
        return { text: out, continued: false };
      case "c":
        // The next input line continues this output line; the rest of this one is dropped.
        return { text: out, continued: true };
      case "(":
      case "[": {
        const r = readName(raw, i - 1);
        out += specialChar(r.name);
        i = r.end;
        break;
      }
      case "C": {
        const r = readDelimited(raw, i);
        out += specialChar(r.arg);
        i = r.end;
        break;
      }
      case "*": {
        const r = readName(raw, i);
        out += PREDEFINED_STRINGS[r.name] ?? "";
        i = r.end;
        break;
      }
      case "s":
        i = skipSize(raw, i);
        break;
      case "e":
      case "E":
      case "\\":
        out += "\\";
        break;
      case "-":
        out += "-";
        break;
      case " ":
      case "~":
      case "0":
      case "t":
        out += " ";
        break;
      case "'":
        out += "\u00b4";
        break;
      case "`":
        out += "`";
        break;
      case "!":
        // Transparent line: meant for the output device, not the reader.
        return { text: out, continued: false };
      default:
        if (NAME_ESCAPES.has(e)) {
          // \n+x and \n-x step a register before reading it.
          const start = e === "n" && (raw[i] === "+" || raw[i] === "-") ? i + 1 : i;
          i = readName(raw, start).end;
        } else if (DELIMITED_ESCAPES.has(e)) {
          i = readDelimited(raw, i).end;
        } else if (!SILENT_ESCAPES.has(e)) {
          // groff prints an unknown escape's character (\. is a dot, \_ an underscore).
          out += e;
        }
    }
  }
  return { text: out, continued: false };
}

/** Removes a \" or \# comment; \\ is kept as a pair so \\" is not a comment. */
export function stripComment(raw: string): string {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== "\\") continue;
    const e = raw[i + 1];
    if (e === '"' || e === "#") return raw.slice(0, i);
    i++;
  }
  return raw;
}

/** Splits macro arguments: blanks separate, "quoted args" keep blanks, "" is a quote. */
export function splitArgs(raw: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < raw.length) {
    while (raw[i] === " " || raw[i] === "\t") i++;
    if (i >= raw.length) break;
    let arg = "";
    if (raw[i] === '"') {
      i++;
      while (i < raw.length) {
        const c = raw[i]!;
        if (c === '"') {
          if (raw[i + 1] === '"') {
            arg += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\\") {
          arg += raw.slice(i, i + 2);
          i += 2;
          continue;
        }
        arg += c;
        i++;
      }
    } else {
      while (i < raw.length && raw[i] !== " " && raw[i] !== "\t") {
        // An escape is one unit: "\ " does not end the argument.
        const step = raw[i] === "\\" ? 2 : 1;
        arg += raw.slice(i, i + step);
        i += step;
      }
    }
    args.push(arg);
  }
  return args;
}

/** Physical lines joined where a line ends in an escaped newline, with comments removed. */
function logicalLines(source: string): { text: string; line: number }[] {
  const physical = source.split(/\r?\n/);
  const lines: { text: string; line: number }[] = [];
  for (let n = 0; n < physical.length; n++) {
    const first = n + 1;
    let text = stripComment(physical[n]!);
    while (/(^|[^\\])(\\\\)*\\$/.test(text) && n + 1 < physical.length) {
      n++;
      text = text.slice(0, -1) + stripComment(physical[n]!);
    }
    lines.push({ text, line: first });
  }
  // A trailing newline is not an extra blank line.
  if (lines.length > 0 && lines[lines.length - 1]!.text === "" && source.endsWith("\n")) lines.pop();
  return lines;
}

/** Font macros whose arguments are joined with blanks (.B a b -> "a b"). */
const SAME_FONT = new Set(["B", "I", "SM", "SB"]);
/** Alternating-font macros: arguments joined with nothing (.BR read (2) -> "read(2)"). */
const ALTERNATING = new Set(["BR", "BI", "IB", "IR", "RB", "RI"]);
/** Macro definitions and ignored blocks: their bodies are not page text. */
const DEFINITIONS = new Set(["de", "de1", "dei", "am", "am1", "ami", "ig"]);

/** Turns man(7) source into events. Unknown requests are ignored, never an error. */
export function roffEvents(source: string): RoffEvent[] {
  const events: RoffEvent[] = [];
  let fill = true;
  let pendingHeading: 1 | 2 | null = null;
  let pendingTag: { more: boolean } | null = null;
  let continuation: { text: string; line: number } | null = null;
  let skipUntil: string | null = null;
  // tbl: "options" and "format" lines come first; after the format's final dot, data rows.
  let table: "off" | "format" | "data" = "off";

  /** Hands a finished output line to whatever is waiting for one (heading, tag) or the page. */
  const deliver = (text: string, line: number): void => {
    if (pendingHeading !== null) {
      events.push({ kind: "heading", level: pendingHeading, text: text.replace(/\s+/g, " ").trim(), line });
      pendingHeading = null;
    } else if (pendingTag !== null) {
      events.push({ kind: "tag", text: text.replace(/\s+/g, " ").trim(), more: pendingTag.more, line });
      pendingTag = null;
    } else {
      events.push({ kind: "text", text, line });
    }
  };
  const emitText = (raw: string, line: number): void => {
    const d = decodeEscapes(raw);
    let text = d.text;
    if (continuation) {
      text = continuation.text + text;
      line = continuation.line;
      continuation = null;
    }
    if (d.continued) continuation = { text, line };
    else deliver(text, line);
  };
  const flush = (): void => {
    if (continuation) {
      const { text, line } = continuation;
      continuation = null;
      deliver(text, line);
    }
  };
  /** A structural event ends a pending \c line and abandons a heading or tag with no text. */
  const structure = (event: RoffEvent): void => {
    flush();
    pendingHeading = null;
    pendingTag = null;
    events.push(event);
  };
  const decodeArgs = (args: string[], joiner: string): string =>
    decodeEscapes(args.join(joiner)).text.replace(/\s+/g, " ").trim();

  for (const { text: raw, line } of logicalLines(source)) {
    const control = raw.startsWith(".") || raw.startsWith("'");
    if (skipUntil !== null) {
      if (control && raw.slice(1).trim().split(/\s+/)[0] === skipUntil) skipUntil = null;
      continue;
    }
    if (!control) {
      if (table === "format") {
        if (/\.\s*$/.test(raw)) table = "data";
        continue;
      }
      if (table === "data") {
        if (/^\s*[_=]\s*$/.test(raw)) continue; // horizontal rule
        const row = raw.replace(/T[{}]/g, "").replace(/\t+/g, "  ");
        if (row.trim() !== "") emitText(row, line);
        continue;
      }
      if (raw.trim() === "") {
        structure({ kind: "break", line });
        continue;
      }
      emitText(raw, line);
      continue;
    }

    const body = raw.slice(1).replace(/^[ \t]+/, "");
    const nameMatch = /^\S+/.exec(body);
    if (!nameMatch) continue; // "." alone, or a comment line reduced to "."
    const name = nameMatch[0];
    const args = splitArgs(body.slice(name.length));

    if (DEFINITIONS.has(name)) {
      // .de NAME [END] ends at ".END" (default ".."); .ig [END] likewise.
      skipUntil = (name === "ig" ? args[0] : args[1]) ?? ".";
      continue;
    }
    if (SAME_FONT.has(name)) {
      // Without arguments the font applies to the next line, which arrives as text.
      if (args.length > 0) emitText(args.join(" "), line);
      continue;
    }
    if (ALTERNATING.has(name)) {
      if (args.length > 0) emitText(args.join(""), line);
      continue;
    }
    switch (name) {
      case "TH":
        structure({ kind: "title", args: args.map((a) => decodeEscapes(a).text), line });
        break;
      case "SH":
      case "SS": {
        const level = name === "SH" ? 1 : 2;
        if (args.length > 0) structure({ kind: "heading", level, text: decodeArgs(args, " "), line });
        else {
          flush();
          pendingTag = null;
          pendingHeading = level;
        }
        break;
      }
      case "TP":
      case "TQ":
        flush();
        pendingHeading = null;
        pendingTag = { more: name === "TQ" };
        break;
      case "IP":
        structure({ kind: "indented", tag: decodeArgs(args.slice(0, 1), ""), line });
        break;
      case "PP":
      case "P":
      case "LP":
      case "HP":
        structure({ kind: "paragraph", line });
        break;
      case "RS":
        structure({ kind: "indent", delta: 1, line });
        break;
      case "RE":
        structure({ kind: "indent", delta: -1, line });
        break;
      case "br":
      case "sp":
        flush();
        events.push({ kind: "break", line });
        break;
      case "nf":
      case "EX":
        flush();
        fill = false;
        events.push({ kind: "fill", on: fill, line });
        break;
      case "fi":
      case "EE":
        flush();
        fill = true;
        events.push({ kind: "fill", on: fill, line });
        break;
      case "TS":
        flush();
        table = "format";
        events.push({ kind: "fill", on: false, line });
        break;
      case "TE":
        flush();
        table = "off";
        events.push({ kind: "fill", on: fill, line });
        break;
      case "SY":
      case "MT":
      case "UR":
        // .SY names a command; .UR/.MT open a link whose text follows as lines.
        if (name === "SY" && args.length > 0) emitText(args.join(" "), line);
        break;
      case "UE":
      case "ME":
        if (args.length > 0) emitText(args.join(""), line);
        break;
      case "OP":
        if (args.length > 0) emitText(`[${args.join(" ")}]`, line);
        break;
      case "MR":
        // groff 1.23's man page reference: .MR read 2 , -> "read(2),".
        if (args.length > 0) emitText(`${args[0]}(${args[1] ?? ""})${args.slice(2).join("")}`, line);
        break;
      default:
        // Layout requests (.in .ti .ft .PD .ad .nh ...) and anything unknown: no text.
        break;
    }
  }
  flush();
  return events;
}
