// SPDX-License-Identifier: GPL-2.0-only
// `constraint-type:` in both dialects: the v5 constant (KAPI_CONSTRAINT_RANGE, with
// its bounds in separate sub-fields) and the v4 function form (range(0, INT_MAX),
// buffer(2), mask(A | B), ...). Both become one structured ConstraintType.
import type { ConstraintType } from "./model.js";
import { normalise } from "./vocabulary.js";

/** Split on commas that are not inside parentheses. */
export function splitTopLevel(text: string, separator = ","): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth = Math.max(0, depth - 1);
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

function index(arg: string | undefined): number | undefined {
  return arg !== undefined && /^\d+$/.test(arg) ? Number(arg) : undefined;
}

/** Parse a `constraint-type:` value as written. */
export function parseConstraintType(raw: string): ConstraintType {
  const text = raw.trim();
  const call = /^([A-Za-z_]\w*)\s*\(([\s\S]*)\)$/.exec(text);
  const head = call ? call[1]! : text;
  const args = call ? call[2]!.trim() : undefined;
  const token = normalise("constraint", head);
  if (!token.known) return { kind: "UNKNOWN", raw: text };
  switch (token.value) {
    case "RANGE": {
      if (args === undefined) return { kind: "RANGE", raw: text };
      const [min, max] = splitTopLevel(args);
      return { kind: "RANGE", raw: text, ...(min ? { min } : {}), ...(max ? { max } : {}) };
    }
    case "MASK":
      return { kind: "MASK", raw: text, ...(args ? { mask: args } : {}) };
    case "ENUM":
      return { kind: "ENUM", raw: text, values: args ? splitTopLevel(args).filter((v) => v !== "") : [] };
    case "BUFFER": {
      const i = index(args);
      return { kind: "BUFFER", raw: text, ...(i !== undefined ? { sizeParamIndex: i } : {}) };
    }
    case "ALIGNMENT":
      return { kind: "ALIGNMENT", raw: text, ...(args ? { alignment: args } : {}) };
    case "USER_STRING":
      // user_string(N): N is the maximum length as written (a number or a constant).
      return { kind: "USER_STRING", raw: text, ...(args ? { maxLen: args } : {}) };
    case "CUSTOM":
      return { kind: "CUSTOM", raw: text, ...(args ? { fn: args } : {}) };
    case "NONE":
    case "POWER_OF_TWO":
    case "PAGE_ALIGNED":
    case "NONZERO":
    case "USER_PATH":
    case "USER_PTR":
      return { kind: token.value, raw: text };
    default:
      return { kind: "UNKNOWN", raw: text };
  }
}

/** True when the value uses the v4 function form, e.g. `range(0, INT_MAX)`. */
export function isFunctionForm(raw: string): boolean {
  return /^[A-Za-z_]\w*\s*\(/.test(raw.trim());
}
