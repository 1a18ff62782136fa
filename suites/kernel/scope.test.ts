// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import { AioContext } from "../../harness/kernel/aio.js";
import { mapPages } from "../../harness/kernel/memory.js";
import { openPipe } from "../../harness/kernel/pipe.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { expectAioReleasedAfterBlock } from "./support.js";

describe("kernel layer: ResourceScope", () => {
  expectAioReleasedAfterBlock();

  it("releases in reverse order of registration", () => {
    const scope = new ResourceScope();
    const order: string[] = [];
    scope.add({ release: () => order.push("a") });
    scope.defer(() => order.push("b"));
    scope.add({ release: () => order.push("c") });
    expect(scope.size).to.equal(3);
    expect(scope.releaseAll()).to.deep.equal([]);
    expect(order).to.deep.equal(["c", "b", "a"]);
    expect(scope.size).to.equal(0);
  });

  it("never throws: runs every cleanup and returns the errors", () => {
    const scope = new ResourceScope();
    const ran: number[] = [];
    scope.defer(() => ran.push(1));
    scope.defer(() => {
      throw new Error("second");
    });
    scope.defer(() => {
      throw "not an Error";
    });
    scope.defer(() => ran.push(4));
    const errors = scope.releaseAll();
    expect(ran).to.deep.equal([4, 1]);
    expect(errors.map((e) => e.message)).to.deep.equal(["not an Error", "second"]);
    expect(errors.every((e) => e instanceof Error)).to.equal(true);
  });

  it("is reusable after releaseAll and returns what add() was given", () => {
    const scope = new ResourceScope();
    const thing = { release: () => undefined, n: 7 };
    expect(scope.add(thing)).to.equal(thing);
    scope.releaseAll();
    let released = false;
    scope.defer(() => (released = true));
    expect(scope.releaseAll()).to.deep.equal([]);
    expect(released).to.equal(true);
  });

  it("releases real kernel resources: context, mapping, pipe", () => {
    const scope = new ResourceScope();
    const m = scope.add(mapPages(1));
    const pipe = scope.add(openPipe());
    const ctx = scope.add(AioContext.setup(1));
    expect(scope.releaseAll()).to.deep.equal([]);
    expect([m.released, pipe.closed, ctx.destroyed]).to.deep.equal([true, true, true]);
  });

  it("keeps releasing after a failing resource", () => {
    const scope = new ResourceScope();
    const m = scope.add(mapPages(1));
    const ctx = scope.add(AioContext.setup(1));
    ctx.writeRingHeaderField("id", 999); // release() repairs it before io_destroy
    scope.defer(() => {
      throw new Error("boom");
    });
    const errors = scope.releaseAll();
    expect(errors.map((e) => e.message)).to.deep.equal(["boom"]);
    expect([m.released, ctx.destroyed]).to.deep.equal([true, true]);
  });
});
