// SPDX-License-Identifier: GPL-2.0-only
// Reading spec inputs: files, directories (recursively, by extension) and "-"
// for stdin. Paths are kept exactly as given so diagnostics and SourceRefs
// point where the user pointed. Anything unreadable is an InputError.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../cli/errors.js";

export interface InputText {
  /** The path as given (directory entries joined onto the directory as given), or "-". */
  file: string;
  text: string;
}

/** File names a directory scan picks up. */
export const SPEC_EXTENSIONS: ReadonlySet<string> = new Set([".c", ".patch", ".diff", ".mbox", ".txt"]);
/** tools/kapi JSON as `parse --format kapi-json --out` names it; other .json files (schemas, canonical specs) are not inputs. */
export const KAPI_JSON_SUFFIX = ".kapi.json";

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return err instanceof Error ? err.message : String(err);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function walk(dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputError(`cannot read directory '${dir}': ${reason(err)}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && (SPEC_EXTENSIONS.has(path.extname(e.name).toLowerCase()) || e.name.toLowerCase().endsWith(KAPI_JSON_SUFFIX))) out.push(p);
  }
}

/** Files read at once: one at a time leaves the thread pool idle on large trees. */
const READ_CONCURRENCY = 64;

/** Reads files in bounded parallel batches, keeping their order. */
async function readAll(files: readonly string[]): Promise<InputText[]> {
  const out: InputText[] = [];
  for (let i = 0; i < files.length; i += READ_CONCURRENCY) {
    const batch = files.slice(i, i + READ_CONCURRENCY);
    out.push(
      ...(await Promise.all(
        batch.map(async (file) => {
          try {
            return { file, text: await readFile(file, "utf8") };
          } catch (err) {
            throw new InputError(`cannot read '${file}': ${reason(err)}`);
          }
        }),
      )),
    );
  }
  return out;
}

/** Read every input; a directory contributes its matching files in name order. */
export async function readInputs(inputs: readonly string[]): Promise<InputText[]> {
  const out: InputText[] = [];
  for (const input of inputs) {
    if (input === "-") {
      out.push({ file: "-", text: await readStdin() });
      continue;
    }
    let info;
    try {
      info = await stat(input);
    } catch (err) {
      throw new InputError(`cannot read '${input}': ${reason(err)}`);
    }
    const files: string[] = [];
    if (info.isDirectory()) {
      await walk(input, files);
      if (files.length === 0) throw new InputError(`no spec inputs (${[...SPEC_EXTENSIONS, KAPI_JSON_SUFFIX].join(" ")}) in directory '${input}'`);
    } else files.push(input);
    out.push(...(await readAll(files)));
  }
  return out;
}
