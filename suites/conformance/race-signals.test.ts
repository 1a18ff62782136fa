// SPDX-License-Identifier: GPL-2.0-only
// A helper process that exits sends the runner SIGCHLD, which ends a waiting
// io_getevents with EINTR and no events. The race and reap() must wait again,
// not count the request's event as lost (seen once in 20 repeated runs).
import { spawn } from "node:child_process";
import { expect } from "chai";
import { AioContext } from "../../harness/kernel/aio.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { getEventsUninterrupted } from "../../harness/scenarios/resources/aio.js";

/** A child that exits after `ms`: its SIGCHLD arrives while we wait in the kernel. */
function childExitingAfter(ms: number): void {
  spawn(process.execPath, ["-e", `setTimeout(() => {}, ${ms})`], { stdio: "ignore" });
}

describe("AIO resources: io_getevents and signals", () => {
  const scope = new ResourceScope();
  afterEach(() => expect(scope.releaseAll()).to.deep.equal([]));

  it("a child's exit ends a raw io_getevents wait with EINTR", () => {
    const ctx = scope.add(AioContext.setup(1));
    childExitingAfter(10);
    expect(ctx.getEvents(1, 1, 2000).result).to.deep.equal({ ret: -1n, errno: "EINTR" });
  });

  it("getEventsUninterrupted waits again after EINTR, for its whole timeout", () => {
    const ctx = scope.add(AioContext.setup(1));
    childExitingAfter(10);
    const start = performance.now();
    expect(getEventsUninterrupted(ctx, 1, 1, 400).result).to.deep.equal({ ret: 0n });
    expect(performance.now() - start).to.be.at.least(350);
  });
});
