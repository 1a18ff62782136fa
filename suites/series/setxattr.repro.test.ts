// SPDX-License-Identifier: GPL-2.0-only
// Every case of the *setxattr suites that fails on this kernel is confirmed
// here by a C program that makes the same condition with raw syscalls: the
// failing cases of each corpus spec must be exactly the reproduced ones, and
// the C result must equal what the run observed (same errno or return). So a
// failure is the spec's or the kernel's, never the harness's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { compileC, type CompiledProgram } from "../../harness/kernel/cc.js";
import { errnoNumber } from "../../harness/kernel/errno.js";
import { loadExpectations } from "../../harness/gate/expectations.js";
import { runConformance } from "../../harness/run/conformance.js";
import type { Observed, RunResults } from "../../harness/run/results.js";
import { suiteRefFor } from "../../harness/scenarios/registry.js";
import { projectRoot } from "../kernel/support.js";
import { skipBecause } from "../support/skip.js";
import { corpusSpec, XATTR_SYSCALLS, type XattrSyscall } from "./xattr-corpus.js";

/** Failing case id -> the key of the C line that reproduces it. */
export const REPRODUCED: Record<XattrSyscall, Record<string, string>> = {
  setxattr: {
    "setxattr.name-unknown-namespace.einval-claim": "setxattr.name-unknown-namespace",
    "setxattr.file-in-sticky-directory-as-nobody.cap-fowner": "setxattr.file-in-sticky-directory-as-nobody",
  },
  lsetxattr: {
    "lsetxattr.name-unknown-namespace.einval-claim": "lsetxattr.name-unknown-namespace",
    "lsetxattr.file-in-sticky-directory-as-nobody.cap-fowner": "lsetxattr.file-in-sticky-directory-as-nobody",
    "lsetxattr.user-on-fifo.write-claim": "lsetxattr.user-on-fifo",
  },
  fsetxattr: {
    "fsetxattr.name-unknown-namespace.einval-claim": "fsetxattr.name-unknown-namespace",
    "fsetxattr.fd-read-only.rejected": "fsetxattr.fd-read-only",
    "fsetxattr.fd-at-fdcwd.rejected": "fsetxattr.fd-at-fdcwd",
    "fsetxattr.file-in-sticky-directory-as-nobody.cap-fowner": "fsetxattr.file-in-sticky-directory-as-nobody",
  },
};

interface CLine {
  ret: bigint;
  errno: number;
}

/** The call's result a case recorded: its ret/errno, or (claims checks) the "call" fact, as "-1 EPERM (...)" or "0". */
function observedCall(o: Observed): CLine | undefined {
  if (o.ret !== undefined) return o.errno ? { ret: -1n, errno: errnoNumber(o.errno)! } : { ret: BigInt(o.ret), errno: 0 };
  const m = /^(-?\d+)(?: (E[A-Z0-9]+))?/.exec(String(o.facts?.call ?? ""));
  if (!m) return undefined;
  return m[2] ? { ret: -1n, errno: errnoNumber(m[2])! } : { ret: BigInt(m[1]!), errno: 0 };
}

