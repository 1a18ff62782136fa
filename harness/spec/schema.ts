// SPDX-License-Identifier: GPL-2.0-only
// Validates canonical specs against specs/kapi-spec.schema.json (JSON Schema
// 2020-12, ajv). The schema is read from the package root at run time, so the
// checked-in file is the one source of truth for consumers outside TypeScript.
//
// Compiling the schema takes about 120 ms, on every `run` and `lint`; ajv's
// standalone code of the compiled validator loads in a few. It is kept in
// node_modules/.cache/kapi-conform/ (the cache directory packages share),
// named by a hash of the schema text, ajv's version and the options, so an
// edited schema or another ajv compiles afresh. Without node_modules (the
// kselftest bundle), or where it cannot be written, the schema is compiled
// each time; a saved file that does not load is compiled over.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "./root.js";

export const SCHEMA_FILE = "specs/kapi-spec.schema.json";

export function schemaPath(): string {
  return path.join(packageRoot(), SCHEMA_FILE);
}

const OPTIONS = { allErrors: true, strict: true } as const;
const requireHere = createRequire(import.meta.url);

/** The shared cache directory under the project's node_modules, or undefined without one. */
export function defaultCacheDir(): string | undefined {
  const modules = path.join(packageRoot(), "node_modules");
  return existsSync(path.join(modules, "ajv")) ? path.join(modules, ".cache", "kapi-conform") : undefined;
}

/** The file the validator of `schemaText` is saved in under `cacheDir`. */
export function validatorFile(cacheDir: string, schemaText: string): string {
  const ajvVersion = (requireHere("ajv/package.json") as { version: string }).version;
  const key = createHash("sha256").update(`${ajvVersion}\0${JSON.stringify(OPTIONS)}\0${schemaText}`).digest("hex").slice(0, 20);
  return path.join(cacheDir, `kapi-spec.schema.${key}.cjs`);
}

function loadSaved(file: string): ValidateFunction | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const saved: unknown = requireHere(file);
    return typeof saved === "function" ? (saved as ValidateFunction) : undefined;
  } catch {
    return undefined;
  }
}

function save(file: string, code: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // Renamed into place: a reader never loads half a file.
    const staged = `${file}.${process.pid}.tmp`;
    writeFileSync(staged, code);
    renameSync(staged, file);
  } catch {
    // A read-only tree: compile next time too.
  }
}

/** The schema's validator: loaded from `cacheDir` when saved there, else compiled (and saved). */
export function schemaValidator(cacheDir: string | undefined = defaultCacheDir()): ValidateFunction {
  const text = readFileSync(schemaPath(), "utf8");
  const file = cacheDir === undefined ? undefined : validatorFile(cacheDir, text);
  const saved = file === undefined ? undefined : loadSaved(file);
  if (saved) return saved;
  // ajv itself (about 25 ms to load) only when compiling. Written as one
  // createRequire(...)(...) call each, which the kselftest bundle turns into a require it bundles.
  const { Ajv2020 } = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const ajv = new Ajv2020({ ...OPTIONS, code: { source: true } });
  const validate = ajv.compile(JSON.parse(text) as object);
  if (file !== undefined) {
    const standalone = createRequire(import.meta.url)("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js");
    save(file, standalone.default(ajv, validate));
  }
  return validate;
}

let compiled: ValidateFunction | undefined;

export interface SchemaResult {
  valid: boolean;
  /** One line per violation: JSON pointer and message. */
  errors: string[];
}

/** Validate one spec (any JSON value) against the schema. */
export function validateSpec(spec: unknown): SchemaResult {
  const validate = (compiled ??= schemaValidator());
  // Validate the JSON form: that is what the schema describes and what consumers read.
  const valid = validate(JSON.parse(JSON.stringify(spec)));
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` ('${String(e.params.additionalProperty)}')` : ""}`);
  return { valid: valid === true, errors };
}
