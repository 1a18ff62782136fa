// SPDX-License-Identifier: GPL-2.0-only
// Validates canonical specs against specs/kapi-spec.schema.json (JSON Schema
// 2020-12, ajv). The schema is read from the package root at run time, so the
// checked-in file is the one source of truth for consumers outside TypeScript.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "./root.js";

export const SCHEMA_FILE = "specs/kapi-spec.schema.json";

export function schemaPath(): string {
  return path.join(packageRoot(), SCHEMA_FILE);
}

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(schemaPath(), "utf8")) as object;
    compiled = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  }
  return compiled;
}

export interface SchemaResult {
  valid: boolean;
  /** One line per violation: JSON pointer and message. */
  errors: string[];
}

/** Validate one spec (any JSON value) against the schema. */
export function validateSpec(spec: unknown): SchemaResult {
  const validate = validator();
  // Validate the JSON form: that is what the schema describes and what consumers read.
  const valid = validate(JSON.parse(JSON.stringify(spec)));
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` ('${String(e.params.additionalProperty)}')` : ""}`);
  return { valid: valid === true, errors };
}
