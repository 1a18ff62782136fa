// SPDX-License-Identifier: GPL-2.0-only
import { readFileSync } from "node:fs";
import { release } from "node:os";
import { expect } from "chai";
import { AioContext } from "../../harness/kernel/aio.js";
import { aioMaxNr, aioNr, aioRingMappings, kernelAtLeast, kernelRelease, kernelVersion } from "../../harness/kernel/procfs.js";
import { expectAioReleasedAfterBlock } from "./support.js";

describe("kernel layer: procfs", () => {
  expectAioReleasedAfterBlock();

  it("reads fs.aio-nr and fs.aio-max-nr", () => {
    expect(aioMaxNr()).to.equal(Number(readFileSync("/proc/sys/fs/aio-max-nr", "utf8")));
    expect(aioNr()).to.be.at.least(0).and.at.most(aioMaxNr());
  });

  it("sees a context in aio-nr and in this process's maps, and sees it go", () => {
    const nr = aioNr();
    const rings = aioRingMappings();
    const ctx = AioContext.setup(3);
    try {
      expect(aioNr()).to.be.greaterThan(nr);
      expect(aioRingMappings()).to.equal(rings + 1);
    } finally {
      ctx.release();
    }
    expect(aioNr()).to.equal(nr);
    expect(aioRingMappings()).to.equal(rings);
  });

  it("knows the kernel release and compares versions", () => {
    expect(kernelRelease()).to.equal(release());
    expect(kernelVersion("6.18.44-fc-v769")).to.deep.equal({ major: 6, minor: 18, patch: 44 });
    expect(kernelVersion("6.8-rc7")).to.deep.equal({ major: 6, minor: 8, patch: 0 });
    expect(() => kernelVersion("banana")).to.throw(/cannot parse/);
    const v = { major: 6, minor: 8, patch: 0 };
    expect(kernelAtLeast(6, 8, 0, v)).to.equal(true);
    expect(kernelAtLeast(6, 8, 1, v)).to.equal(false);
    expect(kernelAtLeast(4, 19, 0, v)).to.equal(true);
    expect(kernelAtLeast(7, 0, 0, v)).to.equal(false);
  });
});
