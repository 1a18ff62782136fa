// SPDX-License-Identifier: GPL-2.0-only
// Validates canonical specs against specs/kapi-spec.schema.json (JSON Schema
// 2020-12, ajv). The schema is read from the package root at run time, so the
// checked-in file is the one source of truth for consumers outside TypeScript.
//
// Compiling the schema takes about 120 ms here and 9 s in a VM under TCG, on
// every `run` and `lint`; ajv's standalone code of the compiled validator
// loads in a few. A saved validator is named by a hash of the schema text,
// ajv's version and the options, so an edited schema or another ajv is
// compiled afresh. It is looked for in the package's validators/ (the
// kselftest bundle ships one, made when the package is), then in
// node_modules/.cache/kapi-conform/ (the cache directory packages share),
// where a fresh compile is saved. A saved file that does not load is
// compiled over; where nothing can be written, the schema is compiled each time.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "./root.js";

export const SCHEMA_FILE = "specs/kapi-spec.schema.json";
/** The package's own saved validators, made with the package (package/bundle.ts). */
export const PRECOMPILED_DIR = "validators";

export function schemaPath(): string {
  return path.join(packageRoot(), SCHEMA_FILE);
}

const OPTIONS = { allErrors: true, strict: true } as const;
const requireHere = createRequire(import.meta.url);

/** The shared cache directory under the project's node_modules, or undefined without one. */
function defaultCacheDir(): string | undefined {
  const modules = path.join(packageRoot(), "node_modules");
  return existsSync(path.join(modules, "ajv")) ? path.join(modules, ".cache", "kapi-conform") : undefined;
}

/** The name a saved validator of `schemaText` has. */
export function validatorName(schemaText: string): string {
  // One createRequire(...)(...) call: the kselftest bundle turns it into a require it bundles.
  const ajvVersion = (createRequire(import.meta.url)("ajv/package.json") as { version: string }).version;
  const key = createHash("sha256").update(`${ajvVersion}\0${JSON.stringify(OPTIONS)}\0${schemaText}`).digest("hex").slice(0, 20);
  return `kapi-spec.schema.${key}.cjs`;
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

/** The compiled validator of the schema text, and its standalone code on demand. */
function compile(text: string): { validate: ValidateFunction; code: () => string } {
  // ajv itself (about 25 ms to load) only when compiling. One createRequire(...)(...) call each (see above).
  const { Ajv2020 } = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  const ajv = new Ajv2020({ ...OPTIONS, code: { source: true } });
  const validate = ajv.compile(JSON.parse(text) as object);
  return {
    validate,
    code: () => (createRequire(import.meta.url)("ajv/dist/standalone/index.js") as typeof import("ajv/dist/standalone/index.js")).default(ajv, validate),
  };
}

/**
 * The schema's validator: loaded from `precompiled` or `cacheDir` when saved
 * there, else compiled (and saved in `cacheDir`).
 */
export function schemaValidator(cacheDir: string | undefined = defaultCacheDir(), precompiled: string = path.join(packageRoot(), PRECOMPILED_DIR)): ValidateFunction {
  const text = readFileSync(schemaPath(), "utf8");
  const name = validatorName(text);
  for (const dir of [precompiled, cacheDir]) {
    const saved = dir === undefined ? undefined : loadSaved(path.join(dir, name));
    if (saved) return saved;
  }
  const { validate, code } = compile(text);
  if (cacheDir !== undefined) save(path.join(cacheDir, name), code());
  return validate;
}

/**
 * The schema's validator as standalone CommonJS source, for a package to
 * ship (it requires ajv's runtime helpers: bundle it), with the name the
 * package's copy must have in validators/.
 */
export function standaloneValidator(schemaText: string): { name: string; code: string } {
  return { name: validatorName(schemaText), code: compile(schemaText).code() };
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
