// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import { glibcExports, loadLibaio, tryLoadLibaio, type Libaio } from "../../harness/kernel/libaio.js";
import { AIO_RING_MAGIC, decodeIoEvent, encodeIocb, IOCB_CMD } from "../../harness/kernel/aio-abi.js";
import { guardPage, mapPages } from "../../harness/kernel/memory.js";
import { peek } from "../../harness/kernel/peek.js";
import { openPipe } from "../../harness/kernel/pipe.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { expectAioReleasedAfterBlock } from "./support.js";
import { skipBecause } from "../support/skip.js";

describe("kernel layer: libaio and glibc", () => {
  expectAioReleasedAfterBlock();

  const scope = new ResourceScope();
  afterEach(() => expect(scope.releaseAll()).to.deep.equal([]));

  it("finds that glibc has no legacy AIO wrappers but does export syscall()", () => {
    expect(glibcExports("syscall")).to.equal(true);
    expect(glibcExports("getpid")).to.equal(true);
    for (const name of ["io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents"]) {
      expect(glibcExports(name), name).to.equal(false);
    }
  });

  it("reports a missing libaio as unavailable, with a reason, instead of throwing", () => {
    const missing = tryLoadLibaio(["libkapi-conform-none.so.9"]);
    expect(missing.available).to.equal(false);
    if (!missing.available) expect(missing.reason).to.include("libkapi-conform-none.so.9");
  });

  describe("when libaio is installed", () => {
    let aio: Libaio | undefined;
    before(function () {
      const loaded = loadLibaio();
      if (!loaded.available) skipBecause(this, loaded.reason);
      aio = loaded;
      expect(loadLibaio()).to.equal(loaded);
    });

    /** A context set up through libaio, destroyed through libaio at scope release. */
    function libaioContext(lib: Libaio): bigint {
      const ctxp = scope.add(mapPages(1));
      expect(lib.ioSetup(4, ctxp.address)).to.equal(0n);
      const ctx = ctxp.readU64(0);
      scope.defer(() => {
        const r = lib.ioDestroy(ctx);
        if (r !== 0n) throw new Error(`libaio io_destroy returned ${r}`);
      });
      return ctx;
    }

    it("returns the negative errno directly: io_cancel(0, NULL, NULL) is -EFAULT", () => {
      expect(aio?.ioCancel(0n, 0n, 0n)).to.equal(-14n);
    });

    it("drives a whole cancel through libaio: setup, submit POLL, cancel -EINPROGRESS, reap", () => {
      const lib = aio;
      if (!lib) throw new Error("unreachable: skipped without libaio");
      const ctx = libaioContext(lib);
      expect(peek(ctx + 16n, 4).readUInt32LE(0)).to.equal(AIO_RING_MAGIC);
      const pipe = scope.add(openPipe());
      const page = scope.add(mapPages(1));
      page.write(0, encodeIocb({ data: 77n, opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: 1n }));
      page.writeU64(128, page.address);
      expect(lib.ioSubmit(ctx, 1, page.addressAt(128))).to.equal(1n);
      const guard = scope.add(guardPage());
      expect(lib.ioCancel(ctx, guard.address, page.addressAt(256))).to.equal(-14n);
      expect(lib.ioCancel(ctx, page.address, page.addressAt(256))).to.equal(-115n);
      expect(lib.ioCancel(ctx, page.address, page.addressAt(256))).to.equal(-22n);
      page.writeU64(512, 1n); // timespec { 1 s, 0 }
      expect(lib.ioGetevents(ctx, 1, 1, page.addressAt(1024), page.addressAt(512))).to.equal(1n);
      expect(decodeIoEvent(page.read(1024, 32))).to.deep.equal({ data: 77n, obj: page.address, res: 0n, res2: 0n });
    });
  });
});
