// SPDX-License-Identifier: GPL-2.0-only
// Synthetic run results for the vm and compare suites: no kernel, no VM.
import type { CaseResult, RunResults, Verdict } from "../../harness/run/results.js";

const VERDICTS: Verdict[] = ["pass", "fail", "skip", "error", "timeout", "xfail", "xpass"];

export function caseOf(id: string, verdict: Verdict, observed: { ret?: string; errno?: string } = {}, reason?: string): CaseResult {
  return {
    id: `io_cancel.${id}`,
    syscall: "io_cancel",
    title: `case ${id}`,
    scenario: id.split(".")[0]!,
    specRef: { section: "errors", index: 0, summary: "not found", errno: "EINVAL", file: "specs/io_cancel.archive.txt", line: 200 },
    verdict,
    expected: { outcome: "error", errno: "EINVAL" },
    observed,
    ...(reason ? { reason } : {}),
    durationMs: 1,
  };
}

export function resultsOf(release: string, cases: CaseResult[]): RunResults {
  const totals = Object.fromEntries(VERDICTS.map((v) => [v, cases.filter((c) => c.verdict === v).length])) as Record<Verdict, number>;
  return {
    tool: { name: "kapi-conform", version: "0.1.0" },
    startedAt: "2026-01-01T00:00:00.000Z",
    durationMs: 10,
    kernel: { release, version: "#1 SMP", machine: "x86_64", arch: "x86_64", config: {} },
    status: "complete",
    specs: [{ name: "io_cancel", file: "specs/io_cancel.archive.txt", line: 39, format: "archive", dialect: "v3" }],
    unsuited: [],
    cases,
    coverage: [],
    observations: [],
    totals,
  };
}
