// SPDX-License-Identifier: GPL-2.0-only
// Reading and writing memory the harness does not own (the AIO completion
// ring, which the kernel maps and unmaps) without risking SIGSEGV:
// process_vm_readv/writev on our own pid go through the kernel's user-copy
// path, so an unmapped or PROT_NONE address yields EFAULT instead of a fault.
// The own-process case always passes the ptrace access check (same thread group).
import { Mapping } from "./memory.js";
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

const IOVEC_BYTES = 16; // struct iovec { void *iov_base; size_t iov_len; } on 64-bit

/**
 * One scratch mapping kept for the life of the process and grown on demand:
 * calls are synchronous on one thread, so it is never used twice at once. Not
 * mapping per call also means a peek never lands its scratch in the hole a
 * just-released mapping left (which would make that address readable again).
 */
let scratchMapping: Mapping | undefined;

function scratchOf(length: number): Mapping {
  if (!scratchMapping || scratchMapping.length < length) {
    const grown = Mapping.map(length);
    scratchMapping?.release();
    scratchMapping = grown;
  }
  return scratchMapping;
}

/** Copies `length` bytes at `address` through the scratch mapping and runs the transfer. */
function transfer(address: bigint, length: number, kind: "read" | "write", data?: Uint8Array): Buffer {
  if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`length must be a positive integer, got ${length}`);
  // Layout: local iovec, remote iovec, then the local buffer.
  const header = 2 * IOVEC_BYTES;
  const scratch = scratchOf(header + length);
  scratch.writeU64(0, scratch.addressAt(header));
  scratch.writeU64(8, BigInt(length));
  scratch.writeU64(16, address);
  scratch.writeU64(24, BigInt(length));
  if (data) scratch.write(header, data);
  const name = kind === "read" ? "process_vm_readv" : "process_vm_writev";
  const result = syscall(name, process.pid, scratch.address, 1, scratch.addressAt(IOVEC_BYTES), 1, 0);
  if (result.ret !== BigInt(length)) throw new UnreadableMemoryError(address, length, kind, result);
  return scratch.read(header, length);
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
