// SPDX-License-Identifier: GPL-2.0-only
// Locating the project root from a module's own URL, so bundled files (the
// default spec, the JSON schema) resolve the same from any working directory
// and from both the source and the build tree.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/** The project root: the nearest directory above this module with kapi-conform's package.json. */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "kapi-conform") return (cached = dir);
      } catch {
        // not ours; keep climbing
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error("kapi-conform package root not found above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}

