// SPDX-License-Identifier: GPL-2.0-only
// Where downloaded kernel packages, extracted kernels and initramfs pieces are
// kept between runs, so a second run downloads and compresses nothing. Outside
// the work tree by default: nothing here is ever to be committed.
import { mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";

/** $KAPI_CONFORM_CACHE, else $XDG_CACHE_HOME/kapi-conform, else ~/.cache/kapi-conform. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KAPI_CONFORM_CACHE) return env.KAPI_CONFORM_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "kapi-conform");
}

/** A subdirectory of the cache, created on first use. */
export async function cacheDir(...parts: string[]): Promise<string> {
  const dir = join(cacheRoot(), ...parts);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A short stable key for cache file names. */
export function cacheKey(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 16);
}
