// SPDX-License-Identifier: GPL-2.0-only
// The files of the built project the VM needs to run the suite: the compiled
// harness, the bundled specs, package.json, and the packages the runtime
// imports (package.json "dependencies", followed transitively, with the
// optional ones that are installed, such as ffi-rs's native module). Dev
// dependencies (typescript, mocha, ...) stay out: they are most of node_modules.
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

async function manifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as Manifest;
}

/** Node's lookup: <dir>/node_modules/<name>, then each parent up to the project root. */
export function resolvePackage(name: string, from: string, root: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root || relative(root, dir).startsWith("..")) return undefined;
    dir = dirname(dir);
  }
}

/** Directories of the runtime dependency closure, sorted. Throws when a required one is missing. */
export async function runtimePackages(root: string): Promise<string[]> {
  const found = new Set<string>();
  const visit = async (dir: string, optionalOnly: boolean, names: Manifest) => {
    const required = Object.keys(names.dependencies ?? {});
    const optional = [...Object.keys(names.optionalDependencies ?? {}), ...Object.keys(names.peerDependencies ?? {})];
    for (const [name, isOptional] of [...required.map((n) => [n, optionalOnly] as const), ...optional.map((n) => [n, true] as const)]) {
      const at = resolvePackage(name, dir, root);
      if (!at) {
        if (isOptional) continue; // another platform's native build, or an absent peer
        throw new Error(`runtime dependency '${name}' of ${relative(root, dir) || "the project"} is not installed (run npm ci)`);
      }
      if (found.has(at)) continue;
      found.add(at);
      await visit(at, false, await manifest(at));
    }
  };
  await visit(root, false, await manifest(root));
  return [...found].sort();
}

/** Every regular file under dir (recursively), skipping nested node_modules and what `skip` rejects. */
export async function filesUnder(dir: string, skip: (path: string) => boolean = () => false): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = join(d, e.name);
      if (skip(path)) continue;
      if (e.isDirectory()) {
        if (e.name !== "node_modules") await walk(path);
      } else if (e.isFile()) {
        out.push(path);
      }
    }
  };
  await walk(dir);
  return out;
}

/** The project files the VM needs, as absolute host paths. */
export async function projectFiles(root: string): Promise<string[]> {
  const harness = join(root, "build", "harness");
  if (!existsSync(join(harness, "cli", "main.js"))) throw new Error(`${harness}/cli/main.js not found: build the project first (npx tsc -p .)`);
  const noMaps = (p: string) => p.endsWith(".map") || p.endsWith(".d.ts");
  const files = [join(root, "package.json"), ...(await filesUnder(harness, noMaps)), ...(await filesUnder(join(root, "specs")))];
  for (const pkg of await runtimePackages(root)) files.push(...(await filesUnder(pkg, noMaps)));
  return files;
}
