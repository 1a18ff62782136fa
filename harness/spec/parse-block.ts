// SPDX-License-Identifier: GPL-2.0-only
// One KAPI block -> one canonical Spec. The grammar (shared/kapi-format.md):
// a section is `key: value` at column 0 after the comment prefix; a sub-field
// is `key: value` indented (two spaces) under an item section; anything
// indented deeper continues the line above. Prose sections (long-desc, notes,
// examples) have no sub-fields: they run until the next column-0 line that is
// a known section key (or any key after a blank line), so prose lines that
// merely look like `key:` stay prose. Every non-blank line ends up in exactly
// one field, in `extra`, or in the unattributed list the caller reports.
import type {
  CapabilitySpec,
  ConstraintSpec,
  Diagnostic,
  EnumToken,
  ErrorSpec,
  ExtraField,
  KerneldocParam,
  LineMap,
  LockSpec,
  Param,
  Prose,
  ReturnSpec,
  SideEffectSpec,
  SignalSpec,
  SourceRef,
  Spec,
  StateTransitionSpec,
  Success,
  TextLines,
} from "./model.js";
import type { CommentLine, RawBlock } from "./extract.js";
import { diagnostic } from "./diagnostic.js";
import { isFunctionForm, parseConstraintType, splitTopLevel } from "./constraint-type.js";
import { splitConditions } from "./conditions.js";
import { renderProse, renderProseWithLines, type ProseLine } from "./prose.js";
import {
  FIELD_KEYS,
  ITEM_SECTIONS,
  PROSE_SECTIONS,
  REPEATABLE_FIELDS,
  SINGLE_SECTIONS,
  VALUE_SECTIONS,
  isSectionKey,
  normalise,
  normaliseList,
  tokenDialect,
  type Vocabulary,
} from "./vocabulary.js";

export interface Unattributed {
  file: string;
  line: number;
  text: string;
}

export interface BlockResult {
  spec: Spec;
  diagnostics: Diagnostic[];
  unattributed: Unattributed[];
}

interface Line {
  line: number;
  indent: number;
  /** Trimmed text; "" for a blank comment line. */
  text: string;
}

interface Field {
  key: string;
  line: number;
  parts: string[];
  /** The input line of each entry of `parts`. */
  partLines: number[];
  /** The key line and its continuations, for the attribution check. */
  lines: number[];
}

interface Section {
  key: string;
  line: number;
  kind: "prose" | "value" | "item" | "unknown";
  header: string[];
  /** Every line of the section outside its fields: the key line, header continuations, prose. */
  lines: number[];
  fields: Field[];
  /** Column of this section's sub-fields, fixed by the first one. */
  subIndent?: number;
  prose: (ProseLine | null)[];
}

// Dot-all throughout: with a stray CR in the line, `(.*)$` would backtrack quadratically.
const KEY = /^([A-Za-z][\w-]*):(?:\s+(.*))?$/s;
/** How deep the first sub-field of a section may be indented (two spaces, some slack). */
const MAX_SUB_INDENT = 3;

function indentOf(text: string): number {
  let col = 0;
  for (const c of text) {
    if (c === " ") col++;
    else if (c === "\t") col = col - (col % 8) + 8;
    else break;
  }
  return col;
}

function toLines(lines: readonly CommentLine[]): Line[] {
  return lines.map((l) => ({ line: l.line, indent: indentOf(l.text), text: l.text.trim() }));
}

/** Collects diagnostics, dialect evidence and the lines stored so far while one block is parsed. */
class Context {
  readonly diagnostics: Diagnostic[] = [];
  /** Lines whose text has been stored in the spec; the rest are reported as unattributed. */
  readonly attributed = new Set<number>();
  v5 = 0;
  v4 = 0;
  constructor(readonly file: string) {}

  mark(lines: Iterable<number>): void {
    for (const l of lines) this.attributed.add(l);
  }

  src(line: number): SourceRef {
    return { file: this.file, line };
  }
  warn(line: number, code: string, message: string): void {
    this.diagnostics.push(diagnostic("warning", this.file, line, code, message));
  }
  error(line: number, code: string, message: string): void {
    this.diagnostics.push(diagnostic("error", this.file, line, code, message));
  }
  token(vocabulary: Vocabulary, raw: string, line: number): EnumToken {
    return this.checked(vocabulary, [normalise(vocabulary, raw)], line)[0]!;
  }
  tokens(vocabulary: Vocabulary, raw: string, line: number): EnumToken[] {
    return this.checked(vocabulary, normaliseList(vocabulary, raw), line);
  }
  private checked(vocabulary: Vocabulary, tokens: EnumToken[], line: number): EnumToken[] {
    for (const t of tokens) {
      const d = tokenDialect(t.raw);
      if (d === "v5") this.v5++;
      else if (d === "v4") this.v4++;
      if (!t.known) this.warn(line, "unknown-token", `unknown ${vocabulary} token '${t.raw}' (kept as ${t.value})`);
    }
    return tokens;
  }
}

