// SPDX-License-Identifier: GPL-2.0-only
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { AioContext, MAX_GET_EVENTS, rawIoCancel, rawIoDestroy, RingUnreadableError, SyscallError } from "../../harness/kernel/aio.js";
import { AIO_RING_MAGIC, encodeIocb, IOCB_CMD, IOCB_SIZE } from "../../harness/kernel/aio-abi.js";
import { guardPage, mapPages, PAGE_SIZE } from "../../harness/kernel/memory.js";
import { openPipe } from "../../harness/kernel/pipe.js";
import { aioMaxNr, aioNr, aioRingMappings, kernelAtLeast } from "../../harness/kernel/procfs.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { isReadable } from "../../harness/kernel/peek.js";
import { expectAioReleasedAfterBlock } from "./support.js";
import { skipBecause } from "../support/skip.js";

const POLLIN = 1n;
const CONTENT = "0123456789abcdefghij";

describe("kernel layer: AIO contexts", () => {
  expectAioReleasedAfterBlock();

  const scope = new ResourceScope();
  let dir = "";
  let fd = -1;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-aio-"));
    writeFileSync(join(dir, "data"), CONTENT);
    fd = openSync(join(dir, "data"), "r");
  });
  after(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => expect(scope.releaseAll()).to.deep.equal([]));

  /** An iocb in its own page; returns its address. */
  function iocbAt(fields: Parameters<typeof encodeIocb>[0]): bigint {
    const m = scope.add(mapPages(1));
    m.write(0, encodeIocb(fields));
    return m.address;
  }

  function pendingPoll(ctx: AioContext, data = 0x706f6c6cn): bigint {
    const pipe = scope.add(openPipe());
    const iocb = iocbAt({ data, opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLIN });
    expect(ctx.submit([iocb])).to.deep.equal({ ret: 1n });
    return iocb;
  }

  it("sets up a context whose id is the address of a mapped ring", () => {
    const rings = aioRingMappings();
    const before = aioNr();
    const ctx = scope.add(AioContext.setup(8));
    expect(ctx.id % BigInt(PAGE_SIZE)).to.equal(0n);
    expect(ctx.destroyed).to.equal(false);
    const h = ctx.ringHeader();
    expect(h.magic).to.equal(AIO_RING_MAGIC);
    expect(h.headerLength).to.equal(32);
    expect(h.nr).to.equal(ctx.ringSlots).and.to.be.at.least(8);
    expect([h.head, h.tail]).to.deep.equal([0, 0]);
    expect(ctx.ringLength).to.equal(Math.ceil((32 + h.nr * 32) / PAGE_SIZE) * PAGE_SIZE);
    expect(aioRingMappings()).to.equal(rings + 1);
    expect(aioNr()).to.be.greaterThan(before);
  });

  it("throws SyscallError with the errno name when io_setup fails (0 events: EINVAL)", () => {
    let caught: unknown;
    try {
      scope.add(AioContext.setup(0));
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(SyscallError);
    const err = caught as SyscallError;
    expect([err.syscall, err.ret, err.errno]).to.deep.equal(["io_setup", -1n, "EINVAL"]);
  });

  it("throws EAGAIN when nr_events exceeds fs.aio-max-nr", function () {
    const max = aioMaxNr();
    // Above 4194304 events the kernel answers EINVAL (overflow guard) before the limit check.
    if (max >= 4_194_304) skipBecause(this, `fs.aio-max-nr is ${max}; no nr_events between it and the overflow guard`);
    let caught: unknown;
    try {
      scope.add(AioContext.setup(max + 1));
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(SyscallError);
    expect((caught as SyscallError).errno).to.equal("EAGAIN");
  });

  it("submits a PREAD, sees its event in the ring, and reaps it with getEvents", () => {
    const ctx = scope.add(AioContext.setup(4));
    const buf = scope.add(mapPages(1));
    const iocb = iocbAt({ data: 2n ** 63n + 7n, opcode: IOCB_CMD.PREAD, fildes: fd, buf: buf.address, nbytes: 10n, offset: 5n });
    expect(ctx.submit([iocb])).to.deep.equal({ ret: 1n });
    // A buffered regular-file read completes inside io_submit: the event is already in the ring.
    const ring = ctx.ringEvents();
    expect(ring).to.have.length(1);
    expect(ring[0]).to.deep.equal({ data: 2n ** 63n + 7n, obj: iocb, res: 10n, res2: 0n });
    expect(ctx.ringHeader().tail).to.equal(1);
    const { result, events } = ctx.getEvents(1, 4, 1000);
    expect(result).to.deep.equal({ ret: 1n });
    expect(events).to.deep.equal(ring);
    expect(buf.read(0, 10).toString()).to.equal(CONTENT.slice(5, 15));
    expect(ctx.ringEvents()).to.deep.equal([]);
    expect(ctx.ringHeader().head).to.equal(1);
  });

  it("submits several iocbs in one call", () => {
    const ctx = scope.add(AioContext.setup(4));
    const bufs = [scope.add(mapPages(1)), scope.add(mapPages(1))];
    const iocbs = bufs.map((b, i) => iocbAt({ data: BigInt(i), opcode: IOCB_CMD.PREAD, fildes: fd, buf: b.address, nbytes: 2n, offset: BigInt(2 * i) }));
    expect(ctx.submit(iocbs)).to.deep.equal({ ret: 2n });
    const { events } = ctx.getEvents(2, 2, 1000);
    expect(events.map((e) => e.data).sort()).to.deep.equal([0n, 1n]);
    expect(ctx.submit([])).to.deep.equal({ ret: 0n });
  });

  it("cancels a pending POLL: EINPROGRESS, then EINVAL, and the event is reaped with res 0", function () {
    if (!kernelAtLeast(4, 19)) skipBecause(this, "IOCB_CMD_POLL needs Linux 4.19");
    const ctx = scope.add(AioContext.setup(4));
    const result = scope.add(mapPages(1));
    const iocb = pendingPoll(ctx, 0xabcn);
    expect(ctx.cancel(iocb, result.address)).to.deep.equal({ ret: -1n, errno: "EINPROGRESS" });
    expect(ctx.cancel(iocb, result.address)).to.deep.equal({ ret: -1n, errno: "EINVAL" });
    const { events } = ctx.getEvents(1, 1, 1000);
    expect(events).to.deep.equal([{ data: 0xabcn, obj: iocb, res: 0n, res2: 0n }]);
    // The result argument is neither read nor written.
    expect(result.bytes().equals(Buffer.alloc(PAGE_SIZE))).to.equal(true);
  });

  it("fails io_cancel with EFAULT for an iocb at a guard page and EINVAL for a bogus context", () => {
    const ctx = scope.add(AioContext.setup(1));
    const guard = scope.add(guardPage());
    const ev = scope.add(mapPages(1));
    expect(ctx.cancel(guard.address, ev.address)).to.deep.equal({ ret: -1n, errno: "EFAULT" });
    expect(ctx.cancel(0n, ev.address)).to.deep.equal({ ret: -1n, errno: "EFAULT" });
    const iocb = iocbAt({ opcode: IOCB_CMD.NOOP });
    expect(rawIoCancel(12345, iocb, ev.address)).to.deep.equal({ ret: -1n, errno: "EINVAL" });
    expect(rawIoCancel(ctx.id + BigInt(PAGE_SIZE), iocb, ev.address).errno).to.equal("EINVAL");
  });

  it("bounds getEvents by its timeout", () => {
    const ctx = scope.add(AioContext.setup(1));
    const start = process.hrtime.bigint();
    const { result, events } = ctx.getEvents(1, 1, 50);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(result).to.deep.equal({ ret: 0n });
    expect(events).to.deep.equal([]);
    expect(ms).to.be.within(40, 1000);
    expect(ctx.getEvents(2, 1, 0).result).to.deep.equal({ ret: -1n, errno: "EINVAL" });
    expect(() => ctx.getEvents(1, 1, Infinity)).to.throw(RangeError);
    expect(() => ctx.getEvents(1, 1, -1)).to.throw(RangeError);
    expect(() => ctx.getEvents(1, MAX_GET_EVENTS + 1, 0)).to.throw(RangeError);
  });

  it("destroys once; a second destroy returns the kernel's EINVAL; the ring is then off limits", () => {
    const ctx = AioContext.setup(1);
    scope.add(ctx);
    expect(ctx.destroy()).to.deep.equal({ ret: 0n });
    expect(ctx.destroyed).to.equal(true);
    expect(ctx.destroy()).to.deep.equal({ ret: -1n, errno: "EINVAL" });
    expect(() => ctx.ringHeader()).to.throw(RingUnreadableError, /destroyed/);
    expect(() => ctx.ringEvents()).to.throw(RingUnreadableError);
    expect(() => ctx.writeRingHeaderField("id", 1)).to.throw(RingUnreadableError);
    expect(() => ctx.unmapRing()).to.throw(RingUnreadableError);
    expect(ctx.submit([0n]).errno).to.equal("EINVAL");
    ctx.release(); // no-op
  });

  it("release() destroys a context with a request still pending (cancelled by the kernel)", () => {
    const rings = aioRingMappings();
    const ctx = AioContext.setup(2);
    pendingPoll(ctx);
    ctx.release();
    expect(ctx.destroyed).to.equal(true);
    expect(aioRingMappings()).to.equal(rings);
  });

  it("a corrupted ring id hides the context from the kernel until restoreRing()", () => {
    const ctx = scope.add(AioContext.setup(2));
    const ev = scope.add(mapPages(1));
    const iocb = pendingPoll(ctx);
    const id = ctx.ringHeader().id;
    ctx.writeRingHeaderField("id", id + 1000);
    expect(ctx.ringHeader().id).to.equal(id + 1000);
    expect(ctx.cancel(iocb, ev.address)).to.deep.equal({ ret: -1n, errno: "EINVAL" });
    expect(rawIoDestroy(ctx.id)).to.deep.equal({ ret: -1n, errno: "EINVAL" });
    ctx.restoreRing();
    expect(ctx.ringHeader().id).to.equal(id);
    expect(ctx.cancel(iocb, ev.address).errno).to.equal("EINPROGRESS");
  });

  it("unmapRing() makes the header unreadable to us and the kernel; release() still frees the context", () => {
    const rings = aioRingMappings();
    const nr = aioNr();
    const ctx = AioContext.setup(2);
    const ev = scope.add(mapPages(1));
    const iocb = pendingPoll(ctx);
    expect(ctx.unmapRing()).to.deep.equal({ ret: 0n });
    expect(ctx.ringUnmapped).to.equal(true);
    expect(aioRingMappings()).to.equal(rings);
    expect(() => ctx.ringHeader()).to.throw(RingUnreadableError, /EFAULT/);
    expect(() => ctx.writeRingHeaderField("id", 0)).to.throw(RingUnreadableError);
    expect(ctx.cancel(iocb, ev.address)).to.deep.equal({ ret: -1n, errno: "EINVAL" });
    expect(ctx.destroy()).to.deep.equal({ ret: -1n, errno: "EINVAL" });
    expect(ctx.destroyed).to.equal(false);
    expect(aioNr()).to.be.greaterThan(nr);
    ctx.release();
    expect(ctx.destroyed).to.equal(true);
    expect(aioNr()).to.equal(nr);
    // The stand-in mapping went with the context (io_destroy unmaps the ring range).
    expect(isReadable(ctx.id)).to.equal(false);
  });

  it("ringEvents() stays inside the ring whatever head and tail say", () => {
    const ctx = scope.add(AioContext.setup(1));
    const slots = ctx.ringSlots;
    ctx.writeRingHeaderField("head", 0xffffffff);
    ctx.writeRingHeaderField("tail", 3);
    const events = ctx.ringEvents();
    expect(events.length).to.be.below(slots);
    ctx.writeRingHeaderField("head", 0);
    ctx.writeRingHeaderField("tail", 0);
  });

  it("keeps iocbs 64 bytes apart when packed in one page", () => {
    const ctx = scope.add(AioContext.setup(4));
    const page = scope.add(mapPages(1));
    const bufs = scope.add(mapPages(1));
    for (let i = 0; i < 3; i++) {
      page.write(i * IOCB_SIZE, encodeIocb({ data: BigInt(100 + i), opcode: IOCB_CMD.PREAD, fildes: fd, buf: bufs.addressAt(i * 8), nbytes: 1n, offset: BigInt(i) }));
    }
    expect(ctx.submit([0, 1, 2].map((i) => page.addressAt(i * IOCB_SIZE))).ret).to.equal(3n);
    const { events } = ctx.getEvents(3, 3, 1000);
    expect(events.map((e) => e.obj - page.address).sort((a, b) => Number(a - b))).to.deep.equal([0n, 64n, 128n]);
    expect([0, 1, 2].map((i) => bufs.read(i * 8, 1).toString()).join("")).to.equal(CONTENT.slice(0, 3));
  });
});
