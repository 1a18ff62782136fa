// SPDX-License-Identifier: GPL-2.0-only
// The canonical KAPI spec: one model for the v5 (KAPI_* constants) and v4
// (lower-case aliases) dialects. specs/kapi-spec.schema.json describes the same
// shape as JSON Schema; keep the two in step.

/** Where a spec item was written: the input file and its 1-based line. */
export interface SourceRef {
  file: string;
  line: number;
}

/**
 * Where the lines of a joined text were written: [offset, line] pairs, offsets
 * ascending from 0. The text from `offset` up to the next pair's offset came
 * from input line `line`. Comment text is hard-wrapped and joined with single
 * spaces, so this is how a sentence inside a field finds its own line.
 */
export type LineMap = Array<[number, number]>;

/**
 * Line maps of an item's prose sub-fields, keyed by the model's field name
 * ("description" for `desc:`, "constraint" for `constraint:`/`cdesc:`,
 * "condition", "expr", ...). Only fields the item stores are listed.
 */
export type TextLines = Record<string, LineMap>;

/** A token normalised to one spelling, with the token as written beside it. */
export interface EnumToken {
  /** Canonical upper-case name without prefix, e.g. "USER_PTR", "PROCESS". */
  value: string;
  /** The token exactly as written, e.g. "KAPI_TYPE_USER_PTR" or "uptr". */
  raw: string;
  /** False when the token is in no known enum or alias table (passed through). */
  known: boolean;
}

/** A free-form "key: value" sub-field the model has no dedicated slot for. */
export interface ExtraField {
  key: string;
  value: string;
  source: SourceRef;
}

/** Structured form of `constraint-type:`. */
export type ConstraintType =
  | { kind: "RANGE"; raw: string; min?: string; max?: string }
  | { kind: "MASK"; raw: string; mask?: string }
  | { kind: "ENUM"; raw: string; values: string[] }
  | { kind: "BUFFER"; raw: string; sizeParamIndex?: number }
  | { kind: "ALIGNMENT"; raw: string; alignment?: string }
  | { kind: "USER_STRING"; raw: string; maxLenParamIndex?: number; maxLen?: string }
  | { kind: "CUSTOM"; raw: string; fn?: string }
  | {
      kind: "NONE" | "POWER_OF_TWO" | "PAGE_ALIGNED" | "NONZERO" | "USER_PATH" | "USER_PTR";
      raw: string;
    }
  | { kind: "UNKNOWN"; raw: string };

/** A kerneldoc `@name: description` line from the comment header. */
export interface KerneldocParam {
  name: string;
  description: string;
  source: SourceRef;
}

