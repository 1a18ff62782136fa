// SPDX-License-Identifier: GPL-2.0-only
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { expect } from "chai";
import { compileC, findCompiler, noCompilerReason } from "../../harness/kernel/cc.js";
import { skipBecause } from "../support/skip.js";

describe("kernel layer: C compiler helper", () => {
  beforeEach(function () {
    if (!findCompiler()) skipBecause(this, noCompilerReason());
  });

  it("compiles and runs C text in a temp dir, and cleans up", () => {
    const built = compileC({ text: '#include <stdio.h>\nint main(void) { puts("built"); return 0; }\n' }, "hello");
    if (!built.ok) throw new Error(built.reason);
    expect(spawnSync(built.path, { encoding: "utf8" }).stdout).to.equal("built\n");
    built.cleanup();
    expect(existsSync(built.path)).to.equal(false);
  });

  it("reports a compile error with the compiler's message", () => {
    const built = compileC({ text: "int main(void) { return nope; }\n" }, "broken");
    expect(built.ok).to.equal(false);
    if (!built.ok) {
      expect(built.noCompiler).to.equal(false);
      expect(built.reason).to.include("nope");
    }
  });
});
