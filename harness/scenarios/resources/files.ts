// SPDX-License-Identifier: GPL-2.0-only
// Files and directories as named producers: each is made fresh in a private
// temporary directory and removed when the scenario's scope is released.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResourceScope } from "../../kernel/scope.js";

/** A fresh empty directory, removed with everything in it on release. */
export function tempDirectory(scope: ResourceScope): string {
  const dir = mkdtempSync(join(tmpdir(), "kapi-conform-"));
  scope.defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A regular file with known content in a fresh directory; returns its path. */
export function tempFile(scope: ResourceScope, content: string | Uint8Array = "kapi-conform\n"): string {
  const path = join(tempDirectory(scope), "data");
  writeFileSync(path, content);
  return path;
}

/** A descriptor opened on `path` with Node's flags ("r", "r+", ...), closed on release. */
export function openFile(scope: ResourceScope, path: string, flags = "r"): number {
  const fd = openSync(path, flags);
  scope.defer(() => closeSync(fd));
  return fd;
}

/** A regular file with known content, opened read-only. */
export function readableFile(scope: ResourceScope, content: string | Uint8Array = "kapi-conform\n"): number {
  return openFile(scope, tempFile(scope, content));
}