export function parseBlock(block: RawBlock): BlockResult {
  const ctx = new Context(block.file);
  const lines = toLines(block.lines);
  const sections: Section[] = [];
  const kerneldocParams: KerneldocParam[] = [];
  const description: (ProseLine | null)[] = [];
  const descriptionLines: number[] = [];
  let descriptionLine: number | undefined;
  let name: string | undefined;
  let summary = "";

  let cur: Section | undefined;
  let lastBlank = false;
  /** In the preamble: what the previous non-blank line was, for continuations. */
  let prev: "none" | "header" | "param" | "description" = "none";
  let sawHeader = false;

  for (const l of lines) {
    if (l.text === "") {
      lastBlank = true;
      prev = "none";
      if (cur && (cur.kind === "prose" || cur.kind === "unknown")) cur.prose.push(null);
      else if (!cur && description.length > 0) description.push(null);
      continue;
    }
    const key = KEY.exec(l.text);
    const startsSection =
      l.indent === 0 &&
      key !== null &&
      (isSectionKey(key[1]!) || !cur || lastBlank || (cur.kind !== "prose" && cur.kind !== "unknown"));
    lastBlank = false;

    if (startsSection) {
      const k = key![1]!;
      const kind = PROSE_SECTIONS.has(k) ? "prose" : VALUE_SECTIONS.has(k) ? "value" : ITEM_SECTIONS.has(k) ? "item" : "unknown";
      cur = { key: k, line: l.line, kind, header: [], lines: [l.line], fields: [], prose: [] };
      sections.push(cur);
      const value = (key![2] ?? "").trim();
      if (kind === "prose" || kind === "unknown") {
        if (value !== "") cur.prose.push({ indent: 2, text: value, line: l.line });
      } else if (value !== "") cur.header.push(value);
      if (kind === "unknown") {
        // A capitalised key is kerneldoc's own (Return:, Context:); a lower-case one is likely a mistyped KAPI key.
        const owner = Object.keys(FIELD_KEYS).find((section) => FIELD_KEYS[section]!.has(k));
        const hint = owner ? ` ('${k}:' is a sub-field of '${owner}:' and must be indented)` : "";
        if (/^[A-Z]/.test(k)) ctx.warn(l.line, "unknown-section", `'${k}:' is not a KAPI section; kept in extra`);
        else ctx.error(l.line, "unknown-section", `unknown section '${k}:'${hint}; kept in extra`);
      }
      continue;
    }

    if (!cur) {
      // The kerneldoc preamble: `sys_NAME - summary`, `@arg: description`, description paragraphs.
      const header = /^(\w+)(?:\(\))?\s+-\s*(.*)$/s.exec(l.text);
      const param = /^@([\w.]+)\s*:\s*(.*)$/s.exec(l.text);
      if (!sawHeader && l.indent === 0 && header && description.length === 0 && kerneldocParams.length === 0) {
        sawHeader = true;
        name = header[1]!.replace(/^sys_/, "");
        summary = header[2]!.trim();
        prev = "header";
      } else if (param) {
        kerneldocParams.push({ name: param[1]!, description: param[2]!.trim(), source: ctx.src(l.line) });
        prev = "param";
      } else if (prev === "param") {
        const p = kerneldocParams[kerneldocParams.length - 1]!;
        p.description = join(p.description, l.text);
      } else if (prev === "header" && l.indent > 0) {
        summary = join(summary, l.text);
      } else {
        descriptionLine ??= l.line;
        description.push({ indent: l.indent, text: l.text });
        descriptionLines.push(l.line);
        prev = "description";
        continue;
      }
      ctx.mark([l.line]);
      continue;
    }

    if (cur.kind === "prose" || cur.kind === "unknown") {
      cur.prose.push({ indent: l.indent, text: l.text, line: l.line });
      cur.lines.push(l.line);
      continue;
    }
    if (cur.kind === "value") {
      if (l.indent === 0) ctx.warn(l.line, "continuation-indent", `continuation of '${cur.key}:' is not indented`);
      cur.header.push(l.text);
      cur.lines.push(l.line);
      continue;
    }

    // An item section: a sub-field, or a continuation of the field (or header) above.
    const field = cur.fields[cur.fields.length - 1];
    if (key && l.indent > 0 && l.indent <= (cur.subIndent ?? MAX_SUB_INDENT)) {
      cur.subIndent ??= l.indent;
      const value = (key[2] ?? "").trim();
      cur.fields.push({ key: key[1]!, line: l.line, parts: value === "" ? [] : [value], partLines: value === "" ? [] : [l.line], lines: [l.line] });
      continue;
    }
    if (l.indent <= (cur.subIndent ?? 0)) {
      ctx.warn(l.line, "continuation-indent", "continuation line is not indented deeper than the key it continues");
    }
    if (field) {
      field.parts.push(l.text);
      field.partLines.push(l.line);
      field.lines.push(l.line);
    } else {
      cur.header.push(l.text);
      cur.lines.push(l.line);
    }
  }

  const spec: Spec = {
    name: name ?? block.syscallDefine?.name ?? "",
    summary,
    contexts: [],
    params: [],
    errors: [],
    locks: [],
    signals: [],
    sideEffects: [],
    stateTransitions: [],
    capabilities: [],
    constraints: [],
    kerneldocParams,
    extra: [],
    source: {
      file: block.file,
      line: block.startLine,
      endLine: block.endLine,
      format: block.format,
      dialect: "v5",
    },
  };
  if (block.kernelFile !== undefined) spec.source.kernelFile = block.kernelFile;
  if (block.kernelLine !== undefined) spec.source.kernelLine = block.kernelLine;
  if (block.syscallDefine) spec.source.syscallDefine = { ...block.syscallDefine };
  if (!sawHeader) ctx.error(block.startLine, "missing-header", "KAPI comment does not start with 'sys_NAME - summary'");
  if (description.length > 0) {
    spec.extra.push({ key: "description", value: renderProse(description, "prose"), source: ctx.src(descriptionLine!) });
    ctx.mark(descriptionLines);
  }

  const seen = new Set<string>();
  for (const s of sections) {
    if (SINGLE_SECTIONS.has(s.key) && seen.has(s.key)) {
      ctx.error(s.line, "duplicate-section", `'${s.key}:' appears more than once; the repeat is kept in extra`);
      spec.extra.push({ key: s.key, value: sectionText(s), source: ctx.src(s.line) });
      ctx.mark([...s.lines, ...s.fields.flatMap((f) => f.lines)]);
      continue;
    }
    seen.add(s.key);
    addSection(spec, s, ctx);
    ctx.mark(s.lines);
  }
  if (seen.has("context-flags") && seen.has("contexts")) {
    ctx.warn(block.startLine, "mixed-dialect", "both 'context-flags:' (v5) and 'contexts:' (v4) are present");
  }
  spec.source.dialect = ctx.v4 > ctx.v5 ? "v4" : "v5";
  for (const p of spec.params) {
    const header = kerneldocParams.find((k) => k.name === p.name);
    if (header) p.headerDescription = header.description;
  }
  // The attribution check: a non-blank line no slot took is a parser gap, reported rather than lost.
  const unattributed = lines
    .filter((l) => l.text !== "" && !ctx.attributed.has(l.line))
    .map((l) => ({ file: block.file, line: l.line, text: l.text }));
  return { spec, diagnostics: ctx.diagnostics, unattributed };
}

