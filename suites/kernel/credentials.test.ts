// SPDX-License-Identifier: GPL-2.0-only
// Acting as nobody for one call: permission checks apply to that call, and
// the thread is root again afterwards.
import { expect } from "chai";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asUser, lookupUser } from "../../harness/kernel/credentials.js";
import { mapPages } from "../../harness/kernel/memory.js";
import { syscall } from "../../harness/kernel/syscall.js";
import { skipBecause } from "../support/skip.js";

const AT_FDCWD = -100;

describe("kernel layer: one call as another user", function () {
  let dir: string;
  before(function () {
    if (process.geteuid?.() !== 0) skipBecause(this, "acting as nobody needs root");
    if (!lookupUser("nobody")) skipBecause(this, "no user nobody in /etc/passwd");
    dir = mkdtempSync(join(tmpdir(), "kapi-cred-"));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("openat of a root-only file fails with EACCES as nobody and succeeds as root after", function () {
    const path = join(dir, "secret");
    writeFileSync(path, "x");
    chmodSync(path, 0o600);
    const name = mapPages(1);
    try {
      name.write(0, Buffer.from(`${path}\0`));
      const denied = asUser(lookupUser("nobody")!, () => syscall("openat", AT_FDCWD, name.address, 0, 0));
      expect(denied.errno).to.equal("EACCES");
      const allowed = syscall("openat", AT_FDCWD, name.address, 0, 0);
      expect(allowed.errno).to.equal(undefined);
      syscall("close", allowed.ret);
      expect(process.geteuid?.()).to.equal(0);
    } finally {
      name.release();
    }
  });

  it("reads users from a passwd file", function () {
    const passwd = join(dir, "passwd");
    writeFileSync(passwd, "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/usr/sbin/nologin\n");
    expect(lookupUser("nobody", passwd)).to.deep.equal({ name: "nobody", uid: 65534, gid: 65534 });
    expect(lookupUser("nouser", passwd)).to.equal(undefined);
  });
});
