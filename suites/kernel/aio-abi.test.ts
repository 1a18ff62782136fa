// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import {
  AIO_RING_HEADER_SIZE,
  AIO_RING_MAGIC,
  decodeIocb,
  decodeIoEvent,
  decodeRingHeader,
  encodeIocb,
  encodeIoEvent,
  encodeRingHeader,
  encodeU32,
  IO_EVENT_SIZE,
  IOCB_CMD,
  IOCB_SIZE,
  iocbOffsets,
  type Iocb,
} from "../../harness/kernel/aio-abi.js";

const FULL: Iocb = {
  data: 0xfedcba9876543210n,
  key: 0x11223344,
  rwFlags: 0x55667788,
  opcode: IOCB_CMD.PWRITEV,
  reqprio: -2,
  fildes: 0xfffffffe,
  buf: 0x00007f0012345678n,
  nbytes: 2n ** 64n - 1n,
  offset: -(2n ** 63n),
  reserved2: 42n,
  flags: 3,
  resfd: 9,
};

describe("kernel layer: AIO ABI codecs", () => {
  it("has the uapi sizes and constants", () => {
    expect([IOCB_SIZE, IO_EVENT_SIZE, AIO_RING_HEADER_SIZE, AIO_RING_MAGIC]).to.deep.equal([64, 32, 32, 0xa10a10a1]);
    expect(IOCB_CMD).to.deep.equal({ PREAD: 0, PWRITE: 1, FSYNC: 2, FDSYNC: 3, POLL: 5, NOOP: 6, PREADV: 7, PWRITEV: 8 });
  });

  it("round-trips every iocb field in both byte orders", () => {
    for (const endian of ["LE", "BE"] as const) {
      const bytes = encodeIocb(FULL, endian);
      expect(bytes.length).to.equal(IOCB_SIZE);
      expect(decodeIocb(bytes, 0, endian), endian).to.deep.equal(FULL);
    }
  });

  it("zero-fills missing fields", () => {
    expect(encodeIocb({}).equals(Buffer.alloc(64))).to.equal(true);
    const d = decodeIocb(encodeIocb({ opcode: IOCB_CMD.POLL, fildes: 5 }));
    expect(d).to.deep.include({ data: 0n, key: 0, opcode: 5, fildes: 5, buf: 0n, offset: 0n });
  });

  it("lays fields out at the uapi offsets, little-endian", () => {
    const b = encodeIocb(FULL, "LE");
    expect(b.readBigUInt64LE(0)).to.equal(FULL.data);
    expect(b.readUInt32LE(8)).to.equal(FULL.key);
    expect(b.readUInt32LE(12)).to.equal(FULL.rwFlags);
    expect(b.readUInt16LE(16)).to.equal(FULL.opcode);
    expect(b.readInt16LE(18)).to.equal(-2);
    expect(b.readUInt32LE(20)).to.equal(FULL.fildes);
    expect(b.readBigUInt64LE(24)).to.equal(FULL.buf);
    expect(b.readBigUInt64LE(32)).to.equal(FULL.nbytes);
    expect(b.readBigInt64LE(40)).to.equal(FULL.offset);
    expect(b.readBigUInt64LE(48)).to.equal(42n);
    expect(b.readUInt32LE(56)).to.equal(3);
    expect(b.readUInt32LE(60)).to.equal(9);
  });

  it("swaps aio_key and aio_rw_flags on big-endian (PADDED) and writes big-endian", () => {
    expect(iocbOffsets("LE")).to.include({ key: 8, rwFlags: 12 });
    expect(iocbOffsets("BE")).to.include({ key: 12, rwFlags: 8 });
    const b = encodeIocb({ key: 1, rwFlags: 2, data: 1n }, "BE");
    expect(b.readUInt32BE(12)).to.equal(1);
    expect(b.readUInt32BE(8)).to.equal(2);
    expect(b.readBigUInt64BE(0)).to.equal(1n);
  });

  it("accepts signed spellings of unsigned fields (fildes -1) and rejects values that do not fit", () => {
    expect(decodeIocb(encodeIocb({ fildes: -1 })).fildes).to.equal(0xffffffff);
    expect(decodeIocb(encodeIocb({ data: -1n })).data).to.equal(2n ** 64n - 1n);
    expect(() => encodeIocb({ fildes: 2 ** 32 })).to.throw(RangeError, /fildes/);
    expect(() => encodeIocb({ opcode: 0x10000 })).to.throw(RangeError, /opcode/);
    expect(() => encodeIocb({ key: 1.5 })).to.throw(RangeError);
    expect(() => encodeIocb({ data: 2n ** 64n })).to.throw(RangeError, /data/);
  });

  it("decodes at an offset and refuses short buffers", () => {
    const two = Buffer.concat([encodeIocb({ data: 1n }), encodeIocb({ data: 2n })]);
    expect(decodeIocb(two, 64).data).to.equal(2n);
    expect(() => decodeIocb(two, 65)).to.throw(RangeError);
  });

  it("round-trips io_events: data/obj unsigned, res/res2 signed", () => {
    const ev = { data: 2n ** 64n - 1n, obj: 0x7f0000001000n, res: -115n, res2: 0n };
    for (const endian of ["LE", "BE"] as const) {
      expect(decodeIoEvent(encodeIoEvent(ev, endian), 0, endian)).to.deep.equal(ev);
    }
    const b = encodeIoEvent({ res: -1n }, "LE");
    expect(b.readBigInt64LE(16)).to.equal(-1n);
    expect(() => decodeIoEvent(Buffer.alloc(31))).to.throw(RangeError);
  });

  it("decodes the ring header", () => {
    const h = { id: 1, nr: 127, head: 3, tail: 5, magic: AIO_RING_MAGIC, compatFeatures: 1, incompatFeatures: 0, headerLength: 32 };
    const b = encodeRingHeader(h, "LE");
    expect(b.readUInt32LE(16)).to.equal(0xa10a10a1);
    expect(decodeRingHeader(b, 0, "LE")).to.deep.equal(h);
    expect(decodeRingHeader(encodeRingHeader(h, "BE"), 0, "BE")).to.deep.equal(h);
    expect(encodeU32(0xa10a10a1, "BE").toString("hex")).to.equal("a10a10a1");
  });
});
