// SPDX-License-Identifier: GPL-2.0-only
// File descriptors of every kind the fd syscalls take or refuse, as named
// producers: raw opens, pipes, a socket pair, an eventfd, a sealed memfd, an
// O_PATH descriptor, a directory; and the process state some conditions
// need (an rlimit lowered, a signal ignored, a signal that interrupts a
// blocking call). Each is registered with the scenario's scope, so the
// descriptor is closed and the process state restored whatever the verdict.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { DataType, load } from "ffi-rs";
import { constant, type ConstantName } from "../../kernel/constants.js";
import { asBigint, libc } from "../../kernel/libc.js";
import { Mapping, mapPages, PAGE_SIZE } from "../../kernel/memory.js";
import { openPipe, type Pipe } from "../../kernel/pipe.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, syscall, type SyscallResult } from "../../kernel/syscall.js";
import { SetupError } from "../errors.js";
import { userMemory, type EnvironmentOnly, type UserMemory } from "../scenario.js";

const SEEK_SET = 0;
const SEEK_CUR = 1;
const SIG_IGN = 1n;

/** Open flags by name, OR-ed, for the running arch. */
export const oflags = (...names: ConstantName[]): number => names.reduce((acc, n) => acc | constant(n), 0);

/** `text` NUL-terminated at the start of fresh pages, as user memory (length includes the NUL). */
export function cString(scope: ResourceScope, text: string | Buffer): UserMemory {
  const bytes = Buffer.concat([typeof text === "string" ? Buffer.from(text) : text, Buffer.from([0])]);
  const mapping = scope.add(Mapping.map(bytes.length));
  mapping.write(0, bytes);
  return userMemory(mapping, bytes.length);
}

/**
 * `text` without a terminating NUL, ending on the last byte of a readable page
 * that a PROT_NONE page follows: a string the kernel cannot finish reading.
 */
export function unterminatedString(scope: ResourceScope, text = "kapi-conform-unterminated"): UserMemory {
  const mapping = scope.add(mapPages(2));
  mapping.protect("readwrite");
  const start = PAGE_SIZE - text.length;
  mapping.write(start, Buffer.from(text));
  // Only the second page becomes inaccessible.
  check("mprotect", syscall("mprotect", mapping.address + BigInt(PAGE_SIZE), PAGE_SIZE, 0), "guard page after the string");
  return userMemory({ address: mapping.address, read: (offset, length) => mapping.read(offset, Math.min(length, PAGE_SIZE - offset)) }, text.length, start);
}

/** openat(AT_FDCWD, path, flags, mode), unchecked, for setups that judge the result themselves. */
export function openRaw(scope: ResourceScope, path: string, flags: number, mode = 0o600): SyscallResult {
  const result = syscall("openat", constant("AT_FDCWD"), cString(scope, path).address, flags, mode);
  if (result.errno === undefined) {
    const fd = Number(result.ret);
    scope.defer(() => void syscall("close", fd));
  }
  return result;
}

/** A descriptor on `path` opened with raw flags; closed on release (if still open). */
export function openFd(scope: ResourceScope, path: string, flags: number, mode = 0o600): number {
  const result = openRaw(scope, path, flags, mode);
  if (result.errno) throw new SetupError(`openat ${path} flags 0x${flags.toString(16)} failed: ${result.errno}`);
  return Number(result.ret);
}

/** A pipe from pipe2 with `flags` (O_NONBLOCK, ...), both ends closed on release. */
export function pipeFds(scope: ResourceScope, flags = 0): Pipe {
  return scope.add(openPipe(flags));
}

