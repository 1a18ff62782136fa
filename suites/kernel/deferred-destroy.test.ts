// SPDX-License-Identifier: GPL-2.0-only
// Deferred io_destroy (deferDestroys): release() returns before the kernel's
// RCU wait, yet nothing leaks once settleDestroys() is awaited, and a context
// the kernel cannot find still fails release() at once, as without deferral.
import { expect } from "chai";
import { AioContext, deferDestroys, destroysPending, rawIoDestroy, settleDestroys, SyscallError } from "../../harness/kernel/aio.js";
import { encodeIocb, encodeRingHeader, IOCB_CMD } from "../../harness/kernel/aio-abi.js";
import { mapPages, MMAP, PROT_BITS } from "../../harness/kernel/memory.js";
import { isReadable, poke } from "../../harness/kernel/peek.js";
import { check, syscall } from "../../harness/kernel/syscall.js";
import { openPipe } from "../../harness/kernel/pipe.js";
import { aioNr, aioRingMappings } from "../../harness/kernel/procfs.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { expectAioReleasedAfterBlock } from "./support.js";

const POLLIN = 1n;

describe("kernel layer: deferred io_destroy", () => {
  before(() => deferDestroys(true));
  after(async () => {
    deferDestroys(false);
    expect(await settleDestroys()).to.deep.equal([]);
  });
  expectAioReleasedAfterBlock();

  it("release() issues the destroy in the background; settleDestroys() waits for it, and then nothing is left", async () => {
    const rings = aioRingMappings();
    const nr = aioNr();
    const contexts = Array.from({ length: 6 }, () => AioContext.setup(4));
    expect(aioNr()).to.be.greaterThan(nr);
    for (const ctx of contexts) ctx.release();
    expect(contexts.every((c) => c.destroyed)).to.equal(true);
    // Six destroys of about 30 ms each cannot all be over already.
    expect(destroysPending()).to.be.greaterThan(0);
    expect(await settleDestroys()).to.deep.equal([]);
    expect(destroysPending()).to.equal(0);
    expect(aioRingMappings()).to.equal(rings);
    expect(aioNr()).to.equal(nr);
    for (const ctx of contexts) expect(isReadable(ctx.id)).to.equal(false);
  });

  it("a context with a pending poll request goes too (the kernel cancels it)", async () => {
    const scope = new ResourceScope();
    const nr = aioNr();
    const ctx = scope.add(AioContext.setup(2));
    const pipe = scope.add(openPipe());
    const iocb = scope.add(mapPages(1));
    iocb.write(0, encodeIocb({ opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLIN }));
    expect(ctx.submit([iocb.address]).ret).to.equal(1n);
    expect(scope.releaseAll()).to.deep.equal([]);
    expect(await settleDestroys()).to.deep.equal([]);
    expect(aioNr()).to.equal(nr);
  });

  it("release() still throws at once when the kernel cannot find the context", async () => {
    const ctx = AioContext.setup(1);
    const header = ctx.ringHeader();
    // Destroyed behind the object's back, and a readable copy of its ring
    // header put where the ring was: the object sees nothing wrong.
    expect(rawIoDestroy(ctx.id)).to.deep.equal({ ret: 0n });
    const flags = MMAP.MAP_PRIVATE | MMAP.MAP_ANONYMOUS | MMAP.MAP_FIXED;
    check("mmap", syscall("mmap", ctx.id, ctx.ringLength, PROT_BITS.readwrite, flags, -1, 0));
    try {
      poke(ctx.id, encodeRingHeader(header));
      const pending = destroysPending();
      expect(() => ctx.release()).to.throw(SyscallError, /io_destroy.*EINVAL/);
      expect(destroysPending()).to.equal(pending);
      expect(ctx.destroyed).to.equal(false);
    } finally {
      check("munmap", syscall("munmap", ctx.id, ctx.ringLength));
    }
    expect(await settleDestroys()).to.deep.equal([]);
  });

  it("release() repairs a corrupted ring id first, then defers", async () => {
    const nr = aioNr();
    const ctx = AioContext.setup(1);
    ctx.writeRingHeaderField("id", 999);
    ctx.release();
    expect(ctx.destroyed).to.equal(true);
    expect(await settleDestroys()).to.deep.equal([]);
    expect(aioNr()).to.equal(nr);
  });
});
