// SPDX-License-Identifier: GPL-2.0-only
// The JSON the KAPI series' own tool prints (`tools/kapi --format json`):
// `{"api_details": {...}}` with `parameters`, `return_spec`, `errors`
// (`error_code` = -errno), `locks`, `signals`, `side_effects`,
// `state_transitions`, `constraints`, `capabilities`; every enum a number as
// include/linux/kernel_api_spec.h numbers it (bit flags for parameter flags,
// signal directions and side-effect types), context flags as `KAPI_CTX_*`
// strings and the capability action as its `KAPI_CAP_*` name, as the tool's
// structs have them. Written from a canonical spec, and read back into one.
//
// What kapi JSON cannot hold is lost on the way out and absent on the way
// in: numbers written symbolically (INT_MAX, PATH_MAX), tokens outside the
// enum tables, C type names, free sub-fields, the spec's source lines, and the
// texts of lock acquired:/released: (only the scope they imply).
// sharedFields() is exactly what both formats hold.
import { errnoName, errnoNumber } from "../kernel/errno.js";
import { canonicalSpec } from "./canonical.js";
import { splitConditions } from "./conditions.js";
import type { ParseOutcome } from "./load.js";
import type { ConstraintType, EnumToken, Param, SourceRef, Spec, Success } from "./model.js";
import { normalise, type Vocabulary } from "./vocabulary.js";

// The header's enums, in declaration order (an enum's value is its position).
const ORDER = {
  type: "VOID INT UINT PTR STRUCT UNION ENUM FUNC_PTR ARRAY FD USER_PTR PATH CUSTOM",
  lock: "NONE MUTEX SPINLOCK RWLOCK SEQLOCK RCU SEMAPHORE CUSTOM",
  constraint: "NONE RANGE MASK ENUM ALIGNMENT POWER_OF_TWO PAGE_ALIGNED NONZERO USER_STRING USER_PATH USER_PTR BUFFER CUSTOM",
  returnCheck: "EXACT RANGE ERROR_CHECK FD CUSTOM NO_RETURN",
  signalAction: "DEFAULT TERMINATE COREDUMP STOP CONTINUE CUSTOM RETURN RESTART QUEUE DISCARD TRANSFORM",
  signalTiming: "ENTRY DURING EXIT ANYTIME BLOCKING SLEEPING BEFORE AFTER",
} as const satisfies Partial<Record<Vocabulary, string>>;
type Ordered = keyof typeof ORDER;

// Bit flags: the value of each name.
const BITS: Readonly<Record<"paramFlag" | "signalDirection" | "effect", Readonly<Record<string, number>>>> = {
  // INOUT is IN | OUT in the header.
  paramFlag: { IN: 1, OUT: 2, INOUT: 3, OPTIONAL: 8, CONST: 16, VOLATILE: 32, USER: 64, DMA: 128, ALIGNED: 256 },
  signalDirection: { RECEIVE: 1, SEND: 2, HANDLE: 4, BLOCK: 8, IGNORE: 16 },
  effect: Object.fromEntries(
    "ALLOC_MEMORY FREE_MEMORY MODIFY_STATE SIGNAL_SEND FILE_POSITION LOCK_ACQUIRE LOCK_RELEASE RESOURCE_CREATE RESOURCE_DESTROY SCHEDULE HARDWARE NETWORK FILESYSTEM PROCESS_STATE IRREVERSIBLE"
      .split(" ")
      .map((name, i) => [name, 1 << i]),
  ),
};
type Flagged = keyof typeof BITS;

const PREFIX: Readonly<Record<Ordered | Flagged, string>> = {
  type: "KAPI_TYPE_",
  lock: "KAPI_LOCK_",
  constraint: "KAPI_CONSTRAINT_",
  returnCheck: "KAPI_RETURN_",
  signalAction: "KAPI_SIGNAL_ACTION_",
  signalTiming: "KAPI_SIGNAL_TIME_",
  paramFlag: "KAPI_PARAM_",
  signalDirection: "KAPI_SIGNAL_",
  effect: "KAPI_EFFECT_",
};

