// SPDX-License-Identifier: GPL-2.0-only
// One JavaScript file holding the whole runtime (CLI, isolated worker, helper
// processes, every runtime package), built with esbuild from the compiled
// tree. What a bundle cannot hold stays beside it: ffi-rs's native module
// (loaded through a require() made from the bundle's own URL), a
// package.json (name, version, "type": "module") and one-line launchers named
// like the files the code starts or imports by path (worker.js, the helper
// processes, the suite module), which import the bundle; the bundle picks its
// role from the launcher's name. Beside it too: the JSON schema's validator,
// compiled (validators/, see spec/schema.ts). The result runs with no
// node_modules.
import { existsSync } from "node:fs";
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { PRECOMPILED_DIR, SCHEMA_FILE, standaloneValidator } from "../spec/schema.js";

/** The bundle's file name inside its directory. */
export const BUNDLE_FILE = "kapi-conform.js";

/**
 * Files the code starts or imports by a path relative to its own module: the
 * launcher's path inside the bundle directory and the role it starts. A role
 * of "suite" re-exports the suites instead of starting anything.
 */
export const LAUNCHERS: ReadonlyArray<{ path: string; role: string }> = [
  // vm --host starts the CLI again by its path.
  { path: "main.js", role: "cli" },
  { path: "worker.js", role: "worker" },
  { path: "foreign-context.child.js", role: "foreign-context.child" },
  { path: "pipe-writer.child.js", role: "pipe-writer.child" },
  { path: "fanotify-deny.child.js", role: "fanotify-deny.child" },
  { path: "destroy-racer.worker.js", role: "destroy-racer.worker" },
  { path: "io_cancel/suite.js", role: "suite" },
  { path: "xattr/suite.js", role: "suite" },
  { path: "madvise/suite.js", role: "suite" },
  { path: "open/suite.js", role: "suite" },
  { path: "close/suite.js", role: "suite" },
  { path: "read/suite.js", role: "suite" },
  { path: "write/suite.js", role: "suite" },
  { path: "io_setup/suite.js", role: "suite" },
  { path: "io_destroy/suite.js", role: "suite" },
  { path: "io_submit/suite.js", role: "suite" },
];

/**
 * Source rewrites the bundle needs, each on one compiled file. A required one
 * that no longer matches fails the build (the code moved; look again), so a
 * bundle is never silently wrong.
 */
interface Rewrite {
  file: RegExp;
  from: string;
  to: string;
  required: boolean;
}

const REWRITES: Rewrite[] = [
  // tool.js finds package.json three levels up from build/harness/run/; beside the bundle it is next door.
  { file: /harness\/run\/tool\.js$/, from: `new URL("../../../package.json", import.meta.url)`, to: `new URL("./package.json", import.meta.url)`, required: true },
  // A require() made with createRequire is invisible to the bundler; a plain one is bundled.
  { file: /harness\/.*\.js$/, from: "createRequire(import.meta.url)(", to: "require(", required: false },
];

/** ffi-rs's native module for this platform, from the installed optional package or ffi-rs itself. */
export function nativeModule(root: string): string {
  const name = `ffi-rs.${process.platform}-${process.arch}-gnu.node`;
  const candidates = [join(root, "node_modules", "@yuuang", `ffi-rs-${process.platform}-${process.arch}-gnu`, name), join(root, "node_modules", "ffi-rs", name)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`ffi-rs's native module ${name} is not installed under ${root}/node_modules (run npm ci)`);
  return found;
}