function join(a: string, b: string): string {
  return a === "" ? b : b === "" ? a : `${a} ${b}`;
}

function joined(parts: readonly string[]): string {
  return parts.filter((p) => p !== "").join(" ");
}

/** All of a section's text, for keeping a section the model has no slot for. */
function sectionText(s: Section): string {
  if (s.kind === "prose" || s.kind === "unknown") return renderProse(s.prose, "prose");
  return [joined(s.header), ...s.fields.map((f) => `${f.key}: ${joined(f.parts)}`)].filter((t) => t !== "").join("\n");
}

function prose(s: Section, ctx: Context, mode: "prose" | "code"): Prose {
  const { text, textLines } = renderProseWithLines(s.prose, mode);
  return { text, textLines, source: ctx.src(s.line) };
}

/** Sub-fields whose text is prose, and the model field each is stored in: these get a line map. */
const TEXT_FIELDS: Readonly<Record<string, string>> = {
  desc: "description",
  cdesc: "constraint",
  constraint: "constraint",
  condition: "condition",
  expr: "expr",
  allows: "allows",
  without: "without",
};

/** Where each part of a field starts in joined(parts). */
function lineMap(f: Field): LineMap {
  const map: LineMap = [];
  let offset = 0;
  f.parts.forEach((part, i) => {
    if (part === "") return;
    map.push([offset, f.partLines[i]!]);
    offset += part.length + 1;
  });
  return map;
}