// Signal numbers (x86_64, arm64 and riscv64 agree on these) and capability numbers (linux/capability.h).
const SIGNALS = "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS".split(" ");
const CAPABILITIES = (
  "CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW " +
  "IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD " +
  "LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE"
).split(" ");

const orderOf = (v: Ordered, t: EnumToken | undefined): number | undefined => {
  if (!t?.known) return undefined;
  const i = ORDER[v].split(" ").indexOf(t.value);
  return i < 0 ? undefined : i;
};
const tokenAt = (v: Ordered, n: number | null | undefined): EnumToken | undefined => {
  const name = n === null || n === undefined ? undefined : ORDER[v].split(" ")[n];
  return name === undefined ? undefined : { value: name, raw: PREFIX[v] + name, known: true };
};
const bitsOf = (v: Flagged, tokens: EnumToken[]): number => tokens.reduce((acc, t) => acc | (t.known ? (BITS[v][t.value] ?? 0) : 0), 0);
/** Tokens for a bit mask; INOUT (both bits) is read as INOUT. */
const tokensOf = (v: Flagged, mask: number): EnumToken[] => {
  const out: EnumToken[] = [];
  let left = mask;
  for (const [name, bit] of Object.entries(BITS[v]).sort((a, b) => b[1] - a[1])) {
    if (bit !== 0 && (left & bit) === bit) {
      out.push({ value: name, raw: PREFIX[v] + name, known: true });
      left &= ~bit;
    }
  }
  return out.reverse();
};

/** An integer literal (decimal, hex, negative) as a JSON-safe number; undefined for symbols such as INT_MAX. */
export function integerOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim().replace(/(?<=\d)[uUlL]+$/, "");
  if (!/^-?(0x[0-9a-fA-F]+|\d+)$/.test(t)) return undefined;
  const n = t.startsWith("-") ? -Number(t.slice(1)) : Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** An errno written as -EFOO, EFOO or a number, as the negative number the tool stores. */
function negativeErrno(text: string): number | undefined {
  const name = /^-?\s*(E[A-Z0-9]+)$/.exec(text.trim())?.[1];
  if (name) {
    const n = errnoNumber(name, "x86_64");
    return n === undefined ? undefined : -n;
  }
  const n = integerOf(text);
  return n === undefined ? undefined : -Math.abs(n);
}
const errnoText = (n: number): string => {
  const name = errnoName(Math.abs(n), "x86_64");
  return name.startsWith("errno ") ? String(n) : `-${name}`;
};
const yes = (text: string | undefined): boolean => /^(yes|true|1|y)\b/i.test(text?.trim() ?? "");
const nonEmpty = (s: string | undefined | null): string | undefined => (s === undefined || s === null || s === "" ? undefined : s);

// ---- The tool's structs (tools/kapi/src/extractor), as JSON. ----

