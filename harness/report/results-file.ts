// SPDX-License-Identifier: GPL-2.0-only
// Reads a saved results.json back (kapi-conform report DIR) and checks that it
// has every field the reports are made from, so a truncated or hand-edited
// file is one clear InputError instead of a crash halfway through rendering.
import { readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import { InputError } from "../cli/errors.js";
import { totalsOf, VERDICTS } from "../run/verdicts.js";
import { COVERAGE_STATUSES, type RunResults } from "../run/results.js";
import type { DriftReport } from "../drift/report.js";

const str = { type: "string" };
const int = { type: "integer" };
const num = { type: "number" };
const object = (properties: Record<string, object>, required = Object.keys(properties)) => ({ type: "object", properties, required });

// Only what the renderers read is required; extra fields are kept, as newer versions may add some.
const SCHEMA = object({
  tool: object({ name: str, version: str }),
  startedAt: str,
  durationMs: num,
  status: { enum: ["running", "interrupted", "complete"] },
  kernel: object({ release: str, version: str, machine: str, arch: str, config: { type: "object", additionalProperties: str } }),
  specs: { type: "array", items: object({ name: str, file: str, line: int, format: str, dialect: str }) },
  unsuited: { type: "array", items: object({ name: str, file: str, line: int, items: int }) },
  cases: {
    type: "array",
    items: object(
      {
        id: { type: "string", minLength: 1 },
        syscall: { type: "string", minLength: 1 },
        title: str,
        scenario: str,
        specRef: object({ section: str, index: int, summary: str, errno: str, file: str, line: int }, ["section", "index", "summary", "file", "line"]),
        verdict: { enum: VERDICTS },
        expected: object({ outcome: str }),
        observed: { type: "object" },
        reason: str,
        detail: str,
        call: str,
        durationMs: num,
        expectedFailure: object({ pattern: str, reason: str, link: str, file: str, line: int, verdict: { enum: ["pass", "fail"] } }),
      },
      ["id", "syscall", "title", "scenario", "specRef", "verdict", "expected", "observed", "durationMs"],
    ),
  },
  coverage: {
    type: "array",
    items: object(
      { syscall: str, section: str, index: int, summary: str, line: int, status: { enum: COVERAGE_STATUSES }, caseIds: { type: "array", items: str }, reason: str },
      ["syscall", "section", "index", "summary", "line", "status", "caseIds"],
    ),
  },
  observations: { type: "array", items: object({ id: str, title: str, text: str }) },
  totals: { type: "object" },
  gate: object({ expectations: str, strict: { type: "boolean" } }, ["strict"]),
}, ["tool", "startedAt", "durationMs", "status", "kernel", "specs", "unsuited", "cases", "coverage", "observations", "totals"]);

const validate = new Ajv({ allErrors: false }).compile<RunResults>(SCHEMA);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * A results.json written before runs held several syscalls (one `spec`, no
 * `specs`, `unsuited`, `status`, nor `syscall` on cases and coverage rows),
 * in today's shape. Such a file was only written once its run had finished.
 * Anything else is returned as it is, for the schema to judge.
 */
export function upgradeResults(value: unknown): unknown {
  if (!isObject(value) || "specs" in value || !isObject(value.spec) || typeof value.spec.name !== "string") return value;
  const { spec, ...rest } = value;
  const name = spec.name as string;
  const syscallOf = (c: unknown): unknown => (isObject(c) && !("syscall" in c) ? { ...c, syscall: typeof c.id === "string" ? c.id.split(".")[0] || name : name } : c);
  return {
    ...rest,
    status: "complete",
    specs: [spec],
    unsuited: [],
    ...(Array.isArray(value.cases) ? { cases: value.cases.map(syscallOf) } : {}),
    ...(Array.isArray(value.coverage) ? { coverage: value.coverage.map((r) => (isObject(r) && !("syscall" in r) ? { ...r, syscall: name } : r)) } : {}),
  };
}

/** Validate a parsed results document (older shape converted, totals recomputed); throws InputError naming the file and the first problem. */
export function checkResults(input: unknown, file: string): RunResults {
  // The marker startReports() leaves: a run that started and never wrote its results.
  if (isObject(input) && (input.status === "running" || input.status === "interrupted") && !Array.isArray(input.cases)) {
    throw new InputError(`${file}: the run that wrote it did not finish (status: ${input.status}); no results to report`);
  }
  const value = upgradeResults(input);
  if (validate(value)) return { ...value, totals: totalsOf(value.cases) };
  const e = validate.errors?.[0];
  const where = e?.instancePath ? e.instancePath.replace(/^\//, "").replace(/\//g, ".") : "the document";
  const allowed = e?.params && "allowedValues" in e.params ? ` (${(e.params.allowedValues as unknown[]).join(", ")})` : "";
  throw new InputError(`${file}: not a kapi-conform results file: ${where} ${e?.message ?? "is invalid"}${allowed}`);
}

/** A JSON file's value; undefined when `optional` and the file does not exist. */
async function readJson(file: string, optional: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && optional) return undefined;
    throw new InputError(`cannot read '${file}': ${code === "ENOENT" ? "no such file (write it with 'kapi-conform run --reports DIR')" : (err as Error).message.split("\n")[0]}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON: ${(err as Error).message.split("\n")[0]}`);
  }
}

export async function readResults(file: string): Promise<RunResults> {
  return checkResults(await readJson(file, false), file);
}

/**
 * The drift reports a run saved beside its results, if any: drift.json holds
 * one report (a one-syscall run, or `kapi-conform drift`) or an array of them
 * (one per syscall). A malformed one is an InputError.
 */
export async function readDrift(file: string): Promise<DriftReport[] | undefined> {
  const value = await readJson(file, true);
  return value === undefined ? undefined : checkDrift(value, file);
}

/** A parsed drift.json as a list of reports; InputError naming `file` when it is none. */
export function checkDrift(value: unknown, file: string): DriftReport[] {
  const reports = Array.isArray(value) ? value : [value];
  for (const r of reports as Array<Partial<DriftReport> | null>) {
    if (!r || !Array.isArray(r.rows) || !Array.isArray(r.libraries) || typeof r.syscall !== "string") {
      throw new InputError(`${file}: not a kapi-conform drift report (needs syscall, rows and libraries)`);
    }
  }
  return reports as DriftReport[];
}
