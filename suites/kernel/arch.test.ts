// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import {
  currentArch,
  is64Bit,
  isSyscallName,
  SUPPORTED_ARCHES,
  SYSCALL_NUMBERS,
  syscallNumber,
  UnsupportedArchError,
  type Arch,
} from "../../harness/kernel/arch.js";

describe("kernel layer: arch", () => {
  it("maps Node's process.arch names to kernel arch names", () => {
    expect(currentArch("x64")).to.equal("x86_64");
    expect(currentArch("arm64")).to.equal("arm64");
    expect(currentArch("riscv64")).to.equal("riscv64");
    expect(currentArch("ia32")).to.equal("i386");
  });

  it("knows the arch it runs on", () => {
    expect(SUPPORTED_ARCHES).to.include(currentArch());
  });

  it("rejects any other arch with UnsupportedArchError naming it and the supported list", () => {
    for (const fake of ["s390x", "mips", "ppc64", ""]) {
      let caught: unknown;
      try {
        currentArch(fake);
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(UnsupportedArchError);
      const err = caught as UnsupportedArchError;
      expect(err.arch).to.equal(fake);
      expect(err.message).to.include(`"${fake}"`);
      for (const arch of SUPPORTED_ARCHES) expect(err.message).to.include(arch);
    }
  });

  it("has the same syscall names for every arch, with distinct numbers within each", () => {
    const names = Object.keys(SYSCALL_NUMBERS.x86_64).sort();
    for (const arch of SUPPORTED_ARCHES) {
      const table = SYSCALL_NUMBERS[arch];
      expect(Object.keys(table).sort(), arch).to.deep.equal(names);
      const numbers = Object.values(table);
      expect(new Set(numbers).size, `${arch} numbers are distinct`).to.equal(numbers.length);
      for (const n of numbers) expect(Number.isInteger(n) && n >= 0, `${arch} ${n}`).to.equal(true);
    }
  });

  it("matches the public kernel tables on spot values", () => {
    const spots: Array<[Arch, Parameters<typeof syscallNumber>[0], number]> = [
      ["x86_64", "io_setup", 206],
      ["x86_64", "io_cancel", 210],
      ["x86_64", "mmap", 9],
      ["x86_64", "getpid", 39],
      ["i386", "io_cancel", 249],
      ["i386", "mmap", 192], // mmap2, offset in pages
      ["i386", "pipe2", 331],
      ["arm64", "io_setup", 0],
      ["arm64", "io_cancel", 3],
      ["arm64", "io_getevents", 4],
      ["arm64", "mmap", 222],
      ["riscv64", "io_submit", 2],
      ["riscv64", "getpid", 172],
    ];
    for (const [arch, name, nr] of spots) expect(syscallNumber(name, arch), `${arch} ${name}`).to.equal(nr);
  });

  it("marks i386 as the one arch whose syscall arguments are 32-bit", () => {
    expect(SUPPORTED_ARCHES.filter((a) => !is64Bit(a))).to.deep.equal(["i386"]);
  });

  it("defaults to the running arch", () => {
    expect(syscallNumber("io_cancel")).to.equal(SYSCALL_NUMBERS[currentArch()].io_cancel);
  });

  it("recognises table names in strings", () => {
    expect(isSyscallName("io_cancel")).to.equal(true);
    expect(isSyscallName("io_uring_enter")).to.equal(false);
    expect(isSyscallName("toString")).to.equal(false);
  });
});