export interface KapiParam {
  index: number;
  name: string;
  type_name: string;
  description: string;
  flags: number;
  param_type: number;
  constraint_type: number;
  constraint: string | null;
  min_value: number | null;
  max_value: number | null;
  valid_mask: number | null;
  enum_values: string[];
  size: number | null;
  alignment: number | null;
  size_param_idx: number | null;
}
export interface KapiReturn {
  type_name: string;
  description: string;
  return_type: number;
  check_type: number;
  success_value: number | null;
  success_min: number | null;
  success_max: number | null;
  error_values: number[];
}
export interface KapiError {
  error_code: number;
  name: string;
  condition: string;
  description: string;
}
export interface KapiLock {
  lock_name: string;
  lock_type: number;
  scope: number;
  description: string;
}
export interface KapiSignal {
  signal_num: number;
  signal_name: string;
  direction: number;
  action: number;
  target: string | null;
  condition: string | null;
  description: string | null;
  timing: number;
  priority: number;
  restartable: boolean;
  interruptible: boolean;
  queue: string | null;
  sa_flags: number;
  sa_flags_required: number;
  sa_flags_forbidden: number;
  state_required: number;
  state_forbidden: number;
  error_on_signal: number | null;
  transform_to: number | null;
}
export interface KapiSideEffect {
  effect_type: number;
  target: string;
  condition: string | null;
  description: string;
  reversible: boolean;
}
export interface KapiStateTransition {
  object: string;
  from_state: string;
  to_state: string;
  condition: string | null;
  description: string;
}
export interface KapiConstraint {
  name: string;
  description: string;
  expression: string | null;
}
export interface KapiCapability {
  capability: number;
  name: string;
  action: string;
  allows: string;
  without_cap: string;
  check_condition: string | null;
  priority: number | null;
  alternatives: number[];
}
export interface KapiApiDetails {
  name: string;
  description?: string;
  long_description?: string;
  context_flags?: string[];
  examples?: string;
  notes?: string;
  capabilities?: KapiCapability[];
  state_transitions?: KapiStateTransition[];
  side_effects?: KapiSideEffect[];
  parameters?: KapiParam[];
  return_spec?: KapiReturn;
  errors?: KapiError[];
  locks?: KapiLock[];
  signals?: KapiSignal[];
  constraints?: KapiConstraint[];
}
export interface KapiJson {
  api_details: KapiApiDetails;
}

// Lock scope (enum kapi_lock_scope): what acquired:/released: say.
const LOCK_INTERNAL = 0;
const LOCK_ACQUIRES = 1;
const LOCK_RELEASES = 2;
const LOCK_CALLER_HELD = 3;

function constraintFields(p: Param): Pick<KapiParam, "constraint_type" | "min_value" | "max_value" | "valid_mask" | "enum_values" | "alignment" | "size_param_idx"> {
  const c = p.constraintType;
  const kind = c && c.kind !== "UNKNOWN" ? c.kind : undefined;
  const out = { constraint_type: orderOf("constraint", kind ? { value: kind, raw: kind, known: true } : undefined) ?? 0, min_value: null as number | null, max_value: null as number | null, valid_mask: null as number | null, enum_values: [] as string[], alignment: null as number | null, size_param_idx: null as number | null };
  const min = c?.kind === "RANGE" ? (c.min ?? p.range?.min) : p.range?.min;
  const max = c?.kind === "RANGE" ? (c.max ?? p.range?.max) : p.range?.max;
  out.min_value = integerOf(min) ?? null;
  out.max_value = integerOf(max) ?? null;
  if (c?.kind === "USER_STRING") out.max_value = integerOf(c.maxLen) ?? null;
  out.valid_mask = integerOf(c?.kind === "MASK" ? (c.mask ?? p.validMask) : p.validMask) ?? null;
  if (c?.kind === "ENUM") out.enum_values = [...c.values];
  if (c?.kind === "ALIGNMENT") out.alignment = integerOf(c.alignment) ?? null;
  if (c?.kind === "BUFFER") out.size_param_idx = c.sizeParamIndex ?? null;
  return out;
}

function successFields(s: Success | undefined, successRange: string | undefined): Pick<KapiReturn, "success_value" | "success_min" | "success_max"> {
  const out = { success_value: null as number | null, success_min: null as number | null, success_max: null as number | null };
  if (s?.kind === "exact") {
    const n = s.symbol ? errnoNumber(s.symbol, "x86_64") : undefined;
    out.success_value = s.symbol ? (n === undefined ? null : s.negated ? -n : n) : (integerOf(s.value ?? s.raw) ?? null);
  }
  if (s?.kind === "range") {
    const b = integerOf(s.bound);
    if (b !== undefined) {
      if (s.op === ">=") out.success_min = b;
      else if (s.op === ">") out.success_min = b + 1;
      else if (s.op === "<=") out.success_max = b;
      else if (s.op === "<") out.success_max = b - 1;
      else out.success_value = b;
    }
  }
  if (successRange) {
    const [lo, hi] = successRange.split(",").map((x) => integerOf(x));
    if (lo !== undefined) out.success_min = lo;
    if (hi !== undefined) out.success_max = hi;
  }
  return out;
}

