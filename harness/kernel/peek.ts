// SPDX-License-Identifier: GPL-2.0-only
// Reading and writing memory the harness does not own (the AIO completion
// ring, which the kernel maps and unmaps) without risking SIGSEGV: the bytes
// go through the kernel's user-copy path, so an unmapped or PROT_NONE address
// yields EFAULT instead of a fault.
//
// Two ways, same result:
// - "process_vm": process_vm_readv/writev on our own pid (one syscall; the
//   own-process case always passes the ptrace access check).
// - "pipe": write(2) the bytes into a private pipe and read(2) them out, one
//   page at a time. Used when process_vm_* is unavailable (ENOSYS, or EPERM
//   from a seccomp profile).
import { Mapping, PAGE_SIZE } from "./memory.js";
import { openPipe, type Pipe } from "./pipe.js";
import { syscall, type SyscallResult } from "./syscall.js";

export class UnreadableMemoryError extends Error {
  override name = "UnreadableMemoryError";
  constructor(
    readonly address: bigint,
    readonly length: number,
    readonly kind: "read" | "write",
    readonly result: SyscallResult,
  ) {
    super(`cannot ${kind} ${length} bytes at 0x${address.toString(16)}: ${result.errno ?? `only ${result.ret} bytes transferred`}`);
  }
}

export type PeekMethod = "process_vm" | "pipe";

const IOVEC_BYTES = 16; // struct iovec { void *iov_base; size_t iov_len; } on 64-bit
const HEADER = 2 * IOVEC_BYTES; // scratch layout: local iovec, remote iovec, then the bytes
const O_NONBLOCK = 0o4000;
const O_CLOEXEC = 0o2000000;

/**
 * One scratch mapping kept for the life of the process and grown on demand:
 * calls are synchronous on one thread, so it is never used twice at once. Not
 * mapping per call also means a peek never lands its scratch in the hole a
 * just-released mapping left (which would make that address readable again).
 */
let scratchMapping: Mapping | undefined;
let method: PeekMethod | undefined;
let pipe: Pipe | undefined;

function scratchOf(length: number): Mapping {
  if (!scratchMapping || scratchMapping.length < length) {
    const grown = Mapping.map(length);
    scratchMapping?.release();
    scratchMapping = grown;
  }
  return scratchMapping;
}

/** process_vm_readv/writev between the scratch buffer and `address`. */
function viaProcessVm(address: bigint, length: number, kind: "read" | "write", scratch: Mapping): SyscallResult {
  scratch.writeU64(0, scratch.addressAt(HEADER));
  scratch.writeU64(8, BigInt(length));
  scratch.writeU64(16, address);
  scratch.writeU64(24, BigInt(length));
  const name = kind === "read" ? "process_vm_readv" : "process_vm_writev";
  return syscall(name, process.pid, scratch.address, 1, scratch.addressAt(IOVEC_BYTES), 1, 0);
}

/** Empties the private pipe after a partial transfer. */
function drain(p: Pipe, scratch: Mapping): void {
  while (syscall("read", p.readFd, scratch.addressAt(HEADER), PAGE_SIZE).ret > 0n);
}

/** The same transfer through the private pipe, a page at a time (a pipe holds at least one page). */
function viaPipe(address: bigint, length: number, kind: "read" | "write", scratch: Mapping): SyscallResult {
  pipe ??= openPipe(O_NONBLOCK | O_CLOEXEC);
  const p = pipe;
  for (let done = 0; done < length; ) {
    const n = Math.min(PAGE_SIZE, length - done);
    const theirs = address + BigInt(done);
    const ours = scratch.addressAt(HEADER + done);
    // Reading: their memory -> pipe -> scratch. Writing: scratch -> pipe -> their memory.
    const into = syscall("write", p.writeFd, kind === "read" ? theirs : ours, n);
    if (into.ret !== BigInt(n)) {
      drain(p, scratch);
      return into.ret === -1n ? into : { ret: BigInt(done) + into.ret };
    }
    const out = syscall("read", p.readFd, kind === "read" ? ours : theirs, n);
    if (out.ret !== BigInt(n)) {
      drain(p, scratch);
      return out.ret === -1n ? out : { ret: BigInt(done) + out.ret };
    }
    done += n;
  }
  return { ret: BigInt(length) };
}

/** process_vm unless it is refused outright (not EFAULT, which is an answer about the address). */
function chooseMethod(scratch: Mapping): PeekMethod {
  const probe = viaProcessVm(scratch.addressAt(HEADER), 1, "read", scratch);
  return probe.ret === 1n ? "process_vm" : "pipe";
}

function transfer(address: bigint, length: number, kind: "read" | "write", data?: Uint8Array): Buffer {
  if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`length must be a positive integer, got ${length}`);
  const scratch = scratchOf(HEADER + length);
  method ??= chooseMethod(scratch);
  if (data) scratch.write(HEADER, data);
  const result = method === "process_vm" ? viaProcessVm(address, length, kind, scratch) : viaPipe(address, length, kind, scratch);
  if (result.ret !== BigInt(length)) throw new UnreadableMemoryError(address, length, kind, result);
  return scratch.read(HEADER, length);
}

/** A copy of `length` bytes at `address`; throws UnreadableMemoryError (never faults) if they cannot be read. */
export function peek(address: bigint, length: number): Buffer {
  return transfer(address, length, "read");
}

/** Writes `data` at `address`; throws UnreadableMemoryError (kind "write") if the memory is not writable. */
export function poke(address: bigint, data: Uint8Array): void {
  transfer(address, data.length, "write", data);
}

export function isReadable(address: bigint, length = 1): boolean {
  try {
    peek(address, length);
    return true;
  } catch (e) {
    if (e instanceof UnreadableMemoryError) return false;
    throw e;
  }
}

/** The method in use (chosen at the first transfer). */
export function peekMethod(): PeekMethod | undefined {
  return method;
}

/** Forces a method, so tests can exercise both; returns the previous one. */
export function usePeekMethod(next: PeekMethod | undefined): PeekMethod | undefined {
  const previous = method;
  method = next;
  return previous;
}