function runC(program: CompiledProgram): Map<string, CLine> {
  const dir = mkdtempSync(join(tmpdir(), "kapi-conform-repro-"));
  try {
    const run = spawnSync(program.path, [dir], { encoding: "utf8", timeout: 10_000 });
    if (run.status !== 0) throw new Error(`setxattr.repro exited ${run.status ?? run.signal}: ${run.stderr}`);
    return new Map(
      run.stdout
        .trim()
        .split("\n")
        .map((line) => {
          const [key, ret, errno] = line.split(" ");
          return [key!, { ret: BigInt(ret!), errno: Number(errno) }];
        }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("series: *setxattr failures reproduced in C", function () {
  this.timeout(60_000);
  let program: CompiledProgram | undefined;
  let lines = new Map<string, CLine>();
  let noCompiler: string | undefined;

  before(function () {
    const built = compileC(join(projectRoot(), "suites", "series", "setxattr.repro.c"), "setxattr-repro");
    if (!built.ok) {
      if (built.noCompiler) return void (noCompiler = built.reason);
      throw new Error(built.reason);
    }
    program = built;
    lines = runC(built);
  });
  after(() => program?.cleanup());

  for (const syscall of XATTR_SYSCALLS) {
    it(`${syscall}: the failing cases are exactly the reproduced ones, and C returns what the run observed`, async function () {
      if (noCompiler) skipBecause(this, noCompiler);
      const spec = await corpusSpec(syscall);
      if (!spec) skipBecause(this, `no ${syscall} spec: ../shared/kapi-corpus is absent`);
      const run: RunResults = await runConformance(spec, suiteRefFor(syscall)!);
      const failing = run.cases.filter((c) => c.verdict === "fail");
      expect(failing.map((c) => c.id).sort()).to.deep.equal(Object.keys(REPRODUCED[syscall]).sort());
      for (const c of failing) {
        const line = lines.get(REPRODUCED[syscall][c.id]!);
        expect(line, `C printed no line for ${c.id}`).to.not.equal(undefined);
        const seen = observedCall(c.observed);
        expect(seen, `${c.id}: the run recorded no call result`).to.not.equal(undefined);
        expect({ ret: line!.ret, errno: line!.errno }, `${c.id}: ${c.call}`).to.deep.equal(seen);
      }
    });
  }

  it("fsetxattr through a read-only descriptor stores the value (the spec documents EBADF)", function () {
    if (noCompiler) skipBecause(this, noCompiler);
    expect(lines.get("fsetxattr.fd-read-only")).to.deep.equal({ ret: 0n, errno: 0 });
    expect(lines.get("fsetxattr.fd-read-only.stored-bytes")).to.deep.equal({ ret: 10n, errno: 0 });
  });

  it("each reproduced failure is listed in the expectations file, linked to its spec line", async function () {
    const entries = await loadExpectations(join(projectRoot(), "suites", "series", "expectations.yaml"));
    for (const id of XATTR_SYSCALLS.flatMap((s) => Object.keys(REPRODUCED[s]))) {
      const entry = entries.find((e) => e.matcher.test(id));
      expect(entry, `${id} is not in suites/series/expectations.yaml`).to.not.equal(undefined);
      expect(entry!.link).to.match(/^\.\.\/shared\/kapi-corpus\/[^:]+_for_[a-z]+\.patch:\d+$/);
    }
  });

  it("fsetxattr takes AT_FDCWD as the current directory (the spec says it is not valid)", function () {
    if (noCompiler) skipBecause(this, noCompiler);
    expect(lines.get("fsetxattr.fd-at-fdcwd")).to.deep.equal({ ret: -1n, errno: errnoNumber("ENODATA") });
    expect(lines.get("fsetxattr.fd-at-fdcwd.plain-set")).to.deep.equal({ ret: 0n, errno: 0 });
    expect(lines.get("fsetxattr.fd-at-fdcwd.on-cwd-bytes")).to.deep.equal({ ret: 10n, errno: 0 });
  });

  it("nobody sets user.* on another's 0666 file in a sticky directory (CAP_FOWNER's text says it cannot)", function () {
    if (noCompiler) skipBecause(this, noCompiler);
    if (process.geteuid?.() !== 0) skipBecause(this, "acting as nobody needs root");
    for (const syscall of XATTR_SYSCALLS) expect(lines.get(`${syscall}.file-in-sticky-directory-as-nobody`), syscall).to.deep.equal({ ret: 0n, errno: 0 });
  });

  it("lsetxattr of user.* on a FIFO is EPERM, which its spec documents for symbolic links only", function () {
    if (noCompiler) skipBecause(this, noCompiler);
    expect(lines.get("lsetxattr.user-on-fifo")).to.deep.equal({ ret: -1n, errno: errnoNumber("EPERM") });
  });

  it("a name of no known namespace is EOPNOTSUPP, not EINVAL, for all three", function () {
    if (noCompiler) skipBecause(this, noCompiler);
    for (const syscall of XATTR_SYSCALLS) expect(lines.get(`${syscall}.name-unknown-namespace`), syscall).to.deep.equal({ ret: -1n, errno: errnoNumber("EOPNOTSUPP") });
  });
});
