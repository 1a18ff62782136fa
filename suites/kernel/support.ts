// SPDX-License-Identifier: GPL-2.0-only
// Shared helpers for the kernel-layer tests (not a test file itself).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { aioNr, aioRingMappings } from "../../harness/kernel/procfs.js";

/** The checkout root: the nearest ancestor with kapi-conform's package.json (tests run from build/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      const parsed: unknown = JSON.parse(readFileSync(pkg, "utf8"));
      if (typeof parsed === "object" && parsed !== null && "name" in parsed && parsed.name === "kapi-conform") return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the kapi-conform project root above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/**
 * Registers before/after hooks in the current describe: every AIO context the
 * block creates must be gone at its end. Checked two ways: the AIO rings
 * mapped in this process (exact, per process) and fs.aio-nr (system-wide, as
 * the kernel accounts it; another process using AIO at the same moment would
 * disturb it, which these machines do not do).
 */
export function expectAioReleasedAfterBlock(): void {
  let startNr = 0;
  let startRings = 0;
  before(() => {
    startNr = aioNr();
    startRings = aioRingMappings();
  });
  after(() => {
    expect(aioRingMappings(), "AIO rings still mapped in this process").to.equal(startRings);
    expect(aioNr(), "fs.aio-nr back to its value before the block").to.equal(startNr);
  });
}
