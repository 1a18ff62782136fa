// SPDX-License-Identifier: GPL-2.0-only
// Reads a saved results.json back (kapi-conform report DIR) and checks that it
// has every field the reports are made from, so a truncated or hand-edited
// file is one clear InputError instead of a crash halfway through rendering.
import { readFile } from "node:fs/promises";
import { Ajv } from "ajv";
import { InputError } from "../cli/errors.js";
import { totalsOf, VERDICTS } from "../run/verdicts.js";
import type { RunResults } from "../run/results.js";
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
  kernel: object({ release: str, version: str, machine: str, arch: str, config: { type: "object", additionalProperties: str } }),
  spec: object({ name: str, file: str, line: int, format: str, dialect: str }),
  cases: {
    type: "array",
    items: object(
      {
        id: { type: "string", minLength: 1 },
        title: str,
        scenario: str,
        specRef: object({ section: str, index: int, summary: str, errno: str, file: str, line: int }, ["section", "index", "summary", "file", "line"]),
        verdict: { enum: VERDICTS },
        expected: object({ outcome: str }),
        observed: { type: "object" },
        reason: str,
        durationMs: num,
        expectedFailure: object({ pattern: str, reason: str, link: str, file: str, line: int, verdict: { enum: ["pass", "fail"] } }),
      },
      ["id", "title", "scenario", "specRef", "verdict", "expected", "observed", "durationMs"],
    ),
  },
  coverage: {
    type: "array",
    items: object({ section: str, index: int, summary: str, line: int, status: str, caseIds: { type: "array", items: str }, reason: str }, ["section", "index", "summary", "line", "status", "caseIds"]),
  },
  observations: { type: "array", items: object({ id: str, title: str, text: str }) },
  totals: { type: "object" },
  gate: object({ expectations: str, strict: { type: "boolean" } }, ["strict"]),
}, ["tool", "startedAt", "durationMs", "kernel", "spec", "cases", "coverage", "observations", "totals"]);

const validate = new Ajv({ allErrors: false }).compile<RunResults>(SCHEMA);

/** Validate a parsed results document (totals recomputed); throws InputError naming the file and the first problem. */
export function checkResults(value: unknown, file: string): RunResults {
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

/** The drift report a run saved beside its results, if any; a malformed one is an InputError. */
export async function readDrift(file: string): Promise<DriftReport | undefined> {
  const value = await readJson(file, true);
  if (value === undefined) return undefined;
  const report = value as Partial<DriftReport> | null;
  if (!report || !Array.isArray(report.rows) || !Array.isArray(report.libraries) || typeof report.syscall !== "string") {
    throw new InputError(`${file}: not a kapi-conform drift report (needs syscall, rows and libraries)`);
  }
  return report as DriftReport;
}
