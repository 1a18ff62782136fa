// SPDX-License-Identifier: GPL-2.0-only
// Shared test helpers: where the project and the KAPI corpus are, skipping
// with a stated reason when the corpus (outside the project) is absent, and a
// builder for synthetic kernel C sources with known line numbers.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../../harness/spec/root.js";
import { skipBecause } from "../support/skip.js";

export const ROOT = packageRoot();
export const SHARED = path.resolve(ROOT, "..", "shared");
export const CORPUS = path.join(SHARED, "kapi-corpus");
export const ARCHIVE_NAME = "io_cancel-v5-openwall-archive.txt";

/** Skip the calling test or hook, saying why on stderr (stdout may be a TAP stream). */
export function needCorpus(ctx: Mocha.Context): void {
  if (existsSync(CORPUS)) return;
  skipBecause(ctx, `KAPI corpus not found at ${CORPUS} (it lives in ../shared, outside the project)`);
}

/** The corpus inputs (16 patches and the archive page), as absolute paths. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith(".patch") || f.endsWith(".txt"))
    .sort()
    .map((f) => path.join(CORPUS, f));
}

/** The corpus file whose name contains `part` (exactly one must). */
export function corpusFile(part: string): string {
  const hits = corpusFiles().filter((f) => path.basename(f).includes(part));
  if (hits.length !== 1) throw new Error(`expected one corpus file matching '${part}', found ${hits.length}`);
  return hits[0]!;
}

/**
 * A kernel C source: `before` lines of code, then a kerneldoc comment whose
 * body lines are `body` (each written as " * " + line, "" as " *"), then
 * `after` lines. Returns the text and the line number of body line i (i + 2 +
 * before.length), so tests can assert exact SourceRefs.
 */
export function cSource(body: string[], after: string[] = [], before: string[] = []): { text: string; line: (i: number) => number } {
  const lines = [...before, "/**", ...body.map((b) => (b === "" ? " *" : ` * ${b}`)), " */", ...after];
  return { text: lines.join("\n") + "\n", line: (i) => before.length + 2 + i };
}

/** A small valid v5 spec body for a two-argument syscall `demo(fd, buf)`. */
export function demoBody(): string[] {
  return [
    "sys_demo - Demonstrate the format",
    "@fd: A file descriptor",
    "@buf: A buffer",
    "",
    "long-desc: A demo syscall.",
    "",
    "context-flags: KAPI_CTX_PROCESS",
    "",
    "param: fd",
    "  type: KAPI_TYPE_FD",
    "  flags: KAPI_PARAM_IN",
    "",
    "param: buf",
    "  type: KAPI_TYPE_USER_PTR",
    "  flags: KAPI_PARAM_OUT | KAPI_PARAM_USER",
    "",
    "return:",
    "  type: KAPI_TYPE_INT",
    "  check-type: KAPI_RETURN_ERROR_CHECK",
    "  success: 0",
    "",
    "error: EBADF, Bad file descriptor",
    "  desc: fd is not open.",
  ];
}

export const DEMO_DEFINE = ["SYSCALL_DEFINE2(demo, int, fd, char __user *, buf)", "{", "\treturn 0;", "}"];
