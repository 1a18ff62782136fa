// SPDX-License-Identifier: GPL-2.0-only
// The KAPI vocabulary: section and sub-field keys, and the enum tables of
// include/linux/kernel_api_spec.h with the lower-case v4 aliases. Both dialects
// normalise to one spelling (upper case, no KAPI_ prefix) so nothing downstream
// has to know which dialect a spec was written in.
import type { EnumToken } from "./model.js";

export type Vocabulary =
  | "type"
  | "paramFlag"
  | "context"
  | "lock"
  | "constraint"
  | "returnCheck"
  | "signalDirection"
  | "signalAction"
  | "signalTiming"
  | "capability"
  | "effect";

interface Table {
  prefix: string;
  values: ReadonlySet<string>;
  /** Lower-case v4 spellings that are not simply the canonical name in lower case. */
  aliases: Readonly<Record<string, string>>;
}

function table(prefix: string, values: string, aliases: Record<string, string> = {}): Table {
  return { prefix, values: new Set(values.split(/\s+/)), aliases };
}

const TABLES: Readonly<Record<Vocabulary, Table>> = {
  type: table("KAPI_TYPE_", "VOID INT UINT PTR STRUCT UNION ENUM FUNC_PTR ARRAY FD USER_PTR PATH CUSTOM", { uptr: "USER_PTR" }),
  paramFlag: table("KAPI_PARAM_", "IN OUT INOUT OPTIONAL CONST VOLATILE USER DMA ALIGNED", { input: "IN", output: "OUT" }),
  context: table("KAPI_CTX_", "PROCESS SOFTIRQ HARDIRQ NMI ATOMIC SLEEPABLE PREEMPT_DISABLED IRQ_DISABLED"),
  lock: table("KAPI_LOCK_", "NONE MUTEX SPINLOCK RWLOCK SEQLOCK RCU SEMAPHORE CUSTOM"),
  constraint: table(
    "KAPI_CONSTRAINT_",
    "NONE RANGE MASK ENUM ALIGNMENT POWER_OF_TWO PAGE_ALIGNED NONZERO USER_STRING USER_PATH USER_PTR BUFFER CUSTOM",
  ),
  returnCheck: table("KAPI_RETURN_", "EXACT RANGE ERROR_CHECK FD CUSTOM NO_RETURN"),
  signalDirection: table("KAPI_SIGNAL_", "RECEIVE SEND HANDLE BLOCK IGNORE"),
  signalAction: table(
    "KAPI_SIGNAL_ACTION_",
    "DEFAULT TERMINATE COREDUMP STOP CONTINUE CUSTOM RETURN RESTART QUEUE DISCARD TRANSFORM",
  ),
  signalTiming: table("KAPI_SIGNAL_TIME_", "ENTRY DURING EXIT ANYTIME BLOCKING SLEEPING BEFORE AFTER"),
  capability: table(
    "KAPI_CAP_",
    "BYPASS_CHECK INCREASE_LIMIT OVERRIDE_RESTRICTION GRANT_PERMISSION MODIFY_BEHAVIOR ACCESS_RESOURCE PERFORM_OPERATION",
  ),
  effect: table(
    "KAPI_EFFECT_",
    "NONE ALLOC_MEMORY FREE_MEMORY MODIFY_STATE SIGNAL_SEND FILE_POSITION LOCK_ACQUIRE LOCK_RELEASE " +
      "RESOURCE_CREATE RESOURCE_DESTROY SCHEDULE HARDWARE NETWORK FILESYSTEM PROCESS_STATE IRREVERSIBLE",
  ),
};

/** Normalise one token of a vocabulary; unknown tokens pass through with known:false. */
export function normalise(vocabulary: Vocabulary, raw: string): EnumToken {
  const t = TABLES[vocabulary];
  const token = raw.trim();
  // Own keys only: "constructor" or "toString" must not find Object.prototype's.
  const lower = token.toLowerCase();
  const alias = Object.hasOwn(t.aliases, lower) ? t.aliases[lower] : undefined;
  let value: string;
  if (alias !== undefined) value = alias;
  else {
    const upper = token.toUpperCase().replace(/[^A-Z0-9_]+/g, "_");
    value = upper.startsWith(t.prefix) ? upper.slice(t.prefix.length) : upper;
  }
  return { value, raw: token, known: t.values.has(value) };
}

/** Split a `A | B` or `a, b` list and normalise each token. */
export function normaliseList(vocabulary: Vocabulary, raw: string): EnumToken[] {
  return raw
    .split(/[|,]/)
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => normalise(vocabulary, s));
}

/** Which dialect a token's spelling points to, if any. */
export function tokenDialect(raw: string): "v5" | "v4" | undefined {
  if (/^KAPI_/.test(raw)) return "v5";
  if (/[a-z]/.test(raw)) return "v4";
  return undefined;
}

/** Top-level section keys. Prose sections take no sub-fields; list sections take none either. */
export const PROSE_SECTIONS: ReadonlySet<string> = new Set(["long-desc", "notes", "examples"]);
export const VALUE_SECTIONS: ReadonlySet<string> = new Set(["context-flags", "contexts", "since-version"]);
export const ITEM_SECTIONS: ReadonlySet<string> = new Set([
  "param",
  "return",
  "error",
  "lock",
  "signal",
  "side-effect",
  "state-trans",
  "capability",
  "constraint",
]);

export function isSectionKey(key: string): boolean {
  return PROSE_SECTIONS.has(key) || VALUE_SECTIONS.has(key) || ITEM_SECTIONS.has(key);
}

/** Sections that appear only once per spec: prose and value sections, and the return clause. */
export const SINGLE_SECTIONS: ReadonlySet<string> = new Set([...PROSE_SECTIONS, ...VALUE_SECTIONS, "return"]);

/** Sections plain kerneldoc also uses; they alone do not make a comment a KAPI block. */
const KERNELDOC_SECTIONS: ReadonlySet<string> = new Set(["return", "notes", "examples"]);

/** Sections whose presence makes a kerneldoc comment a KAPI block. */
export const KAPI_MARKER_SECTIONS: ReadonlySet<string> = new Set(
  [...PROSE_SECTIONS, ...VALUE_SECTIONS, ...ITEM_SECTIONS].filter((k) => !KERNELDOC_SECTIONS.has(k)),
);

/** Known sub-fields per item section (v5 and v4 spellings). */
export const FIELD_KEYS: Readonly<Record<string, ReadonlySet<string>>> = {
  param: new Set([
    "type",
    "flags",
    "constraint-type",
    "constraint",
    "cdesc",
    "size",
    "size-param",
    "range",
    "valid-mask",
    "arch-mask",
  ]),
  return: new Set(["type", "check-type", "success", "success-range", "error-values", "desc"]),
  error: new Set(["desc"]),
  lock: new Set(["type", "acquired", "released", "desc"]),
  signal: new Set([
    "direction",
    "action",
    "condition",
    "desc",
    "error",
    "errno",
    "timing",
    "priority",
    "restartable",
    "interruptible",
  ]),
  "side-effect": new Set(["target", "condition", "desc", "reversible", "includes"]),
  "state-trans": new Set(["from", "to", "condition", "desc"]),
  capability: new Set(["type", "allows", "without", "condition", "priority"]),
  constraint: new Set(["desc", "expr"]),
};

/** Sub-fields that may repeat within one item. */
export const REPEATABLE_FIELDS: ReadonlySet<string> = new Set(["param/arch-mask"]);
