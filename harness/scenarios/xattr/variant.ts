// SPDX-License-Identifier: GPL-2.0-only
// setxattr, lsetxattr and fsetxattr share one suite. Which of them a spec
// documents is read from its parameters, never from its name or an errno: a
// FD parameter makes it descriptor-based; a path parameter whose text says it
// is resolved without following symbolic links makes it the l- variant. The
// attribute is read back with the matching getter (getxattr, lgetxattr,
// fgetxattr) through the raw syscalls.
import { mapPages, PAGE_SIZE } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { syscall, type SyscallArg, type SyscallResult } from "../../kernel/syscall.js";
import type { Param, Spec } from "../../spec/model.js";
import { SetupError } from "../errors.js";
import { userMemory, type Args, type ArgValue, type UserMemory } from "../scenario.js";

export type Variant =
  | { kind: "path"; param: string; follows: boolean; spec: string }
  | { kind: "fd"; param: string; spec: string };

const NOT_FOLLOWING = /\b(?:without|not|never|no)\s+follow(?:ing|s)?\b|\bdoes not follow\b|\bapplies to the (?:symbolic )?link itself\b/i;

const isPathParam = (p: Param): boolean => p.type?.value === "PATH" || p.constraintType?.kind === "USER_PATH";

/** The variant the spec documents, from its parameter types and the path parameter's text. */
export function variantOf(spec: Spec): Variant {
  const fd = spec.params.find((p) => p.type?.value === "FD");
  if (fd) return { kind: "fd", param: fd.name, spec: spec.name };
  const path = spec.params.find(isPathParam);
  if (!path) throw new SetupError(`the ${spec.name} spec has neither a FD nor a path parameter: not a *setxattr variant`);
  const text = [path.headerDescription, path.constraint].filter(Boolean).join(" ");
  return { kind: "path", param: path.name, follows: !NOT_FOLLOWING.test(text), spec: spec.name };
}

/** A NUL-terminated string at the start of a page of its own. */
export function cString(scope: ResourceScope, text: string | Buffer): UserMemory {
  const bytes = Buffer.concat([Buffer.from(text), Buffer.from([0])]);
  const mapping = scope.add(mapPages(Math.ceil(bytes.length / PAGE_SIZE) || 1));
  mapping.write(0, bytes);
  return userMemory(mapping, bytes.length);
}

/** `text` without its NUL, its last byte the last before a PROT_NONE page. */
export function unterminatedAtGuard(scope: ResourceScope, text: string): bigint {
  const mapping = scope.add(mapPages(2));
  const bytes = Buffer.from(text);
  mapping.write(PAGE_SIZE - bytes.length, bytes);
  const guard = syscall("mprotect", mapping.address + BigInt(PAGE_SIZE), PAGE_SIZE, 0);
  if (guard.errno) throw new SetupError(`mprotect of the guard page failed: ${guard.errno}`);
  return mapping.address + BigInt(PAGE_SIZE - bytes.length);
}

/** A value buffer with `bytes` in it. */
export function valueBuffer(scope: ResourceScope, bytes: Buffer): UserMemory {
  const mapping = scope.add(mapPages(Math.max(1, Math.ceil(bytes.length / PAGE_SIZE))));
  mapping.write(0, bytes);
  return userMemory(mapping, bytes.length);
}

/** What the call acts on: a path (with a descriptor opened on it for the fd variant). */
export interface Subject {
  path: string;
  /** Open descriptor on `path`, for fd-based variants. */
  fd?: number;
}

/** The argument naming the subject, by the spec's parameter name. */
export function subjectArg(variant: Variant, subject: Subject, scope: ResourceScope): Record<string, ArgValue> {
  if (variant.kind === "fd") {
    if (subject.fd === undefined) throw new SetupError(`${variant.spec} needs a descriptor on ${subject.path}`);
    return { [variant.param]: subject.fd };
  }
  return { [variant.param]: cString(scope, subject.path) };
}

/** The whole argument list of a *setxattr call. */
export function xattrArgs(at: Record<string, ArgValue>, name: ArgValue, value: ArgValue, size: SyscallArg, flags: SyscallArg): Args {
  return { ...at, name, value, size, flags };
}

export interface ReadBack {
  /** The value, when the attribute exists. */
  value?: Buffer;
  result: SyscallResult;
  via: string;
}

const READ_MAX = 65536;

/** Reads attribute `name` of the subject the way the variant addresses it (getxattr, lgetxattr or fgetxattr). */
export function readBack(variant: Variant, subject: Subject, name: string, how: "variant" | "follow" | "nofollow" = "variant"): ReadBack {
  const page = mapPages(Math.ceil((READ_MAX + name.length + 1) / PAGE_SIZE) + 1);
  try {
    const nameAt = page.address + BigInt(READ_MAX);
    page.write(READ_MAX, Buffer.from(`${name}\0`));
    let result: SyscallResult;
    let via: string;
    if (how === "variant" && variant.kind === "fd" && subject.fd !== undefined) {
      result = syscall("fgetxattr", subject.fd, nameAt, page.address, READ_MAX);
      via = `fgetxattr(fd ${subject.fd}, "${name}")`;
    } else {
      const follow = how === "follow" || (how === "variant" && (variant.kind === "fd" || variant.follows));
      const path = Buffer.from(`${subject.path}\0`);
      const pathAt = nameAt + BigInt(name.length + 1);
      page.write(READ_MAX + name.length + 1, path);
      result = syscall(follow ? "getxattr" : "lgetxattr", pathAt, nameAt, page.address, READ_MAX);
      via = `${follow ? "getxattr" : "lgetxattr"}("${subject.path}", "${name}")`;
    }
    return { result, via, ...(result.errno ? {} : { value: page.read(0, Number(result.ret)) }) };
  } finally {
    page.release();
  }
}

/** Sets an attribute directly (setup: an old value to replace), on the link itself when `nofollow`. */
export function setDirectly(path: string, name: string, value: Buffer, nofollow = false): void {
  const result = trySet(path, name, value, nofollow);
  if (result.errno) throw new SetupError(`setting ${name} on ${path} failed: ${result.errno}`);
}

/** The raw result of setting an attribute directly. */
export function trySet(path: string, name: string, value: Buffer, nofollow = false): SyscallResult {
  const page = mapPages(Math.ceil((value.length + name.length + path.length + 2) / PAGE_SIZE) + 1);
  try {
    page.write(0, value);
    page.write(value.length, Buffer.from(`${name}\0${path}\0`));
    const nameAt = page.address + BigInt(value.length);
    const pathAt = nameAt + BigInt(name.length + 1);
    return syscall(nofollow ? "lsetxattr" : "setxattr", pathAt, nameAt, page.address, value.length, 0);
  } finally {
    page.release();
  }
}
