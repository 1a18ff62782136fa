// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import { guardPage, mapPages, PAGE_SIZE } from "../../harness/kernel/memory.js";
import { isReadable, peek, poke, UnreadableMemoryError } from "../../harness/kernel/peek.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { syscall } from "../../harness/kernel/syscall.js";

describe("kernel layer: peek/poke (fault-free access by address)", () => {
  const scope = new ResourceScope();
  afterEach(() => expect(scope.releaseAll()).to.deep.equal([]));

  it("reads and writes memory it does not own, by address", () => {
    const m = scope.add(mapPages(2));
    m.write(PAGE_SIZE - 2, Buffer.from("span"));
    expect(peek(m.addressAt(PAGE_SIZE - 2), 4).toString()).to.equal("span");
    poke(m.addressAt(8), Buffer.from("poked"));
    expect(m.read(8, 5).toString()).to.equal("poked");
    expect(isReadable(m.address, 2 * PAGE_SIZE)).to.equal(true);
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

  it("refuses to write read-only memory", () => {
    const m = scope.add(mapPages(1));
    m.protect("read");
    expect(() => poke(m.address, Buffer.from("x"))).to.throw(UnreadableMemoryError, /cannot write/);
    expect(m.read(0, 1)[0]).to.equal(0);
  });

  it("fails partially readable ranges as a whole", () => {
    const m = scope.add(mapPages(2));
    const second = m.addressAt(PAGE_SIZE);
    // The second page made PROT_NONE behind the Mapping's back (and restored before release).
    expect(syscall("mprotect", second, PAGE_SIZE, 0).ret).to.equal(0n);
    try {
      expect(() => peek(second - 4n, 8)).to.throw(UnreadableMemoryError, /only 4 bytes/);
      expect(peek(second - 4n, 4).length).to.equal(4);
    } finally {
      syscall("mprotect", second, PAGE_SIZE, 3);
    }
  });
});
