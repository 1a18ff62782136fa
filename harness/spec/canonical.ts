// SPDX-License-Identifier: GPL-2.0-only
// Puts a parsed spec's keys in the order model.ts declares them and drops
// undefined ones, so the JSON reads top-down (name, then detail, then source)
// and diffs of checked-in specs stay small whatever order fields were written in.
import type { Spec } from "./model.js";

const SOURCE = ["file", "line"];
const TOKEN = ["value", "raw", "known"];
const EXTRA = ["key", "value", "source"];

type Shape = { keys: readonly string[]; children?: Readonly<Record<string, Shape>> };

const source: Shape = { keys: SOURCE };
const token: Shape = { keys: TOKEN };
const extra: Shape = { keys: EXTRA, children: { source } };
const prose: Shape = { keys: ["text", "textLines", "source"], children: { source } };
const common = { extra, source, type: token };

const SPEC: Shape = {
  keys: [
    "name", "summary", "description", "contexts", "params", "return", "errors", "locks", "signals",
    "sideEffects", "stateTransitions", "capabilities", "constraints", "examples", "notes", "since",
    "kerneldocParams", "extra", "source",
  ],
  children: {
    description: prose,
    examples: prose,
    notes: prose,
    contexts: token,
    extra,
    kerneldocParams: { keys: ["name", "description", "source"], children: { source } },
    params: {
      keys: [
        "index", "name", "headerDescription", "type", "flags", "constraintType", "constraint", "size",
        "sizeParam", "range", "validMask", "archMask", "textLines", "extra", "source",
      ],
      children: {
        ...common,
        flags: token,
        constraintType: { keys: ["kind", "raw", "min", "max", "mask", "values", "sizeParamIndex", "alignment", "maxLenParamIndex", "maxLen", "fn"] },
        range: { keys: ["min", "max"] },
      },
    },
    return: {
      keys: ["type", "checkType", "success", "successRange", "errorValues", "description", "textLines", "extra", "source"],
      children: { ...common, checkType: token, success: { keys: ["kind", "raw", "value", "symbol", "negated", "op", "bound"] } },
    },
    errors: { keys: ["index", "name", "placeholder", "summary", "description", "conditions", "textLines", "extra", "source"], children: common },
    locks: { keys: ["index", "name", "type", "acquired", "released", "description", "textLines", "extra", "source"], children: common },
    signals: {
      keys: [
        "index", "name", "direction", "action", "condition", "description", "error", "errno", "timing",
        "priority", "restartable", "interruptible", "textLines", "extra", "source",
      ],
      children: { ...common, direction: token, action: token, timing: token },
    },
    sideEffects: {
      keys: ["index", "types", "target", "condition", "description", "reversible", "includes", "textLines", "extra", "source"],
      children: { ...common, types: token },
    },
    stateTransitions: { keys: ["index", "object", "from", "to", "condition", "description", "textLines", "extra", "source"], children: common },
    capabilities: { keys: ["index", "name", "type", "allows", "without", "condition", "priority", "textLines", "extra", "source"], children: common },
    constraints: { keys: ["index", "name", "description", "expr", "textLines", "extra", "source"], children: common },
    source: {
      keys: ["file", "line", "endLine", "format", "kernelFile", "kernelLine", "dialect", "syscallDefine"],
      children: { syscallDefine: { keys: ["name", "arity", "args", "line"] } },
    },
  },
};

function order(value: unknown, shape: Shape): unknown {
  if (Array.isArray(value)) return value.map((v) => order(v, shape));
  if (value === null || typeof value !== "object") return value;
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  // Declared keys first, in order; anything undeclared after them, so nothing is ever dropped.
  const keys = [...shape.keys, ...Object.keys(input).filter((k) => !shape.keys.includes(k))];
  for (const k of keys) {
    const v = input[k];
    if (v === undefined) continue;
    const child = shape.children?.[k];
    out[k] = child ? order(v, child) : v;
  }
  return out;
}

export function canonicalSpec(spec: Spec): Spec {
  return order(spec, SPEC) as Spec;
}
