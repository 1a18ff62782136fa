// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import { guardPage, mapPages, PAGE_SIZE } from "../../harness/kernel/memory.js";
import { isReadable, peek, peekMethod, poke, UnreadableMemoryError, usePeekMethod, type PeekMethod } from "../../harness/kernel/peek.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { syscall } from "../../harness/kernel/syscall.js";

describe("kernel layer: peek/poke (fault-free access by address)", () => {
  it("uses process_vm_readv/writev where allowed (this machine)", () => {
    const previous = usePeekMethod(undefined);
    const m = mapPages(1);
    try {
      peek(m.address, 1);
      expect(peekMethod()).to.equal("process_vm");
    } finally {
      m.release();
      usePeekMethod(previous);
    }
  });

  for (const method of ["process_vm", "pipe"] as const) {
    describe(`via ${method}`, () => {
      const scope = new ResourceScope();
      let previous: PeekMethod | undefined;
      before(() => {
        previous = usePeekMethod(method);
      });
      after(() => {
        usePeekMethod(previous);
      });
      afterEach(() => expect(scope.releaseAll()).to.deep.equal([]));

      it("reads and writes memory it does not own, by address", () => {
        const m = scope.add(mapPages(2));
        m.write(PAGE_SIZE - 2, Buffer.from("span"));
        expect(peek(m.addressAt(PAGE_SIZE - 2), 4).toString()).to.equal("span");
        poke(m.addressAt(8), Buffer.from("poked"));
        expect(m.read(8, 5).toString()).to.equal("poked");
        expect(isReadable(m.address, 2 * PAGE_SIZE)).to.equal(true);
      });

      it("moves more than a page at a time", () => {
        const m = scope.add(mapPages(3));
        const pattern = Buffer.alloc(2 * PAGE_SIZE + 100, "kapi");
        poke(m.addressAt(50), pattern);
        expect(m.read(50, pattern.length).equals(pattern)).to.equal(true);
        expect(peek(m.addressAt(50), pattern.length).equals(pattern)).to.equal(true);
      });

      it("reports EFAULT instead of faulting on a PROT_NONE page or unmapped memory", () => {
        const g = scope.add(guardPage());
        let caught: unknown;
        try {
          peek(g.address, 8);
        } catch (e) {
          caught = e;
        }
        expect(caught).to.be.instanceOf(UnreadableMemoryError);
        expect((caught as UnreadableMemoryError).result).to.deep.equal({ ret: -1n, errno: "EFAULT" });
        expect(isReadable(0n)).to.equal(false);
        const gone = mapPages(1);
        expect(isReadable(gone.address)).to.equal(true);
        gone.release();
        expect(() => peek(gone.address, 1)).to.throw(UnreadableMemoryError);
      });

      it("refuses to write read-only memory, leaving nothing behind for the next transfer", () => {
        const m = scope.add(mapPages(1));
        m.protect("read");
        expect(() => poke(m.address, Buffer.from("x"))).to.throw(UnreadableMemoryError, /cannot write/);
        expect(m.read(0, 1)[0]).to.equal(0);
        const other = scope.add(mapPages(1));
        other.write(0, Buffer.from("next"));
        expect(peek(other.address, 4).toString()).to.equal("next");
      });

      it("fails partially readable ranges as a whole", () => {
        const m = scope.add(mapPages(2));
        const second = m.addressAt(PAGE_SIZE);
        // The second page made PROT_NONE behind the Mapping's back, restored before release.
        expect(syscall("mprotect", second, PAGE_SIZE, 0).ret).to.equal(0n);
        try {
          expect(() => peek(second - 4n, 8)).to.throw(UnreadableMemoryError, /only 4 bytes|EFAULT/);
          expect(peek(second - 4n, 4).length).to.equal(4);
        } finally {
          syscall("mprotect", second, PAGE_SIZE, 3);
        }
      });
    });
  }
});