function addSection(spec: Spec, s: Section, ctx: Context): void {
  const header = joined(s.header);
  switch (s.key) {
    case "long-desc":
      spec.description = prose(s, ctx, "prose");
      return;
    case "notes":
      spec.notes = prose(s, ctx, "prose");
      return;
    case "examples":
      spec.examples = prose(s, ctx, "code");
      return;
    case "context-flags":
    case "contexts":
      if (s.key === "context-flags") ctx.v5++;
      else ctx.v4++;
      spec.contexts = ctx.tokens("context", header, s.line);
      return;
    case "since-version":
      spec.since = header;
      return;
    case "param":
      spec.params.push(buildParam(s, spec.params.length, ctx));
      return;
    case "return":
      spec.return = buildReturn(s, ctx);
      if (header !== "") spec.return.extra.unshift({ key: "return", value: header, source: ctx.src(s.line) });
      return;
    case "error":
      spec.errors.push(buildError(s, spec.errors.length, ctx));
      return;
    case "lock":
      spec.locks.push(buildLock(s, spec.locks.length, ctx));
      return;
    case "signal":
      spec.signals.push(buildSignal(s, spec.signals.length, ctx));
      return;
    case "side-effect":
      spec.sideEffects.push(buildSideEffect(s, spec.sideEffects.length, ctx));
      return;
    case "state-trans":
      spec.stateTransitions.push(buildStateTransition(s, spec.stateTransitions.length, ctx));
      return;
    case "capability":
      spec.capabilities.push(buildCapability(s, spec.capabilities.length, ctx));
      return;
    case "constraint":
      spec.constraints.push(buildConstraint(s, spec.constraints.length, ctx));
      return;
    default:
      spec.extra.push({ key: s.key, value: sectionText(s), source: ctx.src(s.line) });
  }
}

/**
 * Walks an item's sub-fields: each known key is handed to `take` once; repeats
 * of a non-repeatable key and unknown keys go to `extra` with a warning.
 */
function eachField(
  s: Section,
  ctx: Context,
  item: { extra: ExtraField[]; textLines?: TextLines },
  take: (key: string, value: string, line: number) => boolean,
): void {
  const extra = item.extra;
  const known = FIELD_KEYS[s.key] ?? new Set<string>();
  const seen = new Set<string>();
  for (const f of s.fields) {
    const value = joined(f.parts);
    if (!known.has(f.key)) {
      ctx.warn(f.line, "unknown-field", `unknown sub-field '${f.key}:' in '${s.key}:'; kept in extra`);
      extra.push({ key: f.key, value, source: ctx.src(f.line) });
    } else if (seen.has(f.key) && !REPEATABLE_FIELDS.has(`${s.key}/${f.key}`)) {
      ctx.warn(f.line, "duplicate-field", `'${f.key}:' repeats in this '${s.key}:' block; the repeat is kept in extra`);
      extra.push({ key: f.key, value, source: ctx.src(f.line) });
    } else {
      seen.add(f.key);
      // A known key the builder does not store stays unmarked and surfaces as unattributed.
      if (!take(f.key, value, f.line)) continue;
      // The first of constraint:/cdesc: is the one stored; a repeat went to extra.
      const field = TEXT_FIELDS[f.key];
      if (field !== undefined && !(item.textLines && field in item.textLines)) (item.textLines ??= {})[field] = lineMap(f);
    }
    ctx.mark(f.lines);
  }
}