/** A memfd with `content`, opened read-write, with `seals` (F_SEAL_* names) added. */
export function sealedMemfd(scope: ResourceScope, content: Buffer, seals: ConstantName[]): number {
  const fd = Number(check("memfd_create", syscall("memfd_create", cString(scope, "kapi-conform").address, constant("MFD_ALLOW_SEALING")), "MFD_ALLOW_SEALING"));
  scope.defer(() => void syscall("close", fd));
  const data = scope.add(Mapping.map(Math.max(content.length, 1)));
  data.write(0, content);
  if (content.length > 0 && syscall("write", fd, data.address, content.length).ret !== BigInt(content.length)) throw new SetupError("writing the memfd's content failed");
  check("lseek", syscall("lseek", fd, 0, SEEK_SET), "memfd back to 0");
  if (seals.length > 0) check("fcntl", syscall("fcntl", fd, constant("F_ADD_SEALS"), oflags(...seals)), `F_ADD_SEALS ${seals.join("|")}`);
  return fd;
}

/** An O_PATH descriptor of `path`: usable to name the file, not for I/O. */
export function pathFd(scope: ResourceScope, path: string): number {
  return openFd(scope, path, oflags("O_PATH"));
}

/** A read-only descriptor of a directory. */
export function directoryFd(scope: ResourceScope, path: string): number {
  return openFd(scope, path, oflags("O_RDONLY", "O_DIRECTORY"));
}

/** The descriptor's file offset (lseek SEEK_CUR), or the errno. */
export function fileOffset(fd: number): bigint | string {
  const r = syscall("lseek", fd, 0, SEEK_CUR);
  return r.errno ?? r.ret;
}

/** Whether `fd` names an open descriptor of this process (fcntl F_GETFD succeeds). */
export function fdIsOpen(fd: number): boolean {
  return syscall("fcntl", fd, constant("F_GETFD")).errno === undefined;
}

/** The lowest descriptor number not open in this process. */
export function lowestFreeFd(): number {
  for (let fd = 0; fd < 1 << 20; fd++) if (!fdIsOpen(fd)) return fd;
  throw new SetupError("no free descriptor below 2^20");
}

/** Writes into a non-blocking write end until it would block; returns the bytes it took. */
export function fillPipe(scope: ResourceScope, writeFd: number): number {
  const chunk = scope.add(mapPages(16));
  let total = 0;
  for (;;) {
    const r = syscall("write", writeFd, chunk.address, chunk.length);
    if (r.errno === "EAGAIN") return total;
    if (r.errno) throw new SetupError(`filling the pipe failed: ${r.errno}`);
    total += Number(r.ret);
    if (total > 64 << 20) throw new SetupError("the pipe took 64 MiB without blocking: is its write end non-blocking?");
  }
}

/** Writes zeros to `fd` until the filesystem is full (ENOSPC); returns the bytes written. */
export function fillFile(scope: ResourceScope, fd: number): number {
  const chunk = scope.add(mapPages(16));
  let total = 0;
  for (;;) {
    const r = syscall("write", fd, chunk.address, chunk.length);
    if (r.errno === "ENOSPC") return total;
    if (r.errno) throw new SetupError(`filling the filesystem failed: ${r.errno}`);
    if (r.ret === 0n) return total;
    total += Number(r.ret);
    if (total > 256 << 20) throw new SetupError("256 MiB written without ENOSPC: is this a small filesystem?");
  }
}

/** Sets this process's soft limit of `resource` (prlimit64) and restores the previous limits on release. */
export function lowerRlimit(scope: ResourceScope, resource: "RLIMIT_NOFILE" | "RLIMIT_FSIZE", soft: bigint): void {
  const old = scope.add(Mapping.map(16));
  const wanted = scope.add(Mapping.map(16));
  const id = constant(resource);
  check("prlimit64", syscall("prlimit64", 0, id, 0n, old.address), `get ${resource}`);
  wanted.writeU64(0, soft);
  wanted.writeU64(8, old.readU64(8));
  check("prlimit64", syscall("prlimit64", 0, id, wanted.address, 0n), `${resource} soft ${soft}`);
  // Registered after the mappings, so it runs before they are unmapped.
  scope.defer(() => void check("prlimit64", syscall("prlimit64", 0, id, old.address, 0n), `restore ${resource}`));
}

/** struct kernel_sigaction: handler, flags, restorer, mask (8 bytes on every supported 64-bit arch). */
const KSIGACTION_SIZE = 32;
const SIGSET_SIZE = 8;

