// SPDX-License-Identifier: GPL-2.0-only
// A small tmpfs of the scenario's own, for conditions only a filesystem can
// give (ENOSPC when it is full, EROFS when it is read-only). Mounting needs
// root (CAP_SYS_ADMIN); scenarios that use it require that (see
// `requiresRoot`). Detached on release, whatever happened.
import { mapPages } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, syscall } from "../../kernel/syscall.js";
import type { Requirement } from "../scenario.js";
import { tempDirectory } from "./files.js";

const MS_RDONLY = 1;
const MS_REMOUNT = 32;
const MNT_DETACH = 2;

export const requiresRoot: Requirement = {
  unmet: () => (process.geteuid?.() === 0 ? undefined : { reason: "mounting a filesystem of the scenario's own needs root", detail: `euid ${process.geteuid?.()}` }),
};

/** NUL-terminated strings in one fresh page, by address. */
function cStrings(scope: ResourceScope, strings: string[]): bigint[] {
  const page = scope.add(mapPages(1));
  let offset = 0;
  return strings.map((s) => {
    const bytes = Buffer.from(`${s}\0`);
    page.write(offset, bytes);
    const at = page.address + BigInt(offset);
    offset += bytes.length;
    return at;
  });
}

export interface Tmpfs {
  path: string;
  /** Remounts it read-only: writes then fail with EROFS. */
  makeReadOnly(): void;
}

/** A tmpfs of `sizeKb` kilobytes mounted on a fresh directory; `options` adds mount options ("nr_inodes=3"). */
export function tmpfs(scope: ResourceScope, sizeKb = 64, options?: string): Tmpfs {
  const path = tempDirectory(scope);
  const [source, target, type, data] = cStrings(scope, ["kapi-conform", path, "tmpfs", `size=${sizeKb}k,mode=0755${options ? `,${options}` : ""}`]);
  check("mount", syscall("mount", source!, target!, type!, 0, data!), `tmpfs on ${path}`);
  scope.defer(() => void check("umount2", syscall("umount2", target!, MNT_DETACH), path));
  return {
    path,
    makeReadOnly: () => void check("mount", syscall("mount", source!, target!, type!, MS_REMOUNT | MS_RDONLY, data!), `remount ${path} read-only`),
  };
}
