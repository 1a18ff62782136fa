// SPDX-License-Identifier: GPL-2.0-only
// The constants table against the installed kernel headers: a C program,
// generated from the table's names, prints each constant's value (or
// "missing" when the headers lack it) and the running arch's table must agree
// exactly. Only a constant newer than the headers may be missing.
import { spawnSync } from "node:child_process";
import { expect } from "chai";
import { currentArch, SUPPORTED_ARCHES } from "../../harness/kernel/arch.js";
import { compileC, findCompiler, noCompilerReason } from "../../harness/kernel/cc.js";
import {
  CONSTANT_GROUPS,
  CONSTANT_SINCE,
  CONSTANTS,
  ConstantNotOnArchError,
  UnknownConstantError,
  constant,
  constantByName,
  constantGroup,
  isConstantName,
  type ConstantName,
} from "../../harness/kernel/constants.js";
import { skipBecause } from "../support/skip.js";

const HEADERS = [
  "stdio.h",
  "linux/version.h",
  "linux/fcntl.h", // asm/fcntl.h (O_*, F_*), AT_*, F_SEAL_*, F_ADD_SEALS
  "linux/mman.h", // asm/mman.h (PROT_*, MAP_* flags, MADV_*) and the MAP_ types
  "linux/memfd.h",
  "linux/xattr.h",
  "linux/limits.h", // XATTR_NAME_MAX, XATTR_SIZE_MAX, XATTR_LIST_MAX
  "linux/aio_abi.h",
  "asm/resource.h",
  "asm/signal.h",
  "sys/eventfd.h", // glibc: the kernel has no uapi header for EFD_*
];

/** Values the headers declare as enumerators, not macros: #ifdef cannot see them. */
const isEnumerator = (name: string): boolean => name.startsWith("IOCB_CMD_");

function program(names: readonly ConstantName[]): string {
  const body = names.map((n) =>
    isEnumerator(n)
      ? `\tprintf("${n} %lld\\n", (long long)(${n}));`
      : `#ifdef ${n}\n\tprintf("${n} %lld\\n", (long long)(${n}));\n#else\n\tputs("${n} missing");\n#endif`,
  );
  return [
    ...HEADERS.map((h) => `#include <${h}>`),
    "int main(void)",
    "{",
    '\tprintf("HEADERS %d.%d\\n", LINUX_VERSION_CODE >> 16, (LINUX_VERSION_CODE >> 8) & 255);',
    ...body,
    "\treturn 0;",
    "}",
    "",
  ].join("\n");
}

const older = (a: string, b: string): boolean => {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  return x[0]! < y[0]! || (x[0] === y[0] && x[1]! < y[1]!);
};

describe("kernel layer: constants per arch", () => {
  it("agrees exactly with the installed headers on the running arch", function () {
    if (!findCompiler()) skipBecause(this, noCompilerReason());
    const names = Object.values(CONSTANT_GROUPS).flat();
    const built = compileC({ text: program(names) }, "constants");
    if (!built.ok) throw new Error(built.reason);
    try {
      const run = spawnSync(built.path, { encoding: "utf8" });
      expect(run.status, run.stderr).to.equal(0);
      const lines = run.stdout.trim().split("\n").map((l) => l.split(" ") as [string, string]);
      const headers = lines.shift()![1];
      const arch = currentArch();
      const mismatches: string[] = [];
      const missing: string[] = [];
      for (const [name, value] of lines) {
        const ours = CONSTANTS[arch][name as ConstantName];
        if (value === "missing") {
          if (ours === undefined) continue;
          const since = CONSTANT_SINCE[name as ConstantName];
          // Newer than the headers: nothing to compare with, and said so.
          if (since && older(headers, since)) missing.push(`${name} (since ${since})`);
          else mismatches.push(`${name}: headers ${headers} lack it, the table has ${ours}`);
        } else if (ours === undefined) {
          mismatches.push(`${name}: headers say ${value}, the ${arch} table lacks it`);
        } else if (String(ours) !== value) {
          mismatches.push(`${name}: headers say ${value}, the ${arch} table says ${ours}`);
        }
      }
      if (missing.length > 0) process.stderr.write(`# constants newer than headers ${headers}, not compared: ${missing.join(", ")}\n`);
      expect(mismatches).to.deep.equal([]);
      expect(lines.length).to.equal(names.length);
      expect(names.length - missing.length, "constants compared").to.be.greaterThan(150);
    } finally {
      built.cleanup();
    }
  });

  it("moves O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE on arm64 only", () => {
    const moved = ["O_DIRECTORY", "O_NOFOLLOW", "O_DIRECT", "O_LARGEFILE", "O_TMPFILE"] as const;
    for (const arch of SUPPORTED_ARCHES) {
      for (const name of CONSTANT_GROUPS.open) {
        const same = constant(name, arch) === constant(name, "x86_64");
        expect(same, `${arch} ${name}`).to.equal(arch !== "arm64" || !(moved as readonly string[]).includes(name));
      }
    }
    expect(constant("O_DIRECTORY", "arm64")).to.equal(0o40000);
    expect(constant("O_DIRECT", "x86_64")).to.equal(0o40000);
    expect(constant("O_TMPFILE", "arm64") & constant("O_DIRECTORY", "arm64")).to.equal(constant("O_DIRECTORY", "arm64"));
  });

  it("raises ConstantNotOnArchError for an arch-specific constant elsewhere", () => {
    expect(() => constant("MAP_32BIT", "arm64")).to.throw(ConstantNotOnArchError, "constant MAP_32BIT is not defined on arm64");
    expect(() => constant("PROT_BTI", "x86_64")).to.throw(ConstantNotOnArchError);
    expect(constant("MAP_32BIT", "x86_64")).to.equal(0x40);
  });

  it("lists groups for the running arch and recognises names from text", () => {
    expect(constantGroup("xattr")).to.deep.equal({ XATTR_CREATE: 1, XATTR_REPLACE: 2, XATTR_NAME_MAX: 255, XATTR_SIZE_MAX: 65536, XATTR_LIST_MAX: 65536 });
    expect(Object.keys(constantGroup("map", "arm64"))).to.not.include("MAP_32BIT");
    expect(constant("AT_FDCWD")).to.equal(-100);
    expect(isConstantName("MADV_COLLAPSE")).to.equal(true);
    expect(isConstantName("O_BOGUS")).to.equal(false);
    expect(isConstantName("toString")).to.equal(false);
  });

  it("looks names up from strings: unknown names and arch-absent ones raise typed errors", () => {
    expect(constantByName("O_CREAT")).to.equal(0o100);
    expect(constantByName("O_NOFOLLOW", "arm64")).to.equal(0o100000);
    expect(() => constantByName("O_BOGUS")).to.throw(UnknownConstantError, '"O_BOGUS"');
    expect(() => constantByName("MAP_32BIT", "riscv64")).to.throw(ConstantNotOnArchError);
  });
});
