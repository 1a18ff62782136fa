// SPDX-License-Identifier: GPL-2.0-only
// Files an xattr call can act on, each fresh and released with the scenario:
// a regular file (with the directory and modes a permission scenario needs),
// a symbolic link and its target, a FIFO, a sticky directory, a file made
// immutable or append-only with chattr, a file on a read-only or a nearly
// full tmpfs, a file of a filesystem without xattr support (procfs).
import { execFileSync } from "node:child_process";
import { appendFileSync, chmodSync, closeSync, mkdirSync, openSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { constant } from "../../kernel/constants.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { tempDirectory } from "../resources/files.js";
import { tmpfs } from "../resources/mounts.js";
import type { Subject, Variant } from "./variant.js";

/** How the fd variant opens the subject: read-write for files (the spec asks for a descriptor open for writing), read-only for directories. */
export type OpenMode = "rdwr" | "rdonly" | "path";

function openFlags(mode: OpenMode): number {
  switch (mode) {
    case "rdwr":
      return constant("O_RDWR");
    case "rdonly":
      return constant("O_RDONLY");
    case "path":
      return constant("O_PATH");
  }
}

/** Opens `path` for the fd variant (closed on release); the path variants need no descriptor. */
export function subjectAt(scope: ResourceScope, variant: Variant, path: string, mode: OpenMode = "rdwr"): Subject {
  if (variant.kind !== "fd") return { path };
  let fd: number;
  try {
    fd = openSync(path, openFlags(mode));
  } catch (err) {
    throw new SetupError(`opening ${path} (${mode}) failed: ${(err as Error).message}`);
  }
  scope.defer(() => closeSync(fd));
  return { path, fd };
}

/** A regular file in a fresh directory of its own; `dirMode` and `mode` for permission scenarios. */
export function regularFile(scope: ResourceScope, opts: { mode?: number; dirMode?: number; parent?: string } = {}): string {
  const dir = opts.parent ?? tempDirectory(scope);
  if (opts.dirMode !== undefined) chmodSync(dir, opts.dirMode);
  const path = join(dir, "file");
  writeFileSync(path, "kapi-conform\n");
  if (opts.mode !== undefined) chmodSync(path, opts.mode);
  return path;
}

/** A symbolic link to a fresh regular file. */
export function symlinkToFile(scope: ResourceScope): { link: string; target: string } {
  const target = regularFile(scope);
  const link = join(target, "..", "link");
  symlinkSync(target, link);
  return { link, target };
}

/** A FIFO in a fresh directory (for the fd variant: opened read-write, which never blocks on Linux). */
export function fifo(scope: ResourceScope): string {
  const path = join(tempDirectory(scope), "fifo");
  execFileSync("mkfifo", [path]);
  return path;
}

/** A world-writable sticky directory owned by root. */
export function stickyDirectory(scope: ResourceScope): string {
  const path = join(tempDirectory(scope), "sticky");
  mkdirSync(path);
  chmodSync(join(path, ".."), 0o755);
  chmodSync(path, 0o1777);
  return path;
}

/** Sets a chattr attribute ("+i", "+a") on `path`, cleared again before the file is removed. */
export function chattr(scope: ResourceScope, path: string, flag: "i" | "a"): void {
  try {
    execFileSync("chattr", [`+${flag}`, path], { stdio: "pipe" });
  } catch (err) {
    throw new ResourceUnavailable(`chattr +${flag} is not available on this filesystem`, `${path}: ${(err as Error).message.split("\n")[0]}`);
  }
  scope.defer(() => void execFileSync("chattr", [`-${flag}`, path], { stdio: "pipe" }));
}

/** A regular file on a tmpfs of the scenario's own, remounted read-only before the call. */
export function fileOnReadOnlyTmpfs(scope: ResourceScope, variant: Variant): Subject {
  const fs = tmpfs(scope, 64);
  const path = regularFile(scope, { parent: fs.path });
  fs.makeReadOnly();
  // After the remount: a descriptor open for writing would keep the remount from happening.
  return subjectAt(scope, variant, path, "rdonly");
}

/**
 * A 0644 regular file on a tmpfs of the scenario's own (tmpfs sets SB_NOSEC), appended to once:
 * a write that finds no privilege to remove marks the inode S_NOSEC, so later writes skip the check.
 */
export function fileMarkedNosec(scope: ResourceScope, variant: Variant): Subject {
  const path = regularFile(scope, { parent: tmpfs(scope, 64).path, mode: 0o644 });
  appendFileSync(path, "marked S_NOSEC by this write\n");
  return subjectAt(scope, variant, path);
}

/** Bytes of xattr space each tmpfs inode accounts for (BOGO_INODE_SIZE in mm/shmem.c). */
const TMPFS_INODE_SPACE = 1024;

/**
 * A regular file on a tmpfs whose xattr space (free_ispace: nr_inodes times
 * 1 KiB, less what the inodes take) is smaller than `needed` bytes of value.
 */
export function fileOnFullTmpfs(scope: ResourceScope, variant: Variant, needed: number): Subject {
  const inodes = 3;
  if (needed <= inodes * TMPFS_INODE_SPACE) throw new SetupError(`a ${needed}-byte value fits in a tmpfs with nr_inodes=${inodes}`);
  const fs = tmpfs(scope, 64, `nr_inodes=${inodes}`);
  return subjectAt(scope, variant, regularFile(scope, { parent: fs.path }));
}

/** A file of procfs, which has no xattr handlers: this thread's comm. */
export function procfsFile(scope: ResourceScope, variant: Variant): Subject {
  return subjectAt(scope, variant, "/proc/thread-self/comm");
}