function buildParam(s: Section, index: number, ctx: Context): Param {
  const p: Param = { index, name: joined(s.header), flags: [], extra: [], source: ctx.src(s.line) };
  let constraintSeen = false;
  eachField(s, ctx, p, (key, value, line) => {
    switch (key) {
      case "type": {
        // v4 writes type and flags on one line: `type: uint, input`.
        const [type, ...flags] = splitTopLevel(value);
        p.type = ctx.token("type", type ?? "", line);
        if (flags.length > 0) {
          ctx.v4++;
          p.flags.push(...ctx.tokens("paramFlag", flags.join(","), line));
        }
        return true;
      }
      case "flags":
        p.flags.push(...ctx.tokens("paramFlag", value, line));
        return true;
      case "constraint-type":
        if (isFunctionForm(value)) ctx.v4++;
        else if (tokenDialect(value) === "v5") ctx.v5++;
        p.constraintType = parseConstraintType(value);
        if (p.constraintType.kind === "UNKNOWN") ctx.warn(line, "unknown-token", `unknown constraint-type '${value}'`);
        return true;
      case "constraint":
      case "cdesc":
        if (key === "cdesc") ctx.v4++;
        if (constraintSeen) {
          ctx.warn(line, "duplicate-field", `both 'constraint:' and 'cdesc:' given; '${key}:' is kept in extra`);
          p.extra.push({ key, value, source: ctx.src(line) });
        } else p.constraint = value;
        constraintSeen = true;
        return true;
      case "size":
        p.size = value;
        return true;
      case "size-param":
        p.sizeParam = value;
        return true;
      case "range": {
        const [min, max, ...rest] = splitTopLevel(value);
        if (min && max && rest.length === 0) p.range = { min, max };
        else {
          ctx.warn(line, "bad-range", `'range:' should be 'MIN, MAX', got '${value}'; kept in extra`);
          p.extra.push({ key, value, source: ctx.src(line) });
        }
        return true;
      }
      case "valid-mask":
        p.validMask = value;
        return true;
      case "arch-mask":
        (p.archMask ??= []).push(value);
        return true;
      default:
        return false;
    }
  });
  foldConstraintFields(p);
  return p;
}

/** v5 keeps a constraint's arguments in sibling sub-fields; fold them in so both dialects read alike. */
function foldConstraintFields(p: Param): void {
  const c = p.constraintType;
  if (!c) return;
  if (c.kind === "RANGE" && c.min === undefined && c.max === undefined && p.range) {
    c.min = p.range.min;
    c.max = p.range.max;
  } else if (c.kind === "MASK" && c.mask === undefined && p.validMask !== undefined) {
    c.mask = p.validMask;
  } else if (c.kind === "BUFFER" && c.sizeParamIndex === undefined && p.sizeParam !== undefined && /^\d+$/.test(p.sizeParam)) {
    c.sizeParamIndex = Number(p.sizeParam);
  } else if (c.kind === "USER_STRING" && c.maxLen === undefined && p.range) {
    c.maxLen = p.range.max;
  }
}

/** The `success:` clause: `-EINPROGRESS`, `0`, `>= 0`, or free text. */
export function parseSuccess(raw: string): Success {
  const text = raw.trim();
  const symbol = /^(-?)(E[A-Z0-9]+)$/.exec(text);
  if (symbol) return { kind: "exact", raw: text, symbol: symbol[2]!, negated: symbol[1] === "-" };
  if (/^-?(?:0x[0-9a-fA-F]+|\d+)$/.test(text)) return { kind: "exact", raw: text, value: text };
  const cmp = /^(>=|<=|==|>|<)\s*(\S+)$/.exec(text);
  if (cmp) return { kind: "range", raw: text, op: cmp[1] as ">=" | ">" | "<=" | "<" | "==", bound: cmp[2]! };
  return { kind: "text", raw: text };
}

function buildReturn(s: Section, ctx: Context): ReturnSpec {
  const r: ReturnSpec = { extra: [], source: ctx.src(s.line) };
  eachField(s, ctx, r, (key, value, line) => {
    switch (key) {
      case "type":
        r.type = ctx.token("type", value, line);
        return true;
      case "check-type":
        r.checkType = ctx.token("returnCheck", value, line);
        return true;
      case "success":
        r.success = parseSuccess(value);
        return true;
      case "success-range":
        r.successRange = value;
        return true;
      case "error-values":
        r.errorValues = splitTopLevel(value).filter((v) => v !== "");
        return true;
      case "desc":
        r.description = value;
        return true;
      default:
        return false;
    }
  });
  return r;
}

function buildError(s: Section, index: number, ctx: Context): ErrorSpec {
  const header = joined(s.header);
  const comma = header.indexOf(",");
  const name = (comma < 0 ? header : header.slice(0, comma)).trim();
  const e: ErrorSpec = {
    index,
    name,
    placeholder: /^\(.*\)$/.test(name),
    summary: comma < 0 ? "" : header.slice(comma + 1).trim(),
    conditions: [],
    extra: [],
    source: ctx.src(s.line),
  };
  eachField(s, ctx, e, (key, value) => {
    if (key !== "desc") return false;
    e.description = value;
    e.conditions = splitConditions(value);
    return true;
  });
  return e;
}