/** Makes the bundle in `outDir` from the compiled project at `root`; returns the files written. */
export async function writeBundle(root: string, outDir: string): Promise<string[]> {
  const entry = join(root, "build", "harness", "package", "entry.js");
  if (!existsSync(entry)) throw new Error(`${entry} not found: build the project first (npx tsc -p .)`);
  // esbuild is a development dependency: loaded only when a package is made.
  let esbuild: typeof import("esbuild");
  try {
    esbuild = await import("esbuild");
  } catch {
    throw new Error("esbuild is not installed: it is a development dependency (npm ci, without --omit=dev)");
  }
  const applied = new Set<Rewrite>();
  // Every file the code names by a path relative to its own module must be a launcher beside the bundle.
  const byPath = new Map<string, string>();
  const rewriter: import("esbuild").Plugin = {
    name: "kapi-conform-rewrites",
    setup(build) {
      build.onLoad({ filter: /[\\/]build[\\/]harness[\\/].*\.js$/ }, async (args) => {
        let text = await readFile(args.path, "utf8");
        for (const r of REWRITES) {
          if (!r.file.test(args.path.split("\\").join("/")) || !text.includes(r.from)) continue;
          text = text.split(r.from).join(r.to);
          applied.add(r);
        }
        for (const m of text.matchAll(/new URL\(\s*["']\.\/([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g)) byPath.set(m[1]!, args.path);
        return { contents: text, loader: "js" };
      });
    },
  };
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, BUNDLE_FILE);
  await esbuild.build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // The native module is loaded from beside the bundle (ffi-rs looks there first).
    external: ["*.node", "@yuuang/*"],
    // CommonJS packages inside an ES module need require, __dirname and __filename.
    banner: {
      js: [
        `import { createRequire as __kapiCreateRequire } from "node:module";`,
        `import { fileURLToPath as __kapiFileURLToPath } from "node:url";`,
        `import { dirname as __kapiDirname } from "node:path";`,
        `const require = __kapiCreateRequire(import.meta.url);`,
        `const __filename = __kapiFileURLToPath(import.meta.url);`,
        `const __dirname = __kapiDirname(__filename);`,
      ].join("\n"),
    },
    plugins: [rewriter],
    logLevel: "silent",
    legalComments: "none",
    // Smaller to read and compile for every process the suite starts (worker, helpers), which counts under emulation.
    minifyWhitespace: true,
    minifySyntax: true,
  });
  const unlaunched = [...byPath].filter(([rel]) => rel !== "package.json" && !LAUNCHERS.some((l) => l.path === rel));
  if (unlaunched.length > 0) throw new Error(`bundle: ${unlaunched.map(([rel, from]) => `${from} names ./${rel}`).join("; ")}, which has no launcher; add it to LAUNCHERS in harness/package/bundle.ts and a role in entry.ts`);
  const missing = REWRITES.filter((r) => r.required && !applied.has(r));
  if (missing.length > 0) throw new Error(`bundle: the code no longer contains ${missing.map((r) => `'${r.from}'`).join(", ")}; update harness/package/bundle.ts`);

  const written = [out];
  const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { name: string; version: string; license?: string };
  const pkgJson = join(outDir, "package.json");
  await writeFile(pkgJson, JSON.stringify({ name: manifest.name, version: manifest.version, license: manifest.license, type: "module", private: true }, null, 2) + "\n");
  written.push(pkgJson);
  for (const l of LAUNCHERS) {
    const path = join(outDir, l.path);
    await mkdir(dirname(path), { recursive: true });
    const rel = l.path.includes("/") ? `../${BUNDLE_FILE}` : `./${BUNDLE_FILE}`;
    const body = l.role === "suite" ? `export * from "${rel}";\n` : `import "${rel}";\n`;
    await writeFile(path, `// SPDX-License-Identifier: GPL-2.0-only\n// Launcher: runs the bundle as ${l.role}.\n${body}`);
    written.push(path);
  }
  // The JSON schema's validator, compiled now rather than by every run (9 s in
  // a VM under TCG), bundled with the ajv runtime helpers it requires.
  const validator = standaloneValidator(await readFile(join(root, SCHEMA_FILE), "utf8"));
  const validatorPath = join(outDir, PRECOMPILED_DIR, validator.name);
  await esbuild.build({
    stdin: { contents: validator.code, resolveDir: root, sourcefile: validator.name, loader: "js" },
    outfile: validatorPath,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "silent",
    legalComments: "none",
    minifyWhitespace: true,
  });
  written.push(validatorPath);
  const native = nativeModule(root);
  const nativeCopy = join(outDir, basename(native));
  await copyFile(native, nativeCopy);
  written.push(nativeCopy);
  return written;
}
