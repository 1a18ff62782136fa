// SPDX-License-Identifier: GPL-2.0-only
// The corpus specs of setxattr, lsetxattr and fsetxattr, read from
// ../shared/kapi-corpus at test time (never copied into the project).
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadSpecs } from "../../harness/spec/load.js";
import type { Spec } from "../../harness/spec/model.js";
import { projectRoot } from "../kernel/support.js";

export const XATTR_SYSCALLS = ["setxattr", "lsetxattr", "fsetxattr"] as const;
export type XattrSyscall = (typeof XATTR_SYSCALLS)[number];

export const corpusDir = (): string => join(projectRoot(), "..", "shared", "kapi-corpus");

/** The corpus patch holding `syscall`'s spec, or undefined when the corpus is absent. */
export function corpusFile(syscall: XattrSyscall): string | undefined {
  const dir = corpusDir();
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((f) => f.endsWith(`_for_${syscall}.patch`));
  return name === undefined ? undefined : join(dir, name);
}

export async function corpusSpec(syscall: XattrSyscall): Promise<Spec | undefined> {
  const file = corpusFile(syscall);
  if (!file) return undefined;
  const { specs } = await loadSpecs([file]);
  return specs.find((s) => s.name === syscall);
}
