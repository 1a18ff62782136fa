// SPDX-License-Identifier: GPL-2.0-only
// Pure codecs for the legacy AIO ABI (include/uapi/linux/aio_abi.h and the
// ring header of fs/aio.c). Fields are in native byte order; aio_key and
// aio_rw_flags trade places on big-endian (the PADDED() macro), so every
// codec takes the byte order, defaulting to this machine's.
import { endianness } from "node:os";

export type Endian = "LE" | "BE";

export const IOCB_SIZE = 64;
export const IO_EVENT_SIZE = 32;
export const AIO_RING_MAGIC = 0xa10a10a1;
export const AIO_RING_HEADER_SIZE = 32;

export const IOCB_CMD = { PREAD: 0, PWRITE: 1, FSYNC: 2, FDSYNC: 3, POLL: 5, NOOP: 6, PREADV: 7, PWRITEV: 8 } as const;


export interface Iocb {
  /** aio_data: echoed in the io_event. */
  data: bigint;
  /** aio_key: the kernel writes KIOCB_KEY (0) at submit and requires 0 at cancel. */
  key: number;
  rwFlags: number;
  opcode: number;
  reqprio: number;
  fildes: number;
  buf: bigint;
  nbytes: bigint;
  offset: bigint;
  reserved2: bigint;
  flags: number;
  resfd: number;
}

/** Byte offsets of struct iocb fields; key/rwFlags depend on the byte order. */
export function iocbOffsets(endian: Endian = endianness()): Readonly<Record<keyof Iocb, number>> {
  const le = endian === "LE";
  return { data: 0, key: le ? 8 : 12, rwFlags: le ? 12 : 8, opcode: 16, reqprio: 18, fildes: 20, buf: 24, nbytes: 32, offset: 40, reserved2: 48, flags: 56, resfd: 60 };
}

export interface IoEvent {
  data: bigint;
  /** The user address of the iocb this event completes. */
  obj: bigint;
  res: bigint;
  res2: bigint;
}

export interface RingHeader {
  /** Index of the context in the mm's ioctx table (checked by lookup_ioctx). */
  id: number;
  /** Number of io_event slots in the ring. */
  nr: number;
  head: number;
  tail: number;
  magic: number;
  compatFeatures: number;
  incompatFeatures: number;
  headerLength: number;
}

export type RingHeaderField = keyof RingHeader;

export const RING_HEADER_OFFSETS: Readonly<Record<RingHeaderField, number>> = {
  id: 0,
  nr: 4,
  head: 8,
  tail: 12,
  magic: 16,
  compatFeatures: 20,
  incompatFeatures: 24,
  headerLength: 28,
};

/** Fixed-width access in one byte order; values out of range throw rather than wrap silently. */
class Codec {
  constructor(
    readonly buf: Buffer,
    readonly base: number,
    readonly le: boolean,
  ) {}

  u16(at: number, v: number, field: string): void {
    checkInt(v, 16, field);
    const bits = v & 0xffff;
    if (this.le) this.buf.writeUInt16LE(bits, this.base + at);
    else this.buf.writeUInt16BE(bits, this.base + at);
  }
  u32(at: number, v: number, field: string): void {
    checkInt(v, 32, field);
    const bits = v >>> 0;
    if (this.le) this.buf.writeUInt32LE(bits, this.base + at);
    else this.buf.writeUInt32BE(bits, this.base + at);
  }
  u64(at: number, v: bigint, field: string): void {
    if (v < -(1n << 63n) || v >= 1n << 64n) throw new RangeError(`${field} = ${v} does not fit in 64 bits`);
    const bits = BigInt.asUintN(64, v);
    if (this.le) this.buf.writeBigUInt64LE(bits, this.base + at);
    else this.buf.writeBigUInt64BE(bits, this.base + at);
  }
  getU16(at: number): number {
    return this.le ? this.buf.readUInt16LE(this.base + at) : this.buf.readUInt16BE(this.base + at);
  }
  getI16(at: number): number {
    return this.le ? this.buf.readInt16LE(this.base + at) : this.buf.readInt16BE(this.base + at);
  }
  getU32(at: number): number {
    return this.le ? this.buf.readUInt32LE(this.base + at) : this.buf.readUInt32BE(this.base + at);
  }
  getU64(at: number): bigint {
    return this.le ? this.buf.readBigUInt64LE(this.base + at) : this.buf.readBigUInt64BE(this.base + at);
  }
  getI64(at: number): bigint {
    return this.le ? this.buf.readBigInt64LE(this.base + at) : this.buf.readBigInt64BE(this.base + at);
  }
}

/** Accepts a signed or unsigned value of `bits` width (e.g. fildes -1 or 0xffffffff). */
function checkInt(v: number, bits: number, field: string): void {
  if (!Number.isInteger(v) || v < -(2 ** (bits - 1)) || v >= 2 ** bits) throw new RangeError(`${field} = ${v} does not fit in ${bits} bits`);
}