export interface Param {
  /** 0-based position in the call (order of the `param:` blocks). */
  index: number;
  name: string;
  /** From the kerneldoc `@name:` header line, when present. */
  headerDescription?: string;
  type?: EnumToken;
  flags: EnumToken[];
  constraintType?: ConstraintType;
  /** Prose constraint: `constraint:` (v5) or `cdesc:` (v4). */
  constraint?: string;
  size?: string;
  /** `size-param:` as written (a parameter name or index). */
  sizeParam?: string;
  /** `range: MIN, MAX` (v5); also folded into constraintType when that is RANGE. */
  range?: { min: string; max: string };
  /** `valid-mask:` (v5); also folded into constraintType when that is MASK. */
  validMask?: string;
  /** `arch-mask: ARCH = BITS` lines (v4), one entry per line, as written. */
  archMask?: string[];
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

/** The success clause of `return:`. */
export type Success =
  /** An exact value; `symbol` is set when written as a (negated) errno name, e.g. -EINPROGRESS. */
  | { kind: "exact"; raw: string; value?: string; symbol?: string; negated?: boolean }
  /** A comparison such as `>= 0`. */
  | { kind: "range"; raw: string; op: ">=" | ">" | "<=" | "<" | "=="; bound: string }
  /** Anything else, kept as written. */
  | { kind: "text"; raw: string };

export interface ReturnSpec {
  type?: EnumToken;
  checkType?: EnumToken;
  success?: Success;
  successRange?: string;
  errorValues?: string[];
  description?: string;
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

export interface ErrorSpec {
  /** 0-based position among the spec's `error:` blocks. */
  index: number;
  /** Errno symbol (`EINVAL`) or placeholder as written (`(driver-specific)`). */
  name: string;
  /** True for a parenthesised placeholder that names no errno. */
  placeholder: boolean;
  summary: string;
  description?: string;
  /** The `(1) ... (2) ...` enumeration of the description, when present. */
  conditions: string[];
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

export interface LockSpec {
  index: number;
  name: string;
  type?: EnumToken;
  acquired?: string;
  released?: string;
  description?: string;
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

export interface SignalSpec {
  index: number;
  name: string;
  direction?: EnumToken;
  action?: EnumToken;
  condition?: string;
  description?: string;
  /** The errno the syscall returns for this signal (`error:` v5 / `errno:` v4), as written. */
  error?: string;
  /** The errno symbol named by `error`, without sign or comment, e.g. "EINTR". */
  errno?: string;
  timing?: EnumToken;
  priority?: string;
  restartable?: string;
  interruptible?: string;
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

export interface SideEffectSpec {
  index: number;
  /** `side-effect: A | B` header tokens. */
  types: EnumToken[];
  target?: string;
  condition?: string;
  description?: string;
  reversible?: string;
  includes?: string;
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

export interface StateTransitionSpec {
  index: number;
  object: string;
  from?: string;
  to?: string;
  condition?: string;
  description?: string;
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

export interface CapabilitySpec {
  index: number;
  name: string;
  type?: EnumToken;
  allows?: string;
  without?: string;
  condition?: string;
  priority?: string;
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

export interface ConstraintSpec {
  index: number;
  name: string;
  description?: string;
  expr?: string;
  /** Line maps of the prose sub-fields (see TextLines). */
  textLines?: TextLines;
  extra: ExtraField[];
  source: SourceRef;
}

/**
 * A prose section (`long-desc:`, `notes:`, `examples:`) with its first line.
 * Lines of a paragraph are joined with single spaces, paragraphs with "\n\n";
 * list items ("- ...") keep a line each. In `examples:` every line is kept.
 */
export interface Prose {
  text: string;
  /** Where each line of `text` was written. */
  textLines?: LineMap;
  source: SourceRef;
}

/** Where the whole spec came from. */
export interface SpecSource {
  /** The input as given (path, or "-" for stdin). */
  file: string;
  /** Line of the opening comment line (`/**`) in that input. */
  line: number;
  /** Line of the closing `*\/`. */
  endLine: number;
  /** Input form: a C source, a patch/mbox post-image, an archive page, or tools/kapi JSON (kapi-json.ts). */
  format: "c" | "patch" | "archive" | "kapi-json";
  /** The kernel file named by the diff header, when the input is a patch. */
  kernelFile?: string;
  /** Kernel line of the comment start in the post-image, when known from the hunk header. */
  kernelLine?: number;
  dialect: "v5" | "v4";
  /**
   * `SYSCALL_DEFINEn(name, type, arg, ...)` right after the block, when found:
   * n, the syscall name, the argument names (fewer than n when the input is cut
   * off mid-definition, as a patch hunk can be) and the line of the macro.
   */
  syscallDefine?: { name: string; arity: number; args: string[]; line: number };
}

export interface Spec {
  /** Syscall name without `sys_`, e.g. "io_cancel". */
  name: string;
  /** From the kerneldoc header `sys_NAME - summary`. */
  summary: string;
  description?: Prose;
  contexts: EnumToken[];
  params: Param[];
  return?: ReturnSpec;
  errors: ErrorSpec[];
  locks: LockSpec[];
  signals: SignalSpec[];
  sideEffects: SideEffectSpec[];
  stateTransitions: StateTransitionSpec[];
  capabilities: CapabilitySpec[];
  constraints: ConstraintSpec[];
  examples?: Prose;
  notes?: Prose;
  since?: string;
  /** The kerneldoc `@name:` lines, in the order written. */
  kerneldocParams: KerneldocParam[];
  /**
   * Text with no dedicated slot: unknown top-level sections (key = section key,
   * value = their text) and kerneldoc description paragraphs (key "description").
   */
  extra: ExtraField[];
  source: SpecSource;
}

export type Severity = "error" | "warning";

/** A finding about spec text, always with the line it is about. */
export interface Diagnostic {
  severity: Severity;
  file: string;
  line: number;
  /** A short stable code, e.g. "unknown-section", "param-mismatch". */
  code: string;
  message: string;
}
