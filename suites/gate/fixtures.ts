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
    spec: { name: "io_cancel", file: "specs/io_cancel.archive.txt", line: 39, format: "archive", dialect: "v3" },
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
