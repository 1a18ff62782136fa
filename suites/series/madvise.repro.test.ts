// SPDX-License-Identifier: GPL-2.0-only
// Every madvise case that fails on this kernel, reproduced in C: the same
// condition made by a small C program, whose raw result must equal what the
// suite observed. A failure is then the spec's (or the kernel's), never the harness's.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { compileC } from "../../harness/kernel/cc.js";
import type { RunResults } from "../../harness/run/results.js";
import { ROOT } from "../spec/helpers.js";
import { skipBecause } from "../support/skip.js";
import { corpusFile, failed, runOriginal, specUnderEdit } from "./edit-spec.js";

describe("madvise (PATCH v4): failing cases confirmed in C", function () {
  let run: RunResults;
  before(async function () {
    const file = corpusFile(/PATCH_v4_10_11_.*sys_madvise\.patch$/);
    if (!file) skipBecause(this, "the PATCH v4 madvise spec is not in ../shared/kapi-corpus (the corpus lives outside the project)");
    run = await runOriginal(specUnderEdit(file, "madvise"));
  });

  it("the failing cases are exactly the ones reproduced here", function () {
    expect(failed(run)).to.deep.equal(["madvise.dofork-vm-dontexpand.rejected"]);
  });

  it("MADV_DOFORK on [vdso] (VM_DONTEXPAND, no VM_IO): C sees the success the suite saw, where the spec says EINVAL", function () {
    const built = compileC(path.join(ROOT, "suites", "series", "madvise.repro.c"), "madvise-repro");
    if (!built.ok) {
      if (built.noCompiler) skipBecause(this, built.reason);
      throw new Error(built.reason);
    }
    try {
      const out = spawnSync(built.path, { encoding: "utf8" });
      expect(out.status, out.stderr).to.equal(0);
      expect(out.stdout).to.match(/^vmflags=.*\bde\b/m);
      expect(out.stdout).to.not.match(/^vmflags=.*\bio\b/m);
      const c = /^ret=(-?\d+) errno=(\S+)$/m.exec(out.stdout);
      const observed = run.cases.find((x) => x.id === "madvise.dofork-vm-dontexpand.rejected")!;
      expect(observed.expected.errno ?? observed.expected.outcome).to.satisfy((e: unknown) => JSON.stringify(e).includes("EINVAL"));
      expect({ ret: c?.[1], errno: c?.[2] }).to.deep.equal({ ret: observed.observed.ret, errno: observed.observed.errno ?? "0" });
    } finally {
      built.cleanup();
    }
  });
});
