// SPDX-License-Identifier: GPL-2.0-only
// Every case that fails on this kernel is confirmed in C: fileio-repro.c
// creates the same condition and makes the same raw call; the C result must
// equal what the run observed (same errno, or both a descriptor), and the
// case must be listed in expectations.yaml. A failing case with no C
// reproduction fails the test: it is unconfirmed, maybe the harness's fault.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { hasSyscall, type SyscallName } from "../../harness/kernel/arch.js";
import { compileC, type CompiledProgram } from "../../harness/kernel/cc.js";
import { errnoNumber } from "../../harness/kernel/errno.js";
import { parseExpectations } from "../../harness/gate/expectations.js";
import type { CaseResult } from "../../harness/run/results.js";
import { projectRoot } from "../kernel/support.js";
import { skipBecause } from "../support/skip.js";
import { corpusSpecs, CORPUS, runCorpusSpec } from "./corpus.js";

export const EXPECTATIONS = join(projectRoot(), "suites", "series", "expectations.yaml");

type Program = CompiledProgram | { ok: false; reason: string; noCompiler: boolean };
const programs = new Map<string, Program>();

/** suites/series/<name>.c compiled once per process; fileio-repro unless a mode names another ("write.repro:mode"). */
function reproProgram(name = "fileio-repro"): Program {
  let built = programs.get(name);
  if (built === undefined) {
    built = compileC(join(projectRoot(), "suites", "series", `${name}.c`), name);
    // Shared by every describe of the process; its temp dir goes when the process does.
    if (built.ok) process.on("exit", () => (built as CompiledProgram).cleanup());
    programs.set(name, built);
  }
  return built;
}

/** "write.repro:suid-mode" runs suites/series/write.repro.c with mode "suid-mode"; a bare mode runs fileio-repro.c. */
function programAndMode(entry: string): { program: string; mode: string } {
  const at = entry.indexOf(":");
  return at < 0 ? { program: "fileio-repro", mode: entry } : { program: entry.slice(0, at), mode: entry.slice(at + 1) };
}

/** "-1 EFAULT" / "fd": how a result is compared across processes. */
function observedKey(c: CaseResult): string {
  const o = c.observed;
  // A claims check records facts, not the call's result: C prints the same facts as key=value, sorted.
  if (o.ret === undefined && o.facts) return Object.entries(o.facts).map(([k, v]) => `${k}=${v}`).sort().join(" ");
  if (o.errno) return `-1 ${errnoNumber(o.errno) ?? o.errno}`;
  return o.ret !== undefined && BigInt(o.ret) >= 0n ? "fd 0" : `${o.ret} 0`;
}

/** One suite per syscall: `repro` maps each case id the kernel fails to the C program's mode. */
export function describeRepro(syscall: SyscallName, repro: Record<string, string>): void {
  describe(`${syscall}: every failing case on this kernel is confirmed in C and listed`, function () {
    this.timeout(60_000);
    const specs = corpusSpecs(syscall);

    if (specs.length === 0) {
      it("runs against the corpus", function () {
        skipBecause(this, `no ${syscall} spec in ${CORPUS} (the corpus is not checked out next to the project)`);
      });
      return;
    }

    for (const { label, file } of specs) {
      it(`${label}: each failing case's condition, made in C, gives what the run observed`, async function () {
        if (!hasSyscall(syscall)) skipBecause(this, `${syscall}(2) does not exist on this arch`);
        const built = reproProgram();
        if (!built.ok) {
          if (built.noCompiler) skipBecause(this, built.reason);
          throw new Error(built.reason);
        }
        const results = await runCorpusSpec(file, syscall);
        const failing = results.cases.filter((c) => c.verdict === "fail");
        const unconfirmed = failing.filter((c) => repro[c.id] === undefined).map((c) => `${c.id}: ${c.reason ?? ""}`);
        expect(unconfirmed, "failing cases without a C reproduction").to.deep.equal([]);
        expect(results.cases.filter((c) => c.verdict === "error" || c.verdict === "timeout").map((c) => `${c.id} ${c.verdict}: ${c.reason ?? ""}`)).to.deep.equal([]);
        for (const c of failing) {
          const { program, mode } = programAndMode(repro[c.id]!);
          const own = reproProgram(program);
          if (!own.ok) throw new Error(own.reason);
          const r = spawnSync(own.path, [mode], { encoding: "utf8", timeout: 10_000 });
          expect(r.status, `${repro[c.id]}: ${r.stderr}`).to.equal(0);
          expect(r.stdout.trim(), `${c.id}: C (${repro[c.id]}) against the run`).to.equal(observedKey(c));
        }
      });
    }

    it("every C-confirmed case is listed in expectations.yaml with its reason and spec line", function () {
      const entries = parseExpectations(readFileSync(EXPECTATIONS, "utf8"), EXPECTATIONS);
      const missing = Object.keys(repro).filter((id) => !entries.some((e) => e.matcher.test(id)));
      expect(missing).to.deep.equal([]);
    });
  });
}