/** The spec as tools/kapi prints it with `--format json`. */
export function toKapiJson(spec: Spec): KapiJson {
  const d: KapiApiDetails = { name: `sys_${spec.name}` };
  if (spec.summary) d.description = spec.summary;
  if (spec.description) d.long_description = spec.description.text;
  const contexts = spec.contexts.filter((t) => t.known).map((t) => `KAPI_CTX_${t.value}`);
  if (contexts.length) d.context_flags = contexts;
  if (spec.examples) d.examples = spec.examples.text;
  if (spec.notes) d.notes = spec.notes.text;
  if (spec.capabilities.length)
    d.capabilities = spec.capabilities.map((c) => ({
      capability: CAPABILITIES.indexOf(c.name.replace(/^CAP_/, "")),
      name: c.name,
      action: c.type?.known ? `KAPI_CAP_${c.type.value}` : "",
      allows: c.allows ?? "",
      without_cap: c.without ?? "",
      check_condition: c.condition ?? null,
      priority: integerOf(c.priority) ?? null,
      alternatives: [],
    }));
  if (spec.stateTransitions.length)
    d.state_transitions = spec.stateTransitions.map((t) => ({ object: t.object, from_state: t.from ?? "", to_state: t.to ?? "", condition: t.condition ?? null, description: t.description ?? "" }));
  if (spec.sideEffects.length)
    d.side_effects = spec.sideEffects.map((e) => ({ effect_type: bitsOf("effect", e.types), target: e.target ?? "", condition: e.condition ?? null, description: e.description ?? "", reversible: yes(e.reversible) }));
  if (spec.params.length)
    d.parameters = spec.params.map((p) => ({
      index: p.index,
      name: p.name,
      // The canonical spec holds no C type name.
      type_name: "",
      description: p.headerDescription ?? "",
      flags: bitsOf("paramFlag", p.flags),
      param_type: orderOf("type", p.type) ?? 0,
      constraint: p.constraint ?? null,
      size: integerOf(p.size) ?? null,
      ...constraintFields(p),
    }));
  if (spec.return) {
    const r = spec.return;
    d.return_spec = {
      type_name: "",
      description: r.description ?? "",
      return_type: orderOf("type", r.type) ?? 0,
      check_type: orderOf("returnCheck", r.checkType) ?? 0,
      ...successFields(r.success, r.successRange),
      error_values: (r.errorValues ?? []).flatMap((v) => {
        const n = negativeErrno(v);
        return n === undefined ? [] : [n];
      }),
    };
  }
  if (spec.errors.length)
    d.errors = spec.errors.map((e) => ({ error_code: e.placeholder ? 0 : (negativeErrno(e.name) ?? 0), name: e.name, condition: e.summary, description: e.description ?? "" }));
  if (spec.locks.length)
    d.locks = spec.locks.map((l) => ({
      lock_name: l.name,
      lock_type: orderOf("lock", l.type) ?? 0,
      scope: l.acquired !== undefined && l.released === undefined ? LOCK_ACQUIRES : l.released !== undefined && l.acquired === undefined ? LOCK_RELEASES : LOCK_INTERNAL,
      description: l.description ?? "",
    }));
  if (spec.signals.length)
    d.signals = spec.signals.map((s) => {
      const errno = s.errno ?? s.error;
      return {
        signal_num: SIGNALS.indexOf(s.name.replace(/^SIG/, "")) + 1,
        signal_name: s.name,
        direction: s.direction ? bitsOf("signalDirection", [s.direction]) : 0,
        action: orderOf("signalAction", s.action) ?? 0,
        target: null,
        condition: s.condition ?? null,
        description: s.description ?? null,
        timing: orderOf("signalTiming", s.timing) ?? 0,
        priority: integerOf(s.priority) ?? 0,
        restartable: yes(s.restartable),
        interruptible: yes(s.interruptible),
        queue: null,
        sa_flags: 0,
        sa_flags_required: 0,
        sa_flags_forbidden: 0,
        state_required: 0,
        state_forbidden: 0,
        error_on_signal: errno ? (negativeErrno(errno) ?? null) : null,
        transform_to: null,
      };
    });
  if (spec.constraints.length) d.constraints = spec.constraints.map((c) => ({ name: c.name, description: c.description ?? "", expression: c.expr ?? null }));
  return { api_details: d };
}

