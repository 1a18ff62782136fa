// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import { mapPages } from "../../harness/kernel/memory.js";
import { openPipe } from "../../harness/kernel/pipe.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { SyscallError, syscall } from "../../harness/kernel/syscall.js";

const O_NONBLOCK = 0o4000; // asm-generic/fcntl.h (x86_64, arm64, riscv64, i386)

describe("kernel layer: pipe", () => {
  const scope = new ResourceScope();
  afterEach(() => expect(scope.releaseAll()).to.deep.equal([]));

  it("opens a pipe whose ends carry bytes", () => {
    const pipe = scope.add(openPipe());
    expect(pipe.readFd).to.be.at.least(0);
    expect(pipe.writeFd).to.be.at.least(0).and.not.equal(pipe.readFd);
    const m = scope.add(mapPages(1));
    m.write(0, Buffer.from("pipe!"));
    expect(syscall("write", pipe.writeFd, m.address, 5).ret).to.equal(5n);
    expect(syscall("read", pipe.readFd, m.addressAt(100), 64).ret).to.equal(5n);
    expect(m.read(100, 5).toString()).to.equal("pipe!");
  });

  it("passes flags to pipe2: O_NONBLOCK makes an empty read EAGAIN", () => {
    const pipe = scope.add(openPipe(O_NONBLOCK));
    const m = scope.add(mapPages(1));
    expect(syscall("read", pipe.readFd, m.address, 1)).to.deep.equal({ ret: -1n, errno: "EAGAIN" });
  });

  it("closes both ends once; later closes do nothing", () => {
    const pipe = openPipe();
    expect(pipe.closed).to.equal(false);
    pipe.close();
    expect(pipe.closed).to.equal(true);
    // Nothing opened fds in between, so the numbers are still free.
    expect(syscall("close", pipe.readFd).errno).to.equal("EBADF");
    expect(syscall("close", pipe.writeFd).errno).to.equal("EBADF");
    pipe.close();
    pipe.release();
  });

  it("throws SyscallError for flags pipe2 rejects", () => {
    let caught: unknown;
    try {
      scope.add(openPipe(-1));
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(SyscallError);
    expect((caught as SyscallError).errno).to.equal("EINVAL");
  });
});
