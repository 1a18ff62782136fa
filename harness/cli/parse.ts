// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform parse INPUT... [--out DIR]`: canonical JSON specs on stdout (or
// one NAME.spec.json each under DIR). Diagnostics go to stderr; parse reports
// them but does not gate on them (that is `lint`'s job), so it exits 0 when it
// produced specs.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { ensureReportsDir } from "./reports-dir.js";
import { parseCommandArgs } from "./args.js";
import { UsageError } from "./errors.js";
import { loadSpecs } from "../spec/load.js";
import { formatDiagnostic, sortDiagnostics } from "../spec/diagnostic.js";
import type { Spec } from "../spec/model.js";
import { toKapiJson } from "../spec/kapi-json.js";
import { KAPI_JSON_SUFFIX } from "../spec/inputs.js";

export const PARSE_USAGE = `usage: kapi-conform parse INPUT... [--out DIR] [--format canonical|kapi-json]

Parse KAPI specification comments into canonical JSON.
INPUT is a kernel C file, a patch/diff/mbox, a mailing-list archive page saved
as text, a tools/kapi JSON document, a directory (searched recursively for
.c .patch .diff .mbox .txt and ${KAPI_JSON_SUFFIX}), or '-' for stdin.

options:
  --out DIR      write one file per spec into DIR instead of printing on stdout
                 (NAME.spec.json, or NAME${KAPI_JSON_SUFFIX} with kapi-json)
  --format F     canonical (default): the canonical spec, a JSON array on stdout;
                 kapi-json: the JSON of the series' tools/kapi ({"api_details": ...},
                 enums as numbers), one document, or an array of them for several specs
  -h, --help     show this help`;

const FORMATS = ["canonical", "kapi-json"] as const;

/** Stable JSON text: 2-space indent and a final newline. */
export function specJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** NAME.spec.json (or another suffix), with -2, -3, ... when several specs share a name. */
function fileNames(specs: readonly Spec[], suffix: string): string[] {
  const used = new Map<string, number>();
  return specs.map((s) => {
    const base = (s.name || "unnamed").replace(/[^\w.-]/g, "_");
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return n === 1 ? `${base}${suffix}` : `${base}-${n}${suffix}`;
  });
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("parse", argv, {
    out: { type: "string" },
    format: { type: "string", default: "canonical" },
    help: { type: "boolean", short: "h" },
  });
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`parse: --format wants ${FORMATS.join(" or ")}, not '${values.format}'`);
  if (values.help) {
    process.stdout.write(PARSE_USAGE + "\n");
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("parse: no INPUT given (try 'kapi-conform parse --help')");
  if (values.out !== undefined) await ensureReportsDir(values.out);
  const outcome = await loadSpecs(positionals);
  for (const d of sortDiagnostics(outcome.diagnostics)) process.stderr.write(formatDiagnostic(d) + "\n");
  for (const u of outcome.unattributed) process.stderr.write(`${u.file}:${u.line}: warning: text not attributed to any field: '${u.text}' [unattributed-line]\n`);
  const render = (spec: Spec): unknown => (format === "kapi-json" ? toKapiJson(spec) : spec);
  if (values.out === undefined) {
    const docs = outcome.specs.map(render);
    process.stdout.write(specJson(format === "kapi-json" && docs.length === 1 ? docs[0] : docs));
    return 0;
  }
  const names = fileNames(outcome.specs, format === "kapi-json" ? KAPI_JSON_SUFFIX : ".spec.json");
  for (const [i, spec] of outcome.specs.entries()) {
    const target = path.join(values.out, names[i]!);
    await writeFile(target, specJson(render(spec)));
    process.stderr.write(`wrote ${target}\n`);
  }
  return 0;
}