/** Line of every object that starts an array element, per array key path ("parameters" -> [lines]). */
function elementLines(text: string): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  const stack: Array<{ array: boolean; key: string }> = [];
  let line = 1;
  let lastKey = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "\n") line++;
    else if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const s = text.slice(i + 1, j);
      if (/^\s*:/.test(text.slice(j + 1, j + 40))) lastKey = s;
      i = j;
    } else if (ch === "[") stack.push({ array: true, key: lastKey });
    else if (ch === "{") {
      const top = stack.at(-1);
      if (top?.array) lines.set(top.key, [...(lines.get(top.key) ?? []), line]);
      stack.push({ array: false, key: lastKey });
    } else if (ch === "]" || ch === "}") stack.pop();
  }
  return lines;
}

function constraintOf(p: KapiParam): { type?: ConstraintType; range?: { min: string; max: string }; validMask?: string } {
  const num = (n: number | null) => (n === null || n === undefined ? undefined : String(n));
  const min = num(p.min_value);
  const max = num(p.max_value);
  // range: and valid-mask: are held by min_value/max_value and valid_mask whatever the constraint type.
  const range = min !== undefined && max !== undefined ? { range: { min, max } } : {};
  const mask = p.valid_mask === null || p.valid_mask === undefined ? undefined : `0x${p.valid_mask.toString(16)}`;
  const validMask = mask ? { validMask: mask } : {};
  const kind = tokenAt("constraint", p.constraint_type)?.value;
  if (kind === undefined || p.constraint_type === 0) return { ...range, ...validMask };
  const raw = `KAPI_CONSTRAINT_${kind}`;
  const type = ((): ConstraintType => {
    switch (kind) {
      case "RANGE":
        return { kind, raw, ...(min ? { min } : {}), ...(max ? { max } : {}) };
      case "MASK":
        return { kind, raw, ...(mask ? { mask } : {}) };
      case "ENUM":
        return { kind, raw, values: [...p.enum_values] };
      case "BUFFER":
        return { kind, raw, ...(p.size_param_idx !== null ? { sizeParamIndex: p.size_param_idx } : {}) };
      case "ALIGNMENT":
        return { kind, raw, ...(p.alignment !== null ? { alignment: String(p.alignment) } : {}) };
      case "USER_STRING":
        return { kind, raw, ...(max ? { maxLen: max } : {}) };
      case "CUSTOM":
        return { kind, raw };
      default:
        return { kind: kind as "POWER_OF_TWO" | "PAGE_ALIGNED" | "NONZERO" | "USER_PATH" | "USER_PTR", raw };
    }
  })();
  return { type, ...range, ...validMask };
}