/** Sets `signal` to SIG_IGN for this process (raw rt_sigaction) and restores the previous action on release. */
export function ignoreSignal(scope: ResourceScope, signal: "SIGPIPE" | "SIGXFSZ"): void {
  const old = scope.add(Mapping.map(KSIGACTION_SIZE));
  const ignore = scope.add(Mapping.map(KSIGACTION_SIZE));
  ignore.writeU64(0, SIG_IGN);
  const sig = constant(signal);
  check("rt_sigaction", syscall("rt_sigaction", sig, ignore.address, old.address, SIGSET_SIZE), `${signal} SIG_IGN`);
  scope.defer(() => void check("rt_sigaction", syscall("rt_sigaction", sig, old.address, 0n, SIGSET_SIZE), `restore ${signal}`));
}

/** glibc's struct sigaction: handler, 128-byte mask, int flags (+ pad), restorer. */
const GLIBC_SIGACTION_SIZE = 152;
const GLIBC_SA_FLAGS_OFFSET = 136;

function libcCall(funcName: string, types: DataType[], values: unknown[]): bigint {
  return asBigint(load({ library: libc(), funcName, retType: DataType.BigInt, paramsType: types, paramsValue: values }), funcName);
}

/**
 * Installs, through glibc's sigaction (which supplies the restorer the kernel
 * needs to return from a handler), a handler for `signal` WITHOUT SA_RESTART,
 * so a blocking call it interrupts fails instead of restarting. The handler is
 * libc's getpid: a function that ignores its argument and touches nothing.
 * Then a helper process sends the signal to this process every 50 ms until
 * released (the first may come before the call blocks). On release the helper
 * is killed and seen dead before the previous action comes back.
 */
export function interruptingSignal(scope: ResourceScope, signal: "SIGALRM" | "SIGUSR2" = "SIGALRM"): { sent: string } {
  const handler = libcCall("dlsym", [DataType.BigInt, DataType.String], [0n, "getpid"]);
  if (handler === 0n) throw new SetupError("dlsym(RTLD_DEFAULT, getpid) found nothing to use as a signal handler");
  const act = scope.add(Mapping.map(GLIBC_SIGACTION_SIZE));
  const old = scope.add(Mapping.map(GLIBC_SIGACTION_SIZE));
  act.writeU64(0, handler);
  act.writeU32(GLIBC_SA_FLAGS_OFFSET, 0); // no SA_RESTART
  const sig = constant(signal);
  if (libcCall("sigaction", [DataType.BigInt, DataType.BigInt, DataType.BigInt], [BigInt(sig), act.address, old.address]) !== 0n) throw new SetupError(`sigaction(${signal}) failed`);
  scope.defer(() => {
    if (libcCall("sigaction", [DataType.BigInt, DataType.BigInt, DataType.BigInt], [BigInt(sig), old.address, 0n]) !== 0n) throw new Error(`restoring ${signal} failed`);
  });
  const name = signal.slice(3);
  const child = spawn("/bin/sh", ["-c", `while sleep 0.05; do kill -${name} ${process.pid} || exit 0; done`], { stdio: "ignore" });
  const pid = child.pid;
  if (pid === undefined) throw new SetupError("could not start the signalling helper (/bin/sh)");
  scope.defer(() => {
    child.kill("SIGKILL");
    // Dead (a zombie until Node reaps it) means it sends nothing more.
    const until = Date.now() + 2000;
    while (Date.now() < until && !isGone(pid)) {
      /* bounded wait */
    }
  });
  return { sent: `${signal} every 50 ms from helper pid ${pid}` };
}

function isGone(pid: number): boolean {
  try {
    return /\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** An error block only another environment exercises (a failing disk, an LSM policy), named by its summary, with why. */
export function errorElsewhere(id: string, summary: string | RegExp, reason: string, detail: string, text?: string): EnvironmentOnly {
  return { id, title: String(summary), about: { section: "errors", summary, ...(text ? { text } : {}) }, reason: () => ({ reason, detail }) };
}
