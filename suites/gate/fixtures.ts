// SPDX-License-Identifier: GPL-2.0-only
// Synthetic run results for the gate suites: every verdict without a kernel.
import { spawnSync } from "node:child_process";
import { totalsOf } from "../../harness/run/verdicts.js";
import type { CaseResult, RunResults, Verdict } from "../../harness/run/results.js";

export const CLI = "build/harness/cli/main.js";

export function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

/** A case of spec item `section[index]`; the id's middle part names the scenario. */
export function caseOf(id: string, verdict: Verdict, section = "errors", index = 0, reason?: string): CaseResult {
  const why = reason ?? (verdict === "pass" ? undefined : `${verdict}: why`);
  return {
    id: `io_cancel.${id}`,
    syscall: "io_cancel",
    title: `case ${id}`,
    scenario: id.split(".")[0]!,
    specRef: { section, index, summary: `${section} item ${index}`, ...(section === "errors" ? { errno: "EINVAL" } : {}), file: "specs/io_cancel.archive.txt", line: 100 + index * 10 + (section === "errors" ? 100 : 0) },
    verdict,
    expected: { outcome: "error", errno: "EINVAL" },
    observed: verdict === "pass" ? { ret: "-1", errno: "EINVAL" } : { ret: "0" },
    ...(why === undefined ? {} : { reason: why }),
    durationMs: 1.5,
  };
}

export function resultsOf(cases: CaseResult[], kernel: Partial<RunResults["kernel"]> = {}): RunResults {
  return {
    tool: { name: "kapi-conform", version: "0.1.0" },
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 12,
    kernel: { release: "6.18.44-fc-v769", version: "#1 SMP", machine: "x86_64", arch: "x86_64", config: { CONFIG_AIO: "y" }, ...kernel },
    status: "complete",
    specs: [{ name: "io_cancel", file: "specs/io_cancel.archive.txt", line: 39, format: "archive", dialect: "v3" }],
    unsuited: [],
    cases,
    coverage: [],
    observations: [{ id: "check-order", title: "Check order", text: "EFAULT # before EINVAL" }],
    totals: totalsOf(cases),
  };
}

const entry = (verdict: Verdict) => ({ pattern: "io_cancel.c.*", reason: "6.8-rc7 returned 0", link: "https://example.org/bug#c1", file: "expect.yaml", line: 3, verdict });

/** One case per verdict, over three spec items, as a run could produce them. */
export function everyVerdict(): RunResults {
  return resultsOf([
    caseOf("a.pass", "pass", "errors", 0),
    caseOf("a.fail", "fail", "errors", 0, "expected EINVAL, got 0 (spec line 205)"),
    caseOf("b.skip", "skip", "errors", 1, "CONFIG_AIO is not set"),
    caseOf("b.error", "error", "errors", 1, "mmap failed: ENOMEM"),
    caseOf("c.timeout", "timeout", "return", 0, "io_getevents did not return in 5 s"),
    { ...caseOf("c.xfail", "xfail", "return", 0, "expected -EINPROGRESS, got 0"), expectedFailure: entry("fail") },
    { ...caseOf("c.xpass", "xpass", "return", 0), expectedFailure: entry("pass") },
  ]);
}

/** A case of another syscall's spec (ids are "syscall.scenario.check"). */
export function caseOfSyscall(syscall: string, id: string, verdict: Verdict, index = 0, reason?: string): CaseResult {
  const c = caseOf(id, verdict, "errors", index, reason);
  return { ...c, id: `${syscall}.${id}`, syscall, specRef: { ...c.specRef, file: `specs/${syscall}.patch` } };
}

/** A run of two syscalls (io_cancel and close), and one spec (open) that had no suite. */
export function twoSyscalls(): RunResults {
  const r = resultsOf([
    caseOf("a.pass", "pass", "errors", 0),
    { ...caseOf("a.fail", "fail", "errors", 1, "expected EINVAL, got 0 (spec line 210)"), call: "io_cancel(ctx=0x7f0000001000, iocb=NULL, result=NULL)" },
    caseOfSyscall("close", "badfd.rejected", "pass", 0),
    { ...caseOfSyscall("close", "env.nfs", "skip", 1, "needs an NFS mount"), detail: "no NFS mount in /proc/self/mounts (3 mounts read)" },
  ]);
  return {
    ...r,
    specs: [...r.specs, { name: "close", file: "specs/close.patch", line: 12, format: "patch", dialect: "v5" }],
    unsuited: [{ name: "open", file: "specs/open.patch", line: 40, items: 27 }],
    coverage: [
      { syscall: "io_cancel", section: "errors", index: 0, summary: "EINVAL: bad ctx", line: 200, status: "covered", caseIds: ["io_cancel.a.pass"] },
      { syscall: "io_cancel", section: "errors", index: 2, summary: "EFAULT: bad iocb", line: 230, status: "bound-unchecked", caseIds: ["io_cancel.a.fail"], reason: "named by a check, content read by none" },
      { syscall: "close", section: "errors", index: 0, summary: "EBADF: not open", line: 20, status: "covered", caseIds: ["close.badfd.rejected"] },
    ],
  };
}
