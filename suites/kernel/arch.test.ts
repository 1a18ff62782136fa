// SPDX-License-Identifier: GPL-2.0-only
import { expect } from "chai";
import {
  currentArch,
  hasSyscall,
  is64Bit,
  isSyscallName,
  NOT_ON_ARCH,
  SUPPORTED_ARCHES,
  SYSCALL_NAMES,
  SYSCALL_NUMBERS,
  syscallNumber,
  SyscallNotOnArchError,
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

  it("has every syscall name on every arch, or names it as absent there with what to use instead", () => {
    for (const arch of SUPPORTED_ARCHES) {
      const table = SYSCALL_NUMBERS[arch];
      for (const name of SYSCALL_NAMES) {
        const present = table[name] !== undefined;
        const absent = NOT_ON_ARCH[arch][name] !== undefined;
        expect(present !== absent, `${arch} ${name}: in the table xor listed as absent`).to.equal(true);
      }
      expect(Object.keys(table).filter((n) => !isSyscallName(n)), `${arch} names outside SYSCALL_NAMES`).to.deep.equal([]);
      const numbers = Object.values(table);
      expect(new Set(numbers).size, `${arch} numbers are distinct`).to.equal(numbers.length);
      for (const n of numbers) expect(Number.isInteger(n) && n >= 0, `${arch} ${n}`).to.equal(true);
    }
  });

  it("raises SyscallNotOnArchError for open on arm64 and riscv64, naming openat", () => {
    for (const arch of ["arm64", "riscv64"] as const) {
      let caught: unknown;
      try {
        syscallNumber("open", arch);
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(SyscallNotOnArchError);
      const err = caught as SyscallNotOnArchError;
      expect([err.syscall, err.arch]).to.deep.equal(["open", arch]);
      expect(err.instead).to.match(/^openat/);
      expect(err.message).to.equal(`syscall open does not exist on ${arch}: use ${err.instead}`);
      expect(hasSyscall("open", arch)).to.equal(false);
      expect(hasSyscall("openat", arch)).to.equal(true);
    }
    expect(() => syscallNumber("newfstatat", "i386")).to.throw(SyscallNotOnArchError, /statx/);
    expect(syscallNumber("open", "x86_64")).to.equal(2);
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
      ["x86_64", "setxattr", 188],
      ["x86_64", "newfstatat", 262],
      ["i386", "socketpair", 360],
      ["i386", "statx", 383],
      ["arm64", "openat", 56],
      ["arm64", "fcntl", 25],
      ["riscv64", "newfstatat", 79],
      ["riscv64", "umount2", 39],
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
    expect(isSyscallName("open")).to.equal(true);
    expect(isSyscallName("io_uring_enter")).to.equal(false);
    expect(isSyscallName("toString")).to.equal(false);
  });
});
