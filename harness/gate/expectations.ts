// SPDX-License-Identifier: GPL-2.0-only
// The expectations file of a CI gate (`--expect FILE`, YAML or JSON): known
// deviations keyed by case id or glob, each with a reason and a link, and
// optionally limited to kernel releases, architectures and kernel config
// options. Loading validates everything up front so a typo fails the gate
// with file:line instead of silently waiving nothing; matching is pure, over
// case ids and a Target, so it is testable without a kernel.
import { readFile } from "node:fs/promises";
import { isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { InputError } from "../cli/errors.js";
import { SUPPORTED_ARCHES } from "../kernel/arch.js";
import type { KernelConfig } from "../run/environment.js";
import type { KernelFacts } from "../run/results.js";
import { globToRegExp } from "./glob.js";
import { inKernelRange, kernelVersionOf, parseKernelRange, type KernelRange } from "./kernel-range.js";

export interface Expectation {
  /** The key as written: a case id, or a glob with `*` and `?`. */
  pattern: string;
  matcher: RegExp;
  reason: string;
  link: string;
  kernel?: { text: string; range: KernelRange };
  arch?: string[];
  /** CONFIG_* option -> required value ("y", "m", "n", or a string). */
  config?: Record<string, string>;
  file: string;
  line: number;
}

/** The kernel an entry's conditions are evaluated against. */
export interface Target {
  release: string;
  arch: string;
  machine: string;
  /** An option's value, or "unknown" when no kernel config could be read. */
  config(option: string): string;
}

const FIELDS = ["reason", "link", "kernel", "arch", "config"] as const;
const PATTERN = /^[A-Za-z0-9_.*?-]+$/;

/** A validation error at a YAML node, or at a line number when there is no node to point at. */
class EntryError extends Error {
  constructor(
    readonly at: Node | number | null | undefined,
    message: string,
  ) {
    super(message);
  }
}

function scalarText(node: unknown, what: string): string {
  if (isAlias(node)) throw new EntryError(node, `${what}: YAML aliases are not supported here`);
  if (!isScalar(node) || node.value === null || typeof node.value === "object") throw new EntryError(node as Node, `${what} must be a string`);
  if (typeof node.value === "boolean") return node.value ? "y" : "n";
  return String(node.value);
}

function nonEmpty(node: unknown, what: string): string {
  const text = scalarText(node, what).trim();
  if (text === "") throw new EntryError(node as Node, `${what} is empty`);
  return text;
}

function link(node: unknown): string {
  const text = nonEmpty(node, "link");
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) throw new EntryError(node as Node, `link '${text}' is not an http(s) URL`);
  return text;
}

function archList(node: unknown): string[] {
  const items = isSeq(node) ? node.items : [node];
  if (items.length === 0) throw new EntryError(node as Node, "arch is an empty list");
  return items.map((item) => {
    const arch = nonEmpty(item, "arch");
    if (!(SUPPORTED_ARCHES as readonly string[]).includes(arch)) throw new EntryError(item as Node, `arch '${arch}' is not one of ${SUPPORTED_ARCHES.join(", ")}`);
    return arch;
  });
}

function configMap(node: unknown): Record<string, string> {
  if (!isMap(node) || node.items.length === 0) throw new EntryError(node as Node, "config must be a mapping such as { CONFIG_AIO: y }");
  const out: Record<string, string> = {};
  for (const pair of node.items) {
    const option = scalarText(pair.key, "config option");
    if (!/^CONFIG_\w+$/.test(option)) throw new EntryError(pair.key as Node, `config option '${option}' does not look like CONFIG_NAME`);
    out[option] = nonEmpty(pair.value, option);
  }
  return out;
}

