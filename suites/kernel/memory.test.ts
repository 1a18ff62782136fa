// SPDX-License-Identifier: GPL-2.0-only
import { execFileSync } from "node:child_process";
import { expect } from "chai";
import { guardPage, Mapping, MappingAccessError, mapPages, PAGE_SIZE, ReleasedMappingError } from "../../harness/kernel/memory.js";
import { isReadable } from "../../harness/kernel/peek.js";
import { openPipe } from "../../harness/kernel/pipe.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { syscall } from "../../harness/kernel/syscall.js";

describe("kernel layer: memory", () => {
  const scope = new ResourceScope();
  afterEach(() => expect(scope.releaseAll()).to.deep.equal([]));

  it("knows the kernel's page size", () => {
    expect(PAGE_SIZE).to.equal(Number(execFileSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).trim()));
  });

  it("maps zero-filled, page-aligned, read-write pages", () => {
    const m = scope.add(mapPages(2));
    expect(m.length).to.equal(2 * PAGE_SIZE);
    expect(m.address % BigInt(PAGE_SIZE)).to.equal(0n);
    expect(m.protection).to.equal("readwrite");
    expect(m.released).to.equal(false);
    expect(m.bytes().equals(Buffer.alloc(2 * PAGE_SIZE))).to.equal(true);
  });

  it("rounds Mapping.map lengths up to whole pages", () => {
    expect(scope.add(Mapping.map(1)).length).to.equal(PAGE_SIZE);
    expect(scope.add(Mapping.map(PAGE_SIZE + 1)).length).to.equal(2 * PAGE_SIZE);
    expect(() => Mapping.map(0)).to.throw(RangeError);
    expect(() => mapPages(0)).to.throw(RangeError);
  });

  it("writes and reads bytes and native-endian integers, full 64-bit range", () => {
    const m = scope.add(mapPages(1));
    m.write(10, Buffer.from("hello"));
    expect(m.read(10, 5).toString()).to.equal("hello");
    m.writeU64(64, 2n ** 64n - 1n);
    expect(m.readU64(64)).to.equal(2n ** 64n - 1n);
    expect(m.readI64(64)).to.equal(-1n);
    m.writeU64(72, -(2n ** 63n));
    expect(m.readU64(72)).to.equal(2n ** 63n);
    m.writeU32(80, 0xa10a10a1);
    expect(m.readU32(80)).to.equal(0xa10a10a1);
    m.writeU32(84, -1);
    expect(m.readU32(84)).to.equal(0xffffffff);
    expect(() => m.writeU32(88, 2 ** 32)).to.throw(RangeError);
    m.fill(0xab, 100, 4);
    expect([...m.read(99, 6)]).to.deep.equal([0, 0xab, 0xab, 0xab, 0xab, 0]);
  });

  it("is the memory the kernel sees: write(2) from the mapping sends its bytes", () => {
    const m = scope.add(mapPages(1));
    const pipe = scope.add(openPipe());
    m.write(0, Buffer.from("via-kernel"));
    expect(syscall("write", pipe.writeFd, m.address, 10).ret).to.equal(10n);
    expect(syscall("read", pipe.readFd, m.addressAt(100), 10).ret).to.equal(10n);
    expect(m.read(100, 10).toString()).to.equal("via-kernel");
  });

  it("hands out copies: bytes() and read() are not live views", () => {
    const m = scope.add(mapPages(1));
    const copy = m.bytes();
    copy[0] = 0x55;
    expect(m.read(0, 1)[0]).to.equal(0);
    m.write(0, Buffer.from([7]));
    expect(copy[0]).to.equal(0x55);
  });

  it("refuses out-of-bounds access with MappingAccessError", () => {
    const m = scope.add(mapPages(1));
    expect(() => m.read(PAGE_SIZE - 4, 8)).to.throw(MappingAccessError);
    expect(() => m.write(-1, Buffer.from([1]))).to.throw(MappingAccessError);
    expect(() => m.readU64(PAGE_SIZE - 7)).to.throw(MappingAccessError);
    expect(() => m.read(0.5, 1)).to.throw(MappingAccessError);
    expect(m.addressAt(PAGE_SIZE)).to.equal(m.address + BigInt(PAGE_SIZE));
    expect(() => m.addressAt(PAGE_SIZE + 1)).to.throw(MappingAccessError);
  });

  it("obeys its protection: read-only refuses writes, PROT_NONE refuses reads", () => {
    const m = scope.add(mapPages(1));
    m.write(0, Buffer.from("ro"));
    m.protect("read");
    expect(m.protection).to.equal("read");
    expect(m.read(0, 2).toString()).to.equal("ro");
    expect(() => m.write(0, Buffer.from("x"))).to.throw(MappingAccessError, /read-only/);
    m.protect("none");
    expect(() => m.read(0, 1)).to.throw(MappingAccessError, /PROT_NONE/);
    expect(() => m.bytes()).to.throw(MappingAccessError);
    m.protect("readwrite");
    expect(m.read(0, 2).toString()).to.equal("ro");
  });

  it("makes use after release an exception, never a crash", () => {
    const pipe = scope.add(openPipe());
    const m = mapPages(1);
    m.write(0, Buffer.from("x"));
    expect(isReadable(m.address)).to.equal(true);
    m.release();
    expect(m.released).to.equal(true);
    expect(() => m.bytes()).to.throw(ReleasedMappingError);
    expect(() => m.read(0, 1)).to.throw(ReleasedMappingError);
    expect(() => m.readU64(0)).to.throw(ReleasedMappingError);
    expect(() => m.write(0, Buffer.from("y"))).to.throw(ReleasedMappingError);
    expect(() => m.protect("readwrite")).to.throw(ReleasedMappingError);
    // The kernel agrees the pages are gone (checked through the kernel, not a view;
    // nothing may mmap in between, or it could land in the hole).
    expect(syscall("write", pipe.writeFd, m.address, 1)).to.deep.equal({ ret: -1n, errno: "EFAULT" });
    expect(isReadable(m.address)).to.equal(false);
    m.release(); // idempotent
  });

  it("gives guard pages the kernel cannot read: write(2) from one fails with EFAULT", () => {
    const g = scope.add(guardPage());
    const pipe = scope.add(openPipe());
    expect(g.protection).to.equal("none");
    expect(g.length).to.equal(PAGE_SIZE);
    expect(isReadable(g.address)).to.equal(false);
    expect(() => g.read(0, 1)).to.throw(MappingAccessError);
    expect(syscall("write", pipe.writeFd, g.address, 1)).to.deep.equal({ ret: -1n, errno: "EFAULT" });
  });
});
