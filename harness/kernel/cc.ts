// SPDX-License-Identifier: GPL-2.0-only
// The machine's C compiler, for self-checks and benchmarks that compare this
// layer with the same calls made from C. Builds go to a fresh temp dir.
import { spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

function onPath(name: string): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** $CC if set (its first word), else cc, gcc or clang from PATH. */
export function findCompiler(): string | undefined {
  const fromEnv = process.env.CC?.trim().split(/\s+/)[0];
  if (fromEnv) return onPath(fromEnv);
  for (const name of ["cc", "gcc", "clang"]) {
    const found = onPath(name);
    if (found) return found;
  }
  return undefined;
}

/** Why findCompiler() found nothing, for skip messages. */
export function noCompilerReason(): string {
  return process.env.CC?.trim() ? `CC=${process.env.CC} is not an executable on PATH` : "no C compiler (cc, gcc or clang) on PATH";
}

export interface CompiledProgram {
  ok: true;
  path: string;
  compiler: string;
  /** Removes the temp dir with the binary. */
  cleanup(): void;
}

export interface CompileFailure {
  ok: false;
  /** True when there is no compiler at all (a reason to skip, not to fail). */
  noCompiler: boolean;
  reason: string;
}

/** Compiles one C file (`sourcePath`) or C text (`{ text }`) into a temp dir. */
export function compileC(source: string | { text: string }, name = "prog", flags: readonly string[] = ["-O2", "-Wall"]): CompiledProgram | CompileFailure {
  const compiler = findCompiler();
  if (!compiler) return { ok: false, noCompiler: true, reason: noCompilerReason() };
  const dir = mkdtempSync(join(tmpdir(), "kapi-conform-cc-"));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  let sourcePath: string;
  if (typeof source === "string") {
    sourcePath = source;
  } else {
    sourcePath = join(dir, `${name}.c`);
    writeFileSync(sourcePath, source.text);
  }
  const path = join(dir, name);
  const r = spawnSync(compiler, [...flags, "-o", path, sourcePath], { encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) {
    cleanup();
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}: ${r.stderr.trim()}`;
    return { ok: false, noCompiler: false, reason: `${compiler} failed on ${sourcePath}: ${why}` };
  }
  return { ok: true, path, compiler, cleanup };
}
