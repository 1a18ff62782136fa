// SPDX-License-Identifier: GPL-2.0-only
// Anonymous memory the harness hands to the kernel (iocbs, pointer arrays,
// buffers) and guard pages the kernel must refuse to read.
//
// Use-after-unmap from JS must be an exception, never a SIGSEGV. A zero-copy
// Buffer over a mapping cannot be revoked once handed out, and touching it
// after munmap or mprotect(PROT_NONE) kills the process. So no view ever
// leaves a Mapping: every access goes through a method that first checks
// "released", bounds and protection, then uses the private view. Reads return
// copies. The one way left to crash is a raw syscall ("munmap", "mprotect")
// on the address behind the Mapping's back; this API cannot see that.
import { endianness } from "node:os";
import { check, syscall } from "./syscall.js";
import { getPageSize, unsafeView } from "./libc.js";

/** The kernel's page size (getpagesize(), i.e. AT_PAGESZ). */
export const PAGE_SIZE: number = getPageSize();

/** mmap/mprotect constants; identical on x86_64, arm64, riscv64 and i386 (asm-generic/mman-common.h). */
export const MMAP = {
  PROT_NONE: 0,
  PROT_READ: 1,
  PROT_WRITE: 2,
  MAP_SHARED: 0x01,
  MAP_PRIVATE: 0x02,
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x20,
  MAP_FIXED_NOREPLACE: 0x100000,
} as const;

export type Protection = "none" | "read" | "readwrite";

export const PROT_BITS: Readonly<Record<Protection, number>> = {
  none: MMAP.PROT_NONE,
  read: MMAP.PROT_READ,
  readwrite: MMAP.PROT_READ | MMAP.PROT_WRITE,
};

const LITTLE = endianness() === "LE";

export class ReleasedMappingError extends Error {
  override name = "ReleasedMappingError";
  constructor(address: bigint) {
    super(`mapping at 0x${address.toString(16)} was released (munmapped); it can no longer be accessed`);
  }
}

/** Out of bounds, or not allowed by the mapping's current protection. */
export class MappingAccessError extends Error {
  override name = "MappingAccessError";
}

export function roundUpToPages(length: number): number {
  return Math.ceil(length / PAGE_SIZE) * PAGE_SIZE;
}

export class Mapping {
  readonly address: bigint;
  /** Whole pages: the length the kernel mapped. */
  readonly length: number;
  #protection: Protection;
  #released = false;
  #view: Buffer | undefined;

  private constructor(address: bigint, length: number, protection: Protection) {
    this.address = address;
    this.length = length;
    this.#protection = protection;
  }

  /** An anonymous private mapping of at least `length` bytes (rounded up to pages), zero-filled. */
  static map(length: number, protection: Protection = "readwrite"): Mapping {
    if (!Number.isSafeInteger(length) || length <= 0) throw new RangeError(`mapping length must be a positive integer, got ${length}`);
    const rounded = roundUpToPages(length);
    const address = check(
      "mmap",
      syscall("mmap", 0n, rounded, PROT_BITS[protection], MMAP.MAP_PRIVATE | MMAP.MAP_ANONYMOUS, -1, 0),
      `${rounded} bytes, ${protection}`,
    );
    return new Mapping(address, rounded, protection);
  }

  get released(): boolean {
    return this.#released;
  }

  get protection(): Protection {
    return this.#protection;
  }

  /** The address `offset` bytes in; `offset` may equal length (one past the end). */
  addressAt(offset: number): bigint {
    this.#checkRange(offset, 0);
    return this.address + BigInt(offset);
  }

  /**
   * A COPY of the whole mapping. It is not a live view: writing to it changes
   * nothing in the mapping (use write()), and it stays valid after release.
   */
  bytes(): Buffer {
    return this.read(0, this.length);
  }

  /** A copy of `length` bytes at `offset`. */
  read(offset: number, length: number): Buffer {
    const view = this.#access(offset, length, false);
    return Buffer.from(view.subarray(offset, offset + length));
  }

  write(offset: number, data: Uint8Array): void {
    this.#access(offset, data.length, true).set(data, offset);
  }

  fill(value: number, offset = 0, length = this.length - offset): void {
    this.#access(offset, length, true).fill(value, offset, offset + length);
  }

  // Native byte order: these hold kernel structs, which the kernel reads natively.
  // Each accessor works on the whole-mapping view at `offset`: no subarray per access.
  readU32(offset: number): number {
    const v = this.#access(offset, 4, false);
    return LITTLE ? v.readUInt32LE(offset) : v.readUInt32BE(offset);
  }

  /** Writes the 32-bit pattern of `value` (signed or unsigned). */
  writeU32(offset: number, value: number): void {
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 32) throw new RangeError(`${value} does not fit in 32 bits`);
    const v = this.#access(offset, 4, true);
    if (LITTLE) v.writeUInt32LE(value >>> 0, offset);
    else v.writeUInt32BE(value >>> 0, offset);
  }

  readU64(offset: number): bigint {
    const v = this.#access(offset, 8, false);
    return LITTLE ? v.readBigUInt64LE(offset) : v.readBigUInt64BE(offset);
  }

  readI64(offset: number): bigint {
    return BigInt.asIntN(64, this.readU64(offset));
  }

  /** Writes the 64-bit pattern of `value` (signed or unsigned). */
  writeU64(offset: number, value: bigint): void {
    const v = this.#access(offset, 8, true);
    const bits = BigInt.asUintN(64, value);
    if (LITTLE) v.writeBigUInt64LE(bits, offset);
    else v.writeBigUInt64BE(bits, offset);
  }

  /** mprotect the whole mapping; later accesses obey the new protection. */
  protect(protection: Protection): void {
    this.#checkLive();
    check("mprotect", syscall("mprotect", this.address, this.length, PROT_BITS[protection]), protection);
    this.#protection = protection;
  }

  /** munmap; a second call does nothing. */
  release(): void {
    if (this.#released) return;
    // Drop the view first: even if munmap failed, nothing may touch it again.
    this.#view = undefined;
    this.#released = true;
    check("munmap", syscall("munmap", this.address, this.length), `0x${this.address.toString(16)}`);
  }

  #checkLive(): void {
    if (this.#released) throw new ReleasedMappingError(this.address);
  }

  #checkRange(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.length) {
      throw new MappingAccessError(`range [${offset}, ${offset}+${length}) is outside the ${this.length}-byte mapping at 0x${this.address.toString(16)}`);
    }
  }

  /**
   * The private whole-mapping view, after every check that keeps an access of
   * `length` bytes at `offset` from faulting; callers index it at `offset`.
   */
  #access(offset: number, length: number, write: boolean): Buffer {
    if (this.#released) throw new ReleasedMappingError(this.address);
    this.#checkRange(offset, length);
    const allowed = write ? this.#protection === "readwrite" : this.#protection !== "none";
    if (!allowed) throw new MappingAccessError(`cannot ${write ? "write" : "read"} the mapping at 0x${this.address.toString(16)}: it is ${this.#protection === "none" ? "PROT_NONE" : "read-only"}`);
    return (this.#view ??= unsafeView(this.address, this.length));
  }
}

/** `pages` anonymous private read-write pages, zero-filled and page-aligned. */
export function mapPages(pages = 1): Mapping {
  if (!Number.isSafeInteger(pages) || pages <= 0) throw new RangeError(`page count must be a positive integer, got ${pages}`);
  return Mapping.map(pages * PAGE_SIZE);
}

/** One PROT_NONE page: an address the kernel cannot read or write (get_user fails with EFAULT). */
export function guardPage(): Mapping {
  return Mapping.map(PAGE_SIZE, "none");
}
