// SPDX-License-Identifier: GPL-2.0-only
// Lint: the parser's own findings (unknown sections, sub-fields and enum
// tokens, malformed lines, unattributed text) plus checks that need a whole
// spec: @param header lines against the param: blocks and SYSCALL_DEFINEn,
// success: against check-type:, duplicate params, nameless error: blocks,
// errnos that two places attach to one condition (contradictions.ts, a
// warning), and the JSON schema. Every finding names file:line.
import type { Diagnostic, Param, ReturnSpec, Spec } from "./model.js";
import type { ParseOutcome } from "./load.js";
import { loadSpecs } from "./load.js";
import { diagnostic, sortDiagnostics } from "./diagnostic.js";
import { validateSpec } from "./schema.js";
import { contradictionDiagnostics } from "./contradictions.js";

export interface LintResult {
  outcome: ParseOutcome;
  diagnostics: Diagnostic[];
}

/** Read, parse and lint the inputs (InputError as loadSpecs). */
export async function lintInputs(inputs: string[]): Promise<LintResult> {
  const outcome = await loadSpecs(inputs);
  return { outcome, diagnostics: lintOutcome(outcome) };
}

/** All findings for a parse outcome, sorted by file and line. */
export function lintOutcome(outcome: ParseOutcome): Diagnostic[] {
  const found: Diagnostic[] = [...outcome.diagnostics];
  for (const u of outcome.unattributed) {
    found.push(diagnostic("error", u.file, u.line, "unattributed-line", `text not attributed to any field: '${u.text}'`));
  }
  for (const spec of outcome.specs) found.push(...lintSpec(spec));
  return sortDiagnostics(found);
}

/** The whole-spec checks. */
export function lintSpec(spec: Spec): Diagnostic[] {
  const found: Diagnostic[] = [];
  const file = spec.source.file;
  const add = (severity: "error" | "warning", line: number, code: string, message: string) =>
    found.push(diagnostic(severity, file, line, code, message));

  // Params: names present, unique, matching the kerneldoc header and the definition.
  const byName = new Map<string, Param>();
  for (const p of spec.params) {
    if (p.name === "") add("error", p.source.line, "param-without-name", "'param:' block without a parameter name");
    else if (byName.has(p.name)) {
      add("error", p.source.line, "duplicate-param", `parameter '${p.name}' is specified twice (first at line ${byName.get(p.name)!.source.line})`);
    } else byName.set(p.name, p);
  }
  const headers = spec.kerneldocParams;
  if (headers.length === 0 && spec.params.length > 0) {
    add("warning", spec.source.line, "param-header", "the kerneldoc header has no '@name:' lines");
  } else {
    const headerNames = new Set(headers.map((h) => h.name));
    for (const h of headers) {
      if (!byName.has(h.name)) add("error", h.source.line, "param-header", `'@${h.name}:' has no matching 'param: ${h.name}' block`);
    }
    for (const p of byName.values()) {
      if (!headerNames.has(p.name)) add("error", p.source.line, "param-header", `'param: ${p.name}' has no '@${p.name}:' line in the header`);
    }
    const inBoth = (n: string) => byName.has(n) && headerNames.has(n);
    const headerOrder = headers.map((h) => h.name).filter(inBoth);
    const blockOrder = [...byName.keys()].filter(inBoth);
    const at = blockOrder.findIndex((n, i) => headerOrder[i] !== n);
    if (at >= 0) {
      const p = byName.get(blockOrder[at]!)!;
      add("error", p.source.line, "param-header", `'param: ${p.name}' is out of order: the header lists '@${headerOrder[at]}' in that position`);
    }
  }
  const define = spec.source.syscallDefine;
  if (!define) {
    add("warning", spec.source.line, "no-syscall-define", "no SYSCALL_DEFINEn follows the KAPI comment");
  } else {
    if (spec.name !== "" && define.name !== "" && define.name !== spec.name) {
      add("error", define.line, "name-mismatch", `SYSCALL_DEFINE${define.arity}(${define.name}) follows the spec of '${spec.name}'`);
    }
    if (spec.params.length !== define.arity) {
      add("error", define.line, "param-arity", `SYSCALL_DEFINE${define.arity} takes ${define.arity} arguments but the spec has ${spec.params.length} 'param:' blocks`);
    } else {
      // Names by position only when the counts agree; otherwise every later name would be reported too.
      define.args.forEach((arg, i) => {
        const p = spec.params[i];
        if (p && p.name !== "" && p.name !== arg) {
          add("error", p.source.line, "param-arity", `'param: ${p.name}' is argument ${i + 1}, which SYSCALL_DEFINE${define.arity} names '${arg}'`);
        }
      });
    }
  }

  if (spec.return) {
    const why = successContradiction(spec.return);
    if (why) add("error", spec.return.source.line, "success-check-type", why);
  }

  for (const e of spec.errors) {
    if (e.name === "") add("error", e.source.line, "error-without-name", "'error:' block without an errno name (expected 'error: ENAME, summary')");
    else if (!e.placeholder && !/^E[A-Z0-9]+$/.test(e.name)) {
      add("warning", e.source.line, "error-name", `'${e.name}' is neither an errno symbol nor a '(placeholder)'`);
    }
    if (e.name !== "" && e.summary === "") add("warning", e.source.line, "error-without-summary", `'error: ${e.name}' has no summary`);
  }

  // A warning, never an error: the kernel decides which side is wrong, and the run still runs.
  found.push(...contradictionDiagnostics(spec));

  const schema = validateSpec(spec);
  for (const message of schema.errors) add("error", spec.source.line, "schema", `spec does not match the JSON schema: ${message}`);
  return found;
}

/** Why `success:` cannot hold under `check-type:`, or undefined when it can. */
export function successContradiction(r: ReturnSpec): string | undefined {
  const check = r.checkType;
  const s = r.success;
  if (!check || !s || !check.known) return undefined;
  const negative =
    (s.kind === "exact" && (s.negated === true || (s.value !== undefined && s.value.startsWith("-")))) ||
    (s.kind === "range" && (s.op === "<" || s.op === "<="));
  switch (check.value) {
    case "EXACT":
      return s.kind === "range" ? `check-type ${check.raw} needs an exact success value, not the range '${s.raw}'` : undefined;
    case "RANGE":
      return s.kind === "exact" ? `check-type ${check.raw} needs a success range (e.g. '>= 0'), not the exact value '${s.raw}'` : undefined;
    case "FD":
      return negative ? `check-type ${check.raw} returns a descriptor (>= 0), but success is '${s.raw}'` : undefined;
    case "NO_RETURN":
      return `check-type ${check.raw} never returns, but a success value '${s.raw}' is given`;
    default:
      return undefined;
  }
}
