// SPDX-License-Identifier: GPL-2.0-only
// write: the cases that fail on this kernel, confirmed in C (see repro.ts).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "chai";
import { compileC } from "../../harness/kernel/cc.js";
import { projectRoot } from "../kernel/support.js";
import { skipBecause } from "../support/skip.js";
import { describeRepro } from "./repro.js";

describeRepro("write", {
  "write.count-negative.rejected": "write-count-negative",
  "write.offset-plus-count-overflows.rejected": "write-offset-overflow",
  "write.setid-file-capability-dropped.cleared-without": "write.repro:suid-without-CAP_FOWNER",
  "write.dac-denied-capability-dropped.checked-at-open": "write.repro:dac-without-CAP_DAC_OVERRIDE",
});

describe("write.repro.c: the SUID reproduction can see a clearing", function () {
  it("without CAP_FSETID alone, root's write clears SUID and SGID (the control for CAP_FOWNER)", function () {
    if (process.geteuid?.() !== 0) skipBecause(this, "capset and chown need root");
    const built = compileC(join(projectRoot(), "suites", "series", "write.repro.c"), "write-repro");
    if (!built.ok) {
      if (built.noCompiler) skipBecause(this, built.reason);
      throw new Error(built.reason);
    }
    try {
      const r = spawnSync(built.path, ["suid-without-CAP_FSETID"], { encoding: "utf8", timeout: 10_000 });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout.trim()).to.equal("modeAfter=0777 modeBefore=06777");
    } finally {
      built.cleanup();
    }
  });
});
