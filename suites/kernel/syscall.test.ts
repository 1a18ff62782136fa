// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import { mapPages } from "../../harness/kernel/memory.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { check, rawSyscall, syscall, SyscallError } from "../../harness/kernel/syscall.js";

const SEEK_SET = 0;

describe("kernel layer: syscall", () => {
  const scope = new ResourceScope();
  afterEach(() => expect(scope.releaseAll()).to.deep.equal([]));

  /** A memfd (shmem: s_maxbytes is LLONG_MAX, so lseek accepts any offset up to 2^63-1). */
  function memfd(): bigint {
    const name = scope.add(mapPages(1));
    name.write(0, Buffer.from("kapi-syscall-test\0"));
    const fd = check("memfd_create", syscall("memfd_create", name.address, 0));
    scope.defer(() => void syscall("close", fd));
    return fd;
  }

  it("returns the kernel's value: getpid is this process", () => {
    expect(syscall("getpid")).to.deep.equal({ ret: BigInt(process.pid) });
    expect(syscall("getppid").ret).to.equal(BigInt(process.ppid));
  });

  it("reports failure as ret -1 with the errno name: close(-1) is EBADF", () => {
    expect(syscall("close", -1)).to.deep.equal({ ret: -1n, errno: "EBADF" });
  });

  it("sets errno only when ret is -1 (a stale errno never leaks into a success)", () => {
    expect(syscall("close", -1).errno).to.equal("EBADF");
    const ok = syscall("getpid");
    expect(ok).to.not.have.property("errno");
  });

  it("reaches numbers outside the table: syscall 100000 is ENOSYS", () => {
    expect(rawSyscall(100000)).to.deep.equal({ ret: -1n, errno: "ENOSYS" });
  });

  it("passes and returns values near 2^63 exactly (lseek on a memfd)", () => {
    const fd = memfd();
    for (const offset of [2n ** 63n - 1n, 2n ** 63n - 2n, 2n ** 62n + 1n, 2n ** 53n + 1n]) {
      expect(syscall("lseek", fd, offset, SEEK_SET).ret, `offset ${offset}`).to.equal(offset);
    }
  });

  it("passes unsigned and signed spellings of the same 64 bits alike", () => {
    expect(syscall("close", 2n ** 64n - 1n)).to.deep.equal({ ret: -1n, errno: "EBADF" });
    const fd = memfd();
    expect(syscall("lseek", fd, 2n ** 64n - 1n, SEEK_SET)).to.deep.equal({ ret: -1n, errno: "EINVAL" });
  });

  it("refuses arguments it cannot pass exactly", () => {
    expect(() => syscall("close", 2 ** 53)).to.throw(RangeError, /safe integer/);
    expect(() => syscall("close", 1.5)).to.throw(RangeError);
    expect(() => syscall("close", 2n ** 64n)).to.throw(RangeError, /64 bits/);
    expect(() => syscall("close", -(2n ** 63n) - 1n)).to.throw(RangeError);
    expect(() => rawSyscall(39, 1, 2, 3, 4, 5, 6, 7)).to.throw(RangeError, /at most 6/);
  });

  it("check() returns the value or throws SyscallError with syscall, ret and errno", () => {
    expect(check("getpid", syscall("getpid"))).to.equal(BigInt(process.pid));
    let caught: unknown;
    try {
      check("close", syscall("close", -1), "fd -1");
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(SyscallError);
    const err = caught as SyscallError;
    expect([err.syscall, err.ret, err.errno]).to.deep.equal(["close", -1n, "EBADF"]);
    expect(err.message).to.equal("close (fd -1) failed: ret -1 EBADF");
  });
});
