// SPDX-License-Identifier: GPL-2.0-only
// makeDirectory: nested creation, idempotence, and a clean failure (not the
// endless loop of Node's recursive mkdir) on a pseudo file system.
import { expect } from "chai";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeDirectory } from "../../harness/report/directory.js";

describe("makeDirectory", function () {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "kapi-conform-dir-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("creates missing parents and accepts an existing directory", async function () {
    const deep = join(dir, "a", "b", "c");
    await makeDirectory(deep);
    await makeDirectory(deep);
    expect(statSync(deep).isDirectory()).to.equal(true);
  });

  it("fails with ENOTDIR when a file is in the way, at the path or above it", async function () {
    writeFileSync(join(dir, "file"), "");
    for (const path of [join(dir, "file"), join(dir, "file", "sub")]) {
      let code: string | undefined;
      await makeDirectory(path).catch((e: NodeJS.ErrnoException) => (code = e.code));
      expect(code, path).to.equal("ENOTDIR");
    }
  });

  it("fails at once under /proc, where recursive mkdir would loop", async function () {
    this.timeout(3000);
    let code: string | undefined;
    await makeDirectory("/proc/kapi-conform-no-such/dir").catch((e: NodeJS.ErrnoException) => (code = e.code));
    expect(code).to.equal("ENOENT");
  });
});
