// SPDX-License-Identifier: GPL-2.0-only
// Issue 13 item 6: every syscall of every registered suite has a number on
// x86_64 and arm64. A syscall an arch lacks (open on arm64, which has only
// openat) is a skip naming the arch and the replacement, never a failure;
// a name no table knows, or a missing number without that reason, fails.
import { expect } from "chai";
import { isSyscallName, NOT_ON_ARCH, syscallNumber, SyscallNotOnArchError, type Arch } from "../../harness/kernel/arch.js";
import { loadSuite, suiteNames, suiteRefFor } from "../../harness/scenarios/registry.js";
import { skipBecause } from "../support/skip.js";

const ARCHES: Arch[] = ["x86_64", "arm64"];

describe("series: every syscall of the registered suites has a number on x86_64 and arm64", function () {
  for (const name of suiteNames()) {
    for (const arch of ARCHES) {
      it(`${name} on ${arch}`, async function () {
        const suite = await loadSuite(suiteRefFor(name)!);
        const absent: string[] = [];
        for (const syscall of suite.syscalls) {
          expect(isSyscallName(syscall), `${syscall} is in no syscall table of harness/kernel/arch.ts`).to.equal(true);
          if (!isSyscallName(syscall)) continue;
          let nr: number;
          try {
            nr = syscallNumber(syscall, arch);
          } catch (e) {
            // Only a documented absence is a skip: the table must say what replaces the call.
            if (!(e instanceof SyscallNotOnArchError) || NOT_ON_ARCH[arch][syscall] === undefined) throw e;
            absent.push(e.message);
            continue;
          }
          expect(Number.isInteger(nr) && nr >= 0, `${syscall} on ${arch}: ${nr}`).to.equal(true);
        }
        // Every other syscall of the suite was checked first.
        if (absent.length > 0) skipBecause(this, absent.join("; "));
      });
    }
  }

  it("open on arm64 is reported as absent with its replacement, not as a number", function () {
    expect(() => syscallNumber("open", "arm64")).to.throw(SyscallNotOnArchError, /open does not exist on arm64: use openat/);
  });
});