/** One entry; `key` stands in for a missing value in errors, `line` is where the entry starts. */
function entry(node: unknown, key: Node, pattern: string, file: string, line: number): Expectation {
  if (!isMap(node)) throw new EntryError(isNode(node) ? node : key, `'${pattern}' must map to an entry with reason and link (or a list of them)`);
  const fields = new Map<string, unknown>();
  for (const pair of node.items) {
    const name = scalarText(pair.key, "field name");
    if (!(FIELDS as readonly string[]).includes(name)) throw new EntryError(pair.key as Node, `unknown field '${name}' in '${pattern}' (fields: ${FIELDS.join(", ")})`);
    fields.set(name, pair.value);
  }
  for (const required of ["reason", "link"]) if (!fields.has(required)) throw new EntryError(line, `'${pattern}' has no ${required}`);
  const result: Expectation = {
    pattern,
    matcher: globToRegExp(pattern),
    reason: nonEmpty(fields.get("reason"), "reason"),
    link: link(fields.get("link")),
    file,
    line,
  };
  if (fields.has("kernel")) {
    const text = nonEmpty(fields.get("kernel"), "kernel");
    try {
      result.kernel = { text, range: parseKernelRange(text) };
    } catch (err) {
      throw new EntryError(fields.get("kernel") as Node, `kernel: ${(err as Error).message}`);
    }
  }
  if (fields.has("arch")) result.arch = archList(fields.get("arch"));
  if (fields.has("config")) result.config = configMap(fields.get("config"));
  return result;
}

const firstLine = (text: string): string => text.split("\n")[0]!.trim();

/** Parse and validate an expectations file's text; throws InputError naming file:line. */
export function parseExpectations(text: string, file: string): Expectation[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  const lineAt = (offset: number): number => Math.max(1, counter.linePos(offset).line);
  const line = (node: unknown): number => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lineAt(range[0]) : 1;
  };
  const syntax = doc.errors[0];
  if (syntax) {
    const where = syntax.linePos?.[0].line ?? lineAt(syntax.pos[0]);
    throw new InputError(`${file}:${where}: ${firstLine(syntax.message).replace(/ at line \d+, column \d+:?$/, "")}`);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  try {
    if (!isMap(root)) throw new EntryError(root, "expected a mapping from case ids (or globs) to entries with reason and link");
    const out: Expectation[] = [];
    for (const pair of root.items) {
      const pattern = scalarText(pair.key, "case id");
      if (!PATTERN.test(pattern)) throw new EntryError(pair.key as Node, `'${pattern}' is not a case id or glob (letters, digits, _ . - * ?)`);
      const values = isSeq(pair.value) ? pair.value.items : [pair.value];
      if (values.length === 0) throw new EntryError(pair.value as Node, `'${pattern}' has an empty list of entries`);
      for (const value of values) out.push(entry(value, pair.key as Node, pattern, file, isSeq(pair.value) ? line(value) : line(pair.key)));
    }
    return out;
  } catch (err) {
    if (err instanceof EntryError) throw new InputError(`${file}:${typeof err.at === "number" ? err.at : line(err.at)}: ${err.message}`);
    throw err;
  }
}

/** Read and validate an expectations file. */
export async function loadExpectations(file: string): Promise<Expectation[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read expectations file '${file}': ${code === "ENOENT" ? "no such file" : firstLine((err as Error).message)}`);
  }
  return parseExpectations(text, file);
}

/**
 * The target of a run: release and arch from the results; config options from
 * the live kernel config when given (run), else from what results.json recorded (report).
 */
export function targetOf(kernel: KernelFacts, config?: KernelConfig): Target {
  return {
    release: kernel.release,
    arch: kernel.arch,
    machine: kernel.machine,
    config: (option) => (config ? config.get(option) : (kernel.config[option] ?? "unknown")),
  };
}

export const matchesCase = (e: Expectation, caseId: string): boolean => e.matcher.test(caseId);

export interface Applicability {
  applies: boolean;
  /** Set when a condition could not be decided on this target (so it was taken as not met). */
  undecided?: string;
}

export function conditionsHold(e: Expectation, target: Target): Applicability {
  if (e.kernel) {
    const version = kernelVersionOf(target.release);
    if (!version) return { applies: false, undecided: `kernel release '${target.release}' has no N.N version to compare with '${e.kernel.text}'` };
    if (!inKernelRange(version, e.kernel.range)) return { applies: false };
  }
  if (e.arch && !e.arch.includes(target.arch)) return { applies: false };
  for (const [option, want] of Object.entries(e.config ?? {})) {
    const got = target.config(option);
    if (got === "unknown") return { applies: false, undecided: `${option} is unknown (no kernel config was readable)` };
    if (got !== want) return { applies: false };
  }
  return { applies: true };
}

/** The first entry, in file order, that names the case and whose conditions hold on the target. */
export function expectationFor(expectations: readonly Expectation[], caseId: string, target: Target): Expectation | undefined {
  return expectations.find((e) => matchesCase(e, caseId) && conditionsHold(e, target).applies);
}