function checkSpan(buf: Buffer, offset: number, size: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + size > buf.length) {
    throw new RangeError(`${what} needs ${size} bytes at offset ${offset}; the buffer has ${buf.length}`);
  }
}

/** The 64 bytes of a struct iocb; missing fields are 0. Integer fields take signed or unsigned bit patterns. */
export function encodeIocb(iocb: Partial<Iocb>, endian: Endian = endianness()): Buffer {
  const buf = Buffer.alloc(IOCB_SIZE);
  const c = new Codec(buf, 0, endian === "LE");
  const at = iocbOffsets(endian);
  c.u64(at.data, iocb.data ?? 0n, "data");
  c.u32(at.key, iocb.key ?? 0, "key");
  c.u32(at.rwFlags, iocb.rwFlags ?? 0, "rwFlags");
  c.u16(at.opcode, iocb.opcode ?? 0, "opcode");
  c.u16(at.reqprio, iocb.reqprio ?? 0, "reqprio");
  c.u32(at.fildes, iocb.fildes ?? 0, "fildes");
  c.u64(at.buf, iocb.buf ?? 0n, "buf");
  c.u64(at.nbytes, iocb.nbytes ?? 0n, "nbytes");
  c.u64(at.offset, iocb.offset ?? 0n, "offset");
  c.u64(at.reserved2, iocb.reserved2 ?? 0n, "reserved2");
  c.u32(at.flags, iocb.flags ?? 0, "flags");
  c.u32(at.resfd, iocb.resfd ?? 0, "resfd");
  return buf;
}

/** Decodes as the kernel types them: reqprio and offset signed, the rest unsigned. */
export function decodeIocb(buf: Buffer, offset = 0, endian: Endian = endianness()): Iocb {
  checkSpan(buf, offset, IOCB_SIZE, "struct iocb");
  const c = new Codec(buf, offset, endian === "LE");
  const at = iocbOffsets(endian);
  return {
    data: c.getU64(at.data),
    key: c.getU32(at.key),
    rwFlags: c.getU32(at.rwFlags),
    opcode: c.getU16(at.opcode),
    reqprio: c.getI16(at.reqprio),
    fildes: c.getU32(at.fildes),
    buf: c.getU64(at.buf),
    nbytes: c.getU64(at.nbytes),
    offset: c.getI64(at.offset),
    reserved2: c.getU64(at.reserved2),
    flags: c.getU32(at.flags),
    resfd: c.getU32(at.resfd),
  };
}

/** data and obj unsigned, res and res2 signed (__s64), as in struct io_event. */
export function decodeIoEvent(buf: Buffer, offset = 0, endian: Endian = endianness()): IoEvent {
  checkSpan(buf, offset, IO_EVENT_SIZE, "struct io_event");
  const c = new Codec(buf, offset, endian === "LE");
  return { data: c.getU64(0), obj: c.getU64(8), res: c.getI64(16), res2: c.getI64(24) };
}

export function encodeIoEvent(event: Partial<IoEvent>, endian: Endian = endianness()): Buffer {
  const buf = Buffer.alloc(IO_EVENT_SIZE);
  const c = new Codec(buf, 0, endian === "LE");
  c.u64(0, event.data ?? 0n, "data");
  c.u64(8, event.obj ?? 0n, "obj");
  c.u64(16, event.res ?? 0n, "res");
  c.u64(24, event.res2 ?? 0n, "res2");
  return buf;
}

export function decodeRingHeader(buf: Buffer, offset = 0, endian: Endian = endianness()): RingHeader {
  checkSpan(buf, offset, AIO_RING_HEADER_SIZE, "struct aio_ring header");
  const c = new Codec(buf, offset, endian === "LE");
  const at = RING_HEADER_OFFSETS;
  return {
    id: c.getU32(at.id),
    nr: c.getU32(at.nr),
    head: c.getU32(at.head),
    tail: c.getU32(at.tail),
    magic: c.getU32(at.magic),
    compatFeatures: c.getU32(at.compatFeatures),
    incompatFeatures: c.getU32(at.incompatFeatures),
    headerLength: c.getU32(at.headerLength),
  };
}

export function encodeRingHeader(header: Partial<RingHeader>, endian: Endian = endianness()): Buffer {
  const buf = Buffer.alloc(AIO_RING_HEADER_SIZE);
  const c = new Codec(buf, 0, endian === "LE");
  for (const [field, at] of Object.entries(RING_HEADER_OFFSETS) as Array<[RingHeaderField, number]>) {
    c.u32(at, header[field] ?? 0, field);
  }
  return buf;
}

/** One u32 ring header field in the given byte order (for writing it in place). */
export function encodeU32(value: number, endian: Endian = endianness()): Buffer {
  const buf = Buffer.alloc(4);
  new Codec(buf, 0, endian === "LE").u32(0, value, "value");
  return buf;
}