function buildLock(s: Section, index: number, ctx: Context): LockSpec {
  const k: LockSpec = { index, name: joined(s.header), extra: [], source: ctx.src(s.line) };
  eachField(s, ctx, k, (key, value, line) => {
    switch (key) {
      case "type":
        k.type = ctx.token("lock", value, line);
        return true;
      case "acquired":
        k.acquired = value;
        return true;
      case "released":
        k.released = value;
        return true;
      case "desc":
        k.description = value;
        return true;
      default:
        return false;
    }
  });
  return k;
}

function buildSignal(s: Section, index: number, ctx: Context): SignalSpec {
  const g: SignalSpec = { index, name: joined(s.header), extra: [], source: ctx.src(s.line) };
  let errorSeen = false;
  eachField(s, ctx, g, (key, value, line) => {
    switch (key) {
      case "direction":
        g.direction = ctx.token("signalDirection", value, line);
        return true;
      case "action":
        g.action = ctx.token("signalAction", value, line);
        return true;
      case "timing":
        g.timing = ctx.token("signalTiming", value, line);
        return true;
      case "condition":
        g.condition = value;
        return true;
      case "desc":
        g.description = value;
        return true;
      case "priority":
        g.priority = value;
        return true;
      case "restartable":
        g.restartable = value;
        return true;
      case "interruptible":
        g.interruptible = value;
        return true;
      case "error":
      case "errno": {
        // In a signal block `error:` (v5) / `errno:` (v4) is the errno the syscall returns, not an error section.
        if (key === "errno") ctx.v4++;
        else ctx.v5++;
        if (errorSeen) {
          ctx.warn(line, "duplicate-field", `both 'error:' and 'errno:' given; '${key}:' is kept in extra`);
          g.extra.push({ key, value, source: ctx.src(line) });
          return true;
        }
        errorSeen = true;
        g.error = value;
        const symbol = /^-?(E[A-Z0-9]+)\b/.exec(value);
        if (symbol) g.errno = symbol[1]!;
        return true;
      }
      default:
        return false;
    }
  });
  return g;
}

function buildSideEffect(s: Section, index: number, ctx: Context): SideEffectSpec {
  const e: SideEffectSpec = { index, types: ctx.tokens("effect", joined(s.header), s.line), extra: [], source: ctx.src(s.line) };
  eachField(s, ctx, e, (key, value) => {
    switch (key) {
      case "target":
        e.target = value;
        return true;
      case "condition":
        e.condition = value;
        return true;
      case "desc":
        e.description = value;
        return true;
      case "reversible":
        e.reversible = value;
        return true;
      case "includes":
        e.includes = value;
        return true;
      default:
        return false;
    }
  });
  return e;
}

function buildStateTransition(s: Section, index: number, ctx: Context): StateTransitionSpec {
  const t: StateTransitionSpec = { index, object: joined(s.header), extra: [], source: ctx.src(s.line) };
  eachField(s, ctx, t, (key, value) => {
    switch (key) {
      case "from":
        t.from = value;
        return true;
      case "to":
        t.to = value;
        return true;
      case "condition":
        t.condition = value;
        return true;
      case "desc":
        t.description = value;
        return true;
      default:
        return false;
    }
  });
  return t;
}

function buildCapability(s: Section, index: number, ctx: Context): CapabilitySpec {
  const c: CapabilitySpec = { index, name: joined(s.header), extra: [], source: ctx.src(s.line) };
  eachField(s, ctx, c, (key, value, line) => {
    switch (key) {
      case "type":
        c.type = ctx.token("capability", value, line);
        return true;
      case "allows":
        c.allows = value;
        return true;
      case "without":
        c.without = value;
        return true;
      case "condition":
        c.condition = value;
        return true;
      case "priority":
        c.priority = value;
        return true;
      default:
        return false;
    }
  });
  return c;
}

function buildConstraint(s: Section, index: number, ctx: Context): ConstraintSpec {
  const c: ConstraintSpec = { index, name: joined(s.header), extra: [], source: ctx.src(s.line) };
  eachField(s, ctx, c, (key, value) => {
    switch (key) {
      case "desc":
        c.description = value;
        return true;
      case "expr":
        c.expr = value;
        return true;
      default:
        return false;
    }
  });
  return c;
}