function successOf(r: KapiReturn): { success?: Success; successRange?: string } {
  if (r.success_value !== null) {
    const errno = r.success_value < 0 ? errnoText(r.success_value) : undefined;
    if (errno && !/^-?\d+$/.test(errno)) return { success: { kind: "exact", raw: errno, symbol: errno.slice(1), negated: true } };
    return { success: { kind: "exact", raw: String(r.success_value), value: String(r.success_value) } };
  }
  if (r.success_min !== null && r.success_max !== null) return { successRange: `${r.success_min}, ${r.success_max}` };
  if (r.success_min !== null) return { success: { kind: "range", raw: `>= ${r.success_min}`, op: ">=", bound: String(r.success_min) } };
  if (r.success_max !== null) return { success: { kind: "range", raw: `<= ${r.success_max}`, op: "<=", bound: String(r.success_max) } };
  return {};
}

/** Reads one tools/kapi JSON document (`{"api_details": ...}`) into a canonical spec. Throws on a document of another shape. */
export function fromKapiJson(file: string, text: string): Spec {
  const doc = JSON.parse(text) as Partial<KapiJson>;
  const d = doc.api_details;
  if (!d || typeof d !== "object" || typeof d.name !== "string") throw new Error("not tools/kapi JSON: no api_details with a name");
  const at = elementLines(text);
  const firstLine = text.slice(0, Math.max(0, text.indexOf('"api_details"'))).split("\n").length;
  const ref = (section: string, i: number): SourceRef => ({ file, line: at.get(section)?.[i] ?? firstLine });
  const prose = (s: string | undefined, key: string) => (nonEmpty(s) === undefined ? undefined : { text: s!, source: { file, line: lineOfKey(text, key) ?? firstLine } });
  const params = (d.parameters ?? []).map((p, i) => {
    const c = constraintOf(p);
    const type = tokenAt("type", p.param_type);
    return {
      index: p.index ?? i,
      name: p.name,
      ...(nonEmpty(p.description) ? { headerDescription: p.description } : {}),
      ...(type ? { type } : {}),
      flags: tokensOf("paramFlag", p.flags),
      ...(c.type ? { constraintType: c.type } : {}),
      ...(nonEmpty(p.constraint) ? { constraint: p.constraint! } : {}),
      ...(p.size !== null && p.size !== undefined ? { size: String(p.size) } : {}),
      ...(c.range ? { range: c.range } : {}),
      ...(c.validMask ? { validMask: c.validMask } : {}),
      extra: [],
      source: ref("parameters", i),
    };
  });
  const r = d.return_spec;
  const spec: Spec = {
    name: d.name.replace(/^sys_/, ""),
    summary: d.description ?? "",
    ...(prose(d.long_description, "long_description") ? { description: prose(d.long_description, "long_description")! } : {}),
    contexts: (d.context_flags ?? []).map((f) => normalise("context", f)),
    params,
    ...(r
      ? {
          return: {
            ...(tokenAt("type", r.return_type) ? { type: tokenAt("type", r.return_type)! } : {}),
            ...(tokenAt("returnCheck", r.check_type) ? { checkType: tokenAt("returnCheck", r.check_type)! } : {}),
            ...successOf(r),
            ...(r.error_values.length ? { errorValues: r.error_values.map(errnoText) } : {}),
            ...(nonEmpty(r.description) ? { description: r.description } : {}),
            extra: [],
            source: { file, line: lineOfKey(text, "return_spec") ?? firstLine },
          },
        }
      : {}),
    errors: (d.errors ?? []).map((e, i) => ({
      index: i,
      name: e.name,
      placeholder: /^\(.*\)$/.test(e.name),
      summary: e.condition,
      ...(nonEmpty(e.description) ? { description: e.description } : {}),
      conditions: splitConditions(e.description ?? ""),
      extra: [],
      source: ref("errors", i),
    })),
    locks: (d.locks ?? []).map((l, i) => ({
      index: i,
      name: l.lock_name,
      ...(tokenAt("lock", l.lock_type) ? { type: tokenAt("lock", l.lock_type)! } : {}),
      // Only the scope survives kapi JSON: a lock acquired and not released (or the reverse) says so;
      // INTERNAL, the common case, adds nothing the spec did not write.
      ...(l.scope === LOCK_ACQUIRES ? { acquired: "yes" } : {}),
      ...(l.scope === LOCK_RELEASES ? { released: "yes" } : {}),
      ...(nonEmpty(l.description) ? { description: l.description } : {}),
      extra: l.scope === LOCK_CALLER_HELD ? [{ key: "scope", value: "caller-held", source: ref("locks", i) }] : [],
      source: ref("locks", i),
    })),
    signals: (d.signals ?? []).map((s, i) => {
      const direction = tokensOf("signalDirection", s.direction)[0];
      const action = tokenAt("signalAction", s.action);
      const timing = tokenAt("signalTiming", s.timing);
      const error = s.error_on_signal === null ? undefined : errnoText(s.error_on_signal);
      return {
        index: i,
        name: s.signal_name,
        ...(direction ? { direction } : {}),
        ...(action ? { action } : {}),
        ...(nonEmpty(s.condition) ? { condition: s.condition! } : {}),
        ...(nonEmpty(s.description) ? { description: s.description! } : {}),
        ...(error ? { error, errno: error.replace(/^-/, "") } : {}),
        ...(timing ? { timing } : {}),
        ...(s.priority ? { priority: String(s.priority) } : {}),
        restartable: s.restartable ? "yes" : "no",
        interruptible: s.interruptible ? "yes" : "no",
        extra: [],
        source: ref("signals", i),
      };
    }),
    sideEffects: (d.side_effects ?? []).map((e, i) => ({
      index: i,
      types: e.effect_type === 0 ? [{ value: "NONE", raw: "KAPI_EFFECT_NONE", known: true }] : tokensOf("effect", e.effect_type),
      ...(nonEmpty(e.target) ? { target: e.target } : {}),
      ...(nonEmpty(e.condition) ? { condition: e.condition! } : {}),
      ...(nonEmpty(e.description) ? { description: e.description } : {}),
      reversible: e.reversible ? "yes" : "no",
      extra: [],
      source: ref("side_effects", i),
    })),
    stateTransitions: (d.state_transitions ?? []).map((t, i) => ({
      index: i,
      object: t.object,
      ...(nonEmpty(t.from_state) ? { from: t.from_state } : {}),
      ...(nonEmpty(t.to_state) ? { to: t.to_state } : {}),
      ...(nonEmpty(t.condition) ? { condition: t.condition! } : {}),
      ...(nonEmpty(t.description) ? { description: t.description } : {}),
      extra: [],
      source: ref("state_transitions", i),
    })),
    capabilities: (d.capabilities ?? []).map((c, i) => {
      const type = nonEmpty(c.action) ? normalise("capability", c.action) : undefined;
      return {
        index: i,
        name: c.name,
        ...(type ? { type } : {}),
        ...(nonEmpty(c.allows) ? { allows: c.allows } : {}),
        ...(nonEmpty(c.without_cap) ? { without: c.without_cap } : {}),
        ...(nonEmpty(c.check_condition) ? { condition: c.check_condition! } : {}),
        ...(c.priority !== null && c.priority !== undefined ? { priority: String(c.priority) } : {}),
        extra: [],
        source: ref("capabilities", i),
      };
    }),
    constraints: (d.constraints ?? []).map((c, i) => ({
      index: i,
      name: c.name,
      ...(nonEmpty(c.description) ? { description: c.description } : {}),
      ...(nonEmpty(c.expression) ? { expr: c.expression! } : {}),
      extra: [],
      source: ref("constraints", i),
    })),
    ...(prose(d.examples, "examples") ? { examples: prose(d.examples, "examples")! } : {}),
    ...(prose(d.notes, "notes") ? { notes: prose(d.notes, "notes")! } : {}),
    kerneldocParams: params.flatMap((p) => (p.headerDescription ? [{ name: p.name, description: p.headerDescription, source: p.source }] : [])),
    extra: [],
    source: {
      file,
      line: firstLine,
      endLine: text.trimEnd().split("\n").length,
      format: "kapi-json",
      dialect: "v5",
      // tools/kapi lists a syscall's parameters in call order: they are its arguments.
      syscallDefine: { name: d.name.replace(/^sys_/, ""), arity: params.length, args: params.map((p) => p.name), line: firstLine },
    },
  };
  return canonicalSpec(spec);
}

function lineOfKey(text: string, key: string): number | undefined {
  const at = text.indexOf(`"${key}"`);
  return at < 0 ? undefined : text.slice(0, at).split("\n").length;
}

/** Whether a text is a tools/kapi JSON document (rather than C, a patch or an archive page). */
export function isKapiJson(text: string): boolean {
  return /^\s*\{/.test(text) && /"api_details"\s*:/.test(text);
}

/** parseInput's counterpart for kapi JSON: one spec, or one diagnostic naming the problem. */
export function parseKapiJsonInput(file: string, text: string): ParseOutcome {
  try {
    return { specs: [fromKapiJson(file, text)], diagnostics: [], unattributed: [] };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { specs: [], diagnostics: [{ severity: "error", file, line: 1, code: "kapi-json", message: `cannot read tools/kapi JSON: ${message}` }], unattributed: [] };
  }
}

/**
 * What a canonical spec and kapi JSON both hold, in one comparable shape: the
 * fields above with enums by canonical name, numbers only where written as
 * numbers, errnos by name, success as the values it admits.
 */
export function sharedFields(spec: Spec): unknown {
  const known = (t: EnumToken | undefined) => (t?.known ? t.value : undefined);
  const flagBits = (v: Flagged, ts: EnumToken[]) => bitsOf(v, ts);
  const ret = spec.return;
  return {
    name: spec.name,
    summary: spec.summary,
    description: spec.description?.text,
    contexts: spec.contexts.filter((t) => t.known).map((t) => t.value),
    examples: spec.examples?.text,
    notes: spec.notes?.text,
    params: spec.params.map((p) => ({ index: p.index, name: p.name, header: p.headerDescription, type: known(p.type), flags: flagBits("paramFlag", p.flags), constraint: p.constraint, size: integerOf(p.size), ...constraintFields(p) })),
    return: ret && {
      type: known(ret.type),
      checkType: known(ret.checkType),
      description: ret.description,
      ...successFields(ret.success, ret.successRange),
      errorValues: (ret.errorValues ?? []).map((v) => negativeErrno(v)).filter((n) => n !== undefined),
    },
    errors: spec.errors.map((e) => ({ name: e.name, summary: e.summary, description: e.description, conditions: e.conditions })),
    locks: spec.locks.map((l) => ({
      name: l.name,
      type: known(l.type),
      description: l.description,
      scope: l.acquired !== undefined && l.released === undefined ? "acquires" : l.released !== undefined && l.acquired === undefined ? "releases" : "internal",
    })),
    signals: spec.signals.map((s) => ({
      name: s.name,
      direction: known(s.direction),
      action: known(s.action),
      timing: known(s.timing),
      condition: s.condition,
      description: s.description,
      errno: (s.errno ?? s.error) && negativeErrno((s.errno ?? s.error)!),
      restartable: yes(s.restartable),
      interruptible: yes(s.interruptible),
    })),
    sideEffects: spec.sideEffects.map((e) => ({ types: flagBits("effect", e.types), target: e.target, condition: e.condition, description: e.description, reversible: yes(e.reversible) })),
    stateTransitions: spec.stateTransitions.map((t) => ({ object: t.object, from: t.from, to: t.to, condition: t.condition, description: t.description })),
    capabilities: spec.capabilities.map((c) => ({ name: c.name, type: known(c.type), allows: c.allows, without: c.without, condition: c.condition, priority: integerOf(c.priority) })),
    constraints: spec.constraints.map((c) => ({ name: c.name, description: c.description, expr: c.expr })),
  };
}
