// SPDX-License-Identifier: GPL-2.0-only
// The run as KCIDB v5 I/O data (kernelci/kcidb-io, schema v5.0): one test
// object per case, linked to the build under test, for `kcidb-submit`.
//
// Verdict to KCIDB status (the schema's statuses, highest priority first:
// FAIL, ERROR, MISS, PASS, DONE, SKIP):
//   pass    PASS
//   fail    FAIL   the kernel contradicted the spec
//   xfail   FAIL   with "waived": true: a known deviation listed in the
//                  expectations file; the status stays true, the waiver keeps
//                  it from alerting, as the gate does
//   xpass   PASS   the listed deviation did not occur (the entry is stale);
//                  misc.verdict says "xpass"
//   error   ERROR  the case did not complete because of the harness or its
//                  setup; the state of the kernel is unknown
//   timeout ERROR  the case was killed at the per-case limit: it did not
//                  complete and nothing is known of the kernel's answer
//   skip    SKIP   not applicable here (the environment lacks what it needs)
// MISS and DONE are not produced: a case is never dropped unreported (a case
// the harness could not run is an error), and every case judges the kernel.
import type { CaseResult, RunResults, Verdict } from "../run/results.js";

/** KCIDB's origin names and object ids (kcidb-io: origin_pattern, origin_id_pattern). */
export const KCIDB_ORIGIN = /^[a-z0-9_]+$/;
export const KCIDB_ID = /^[a-z0-9_]+:.*$/;
/** A test path: dot-separated components of [a-zA-Z0-9_-] (kcidb-io v5 test_path_re). */
export const KCIDB_PATH = /^([a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*)?$/;
/** kcidb-io v5: log_excerpt maxLength. */
const LOG_EXCERPT_MAX = 16384;

export type KcidbStatus = "FAIL" | "ERROR" | "MISS" | "PASS" | "DONE" | "SKIP";

export const KCIDB_STATUS: Record<Verdict, KcidbStatus> = {
  pass: "PASS",
  fail: "FAIL",
  xfail: "FAIL",
  xpass: "PASS",
  error: "ERROR",
  timeout: "ERROR",
  skip: "SKIP",
};

export interface KcidbTest {
  id: string;
  build_id: string;
  origin: string;
  path: string;
  status: KcidbStatus;
  waived?: boolean;
  comment: string;
  log_excerpt?: string;
  start_time: string;
  duration: number;
  environment: { comment: string; misc: Record<string, string> };
  misc: Record<string, string | number>;
}

export interface KcidbData {
  version: { major: 5; minor: 0 };
  tests: KcidbTest[];
}

export interface KcidbOptions {
  origin: string;
  /** The build tested (origin-prefixed); default ORIGIN:kernel-RELEASE. */
  buildId?: string;
}

/** A path component: what KCIDB allows, anything else as "_"; never empty. */
const component = (text: string): string => text.replace(/[^a-zA-Z0-9_-]/g, "_") || "_";

/** "kapi.io_cancel.ctx-zero.rejected": the case id's parts under "kapi". */
export function kcidbPath(caseId: string): string {
  return ["kapi", ...caseId.split(".")].map(component).join(".");
}

function logExcerpt(c: CaseResult): string | undefined {
  const lines = [
    c.reason ? `${c.verdict}: ${c.reason}` : undefined,
    c.detail,
    c.call ? `call: ${c.call}` : undefined,
    c.expectedFailure ? `expected failure: ${c.expectedFailure.reason} (${c.expectedFailure.link})` : undefined,
  ].filter((l): l is string => l !== undefined);
  if (lines.length === 0) return undefined;
  const text = lines.join("\n") + "\n";
  return text.length > LOG_EXCERPT_MAX ? text.slice(0, LOG_EXCERPT_MAX - 2) + "…\n" : text;
}

export function renderKcidb(results: RunResults, options: KcidbOptions): KcidbData {
  const { origin } = options;
  const buildId = options.buildId ?? `${origin}:kernel-${results.kernel.release}`;
  // URI-encoded: one line whatever results.json holds, and still unique (the encoding is one-to-one).
  const run = `${encodeURIComponent(results.kernel.release)}@${encodeURIComponent(results.startedAt)}`;
  const tests = results.cases.map((c): KcidbTest => {
    const excerpt = logExcerpt(c);
    return {
      id: `${origin}:kapi-conform:${run}:${encodeURIComponent(c.id)}`,
      build_id: buildId,
      origin,
      path: kcidbPath(c.id),
      status: KCIDB_STATUS[c.verdict],
      ...(c.verdict === "xfail" ? { waived: true } : {}),
      comment: c.title,
      ...(excerpt ? { log_excerpt: excerpt } : {}),
      start_time: results.startedAt,
      duration: c.durationMs / 1000,
      environment: { comment: `Linux ${results.kernel.release} ${results.kernel.machine}`, misc: { release: results.kernel.release, version: results.kernel.version, arch: results.kernel.arch } },
      misc: { verdict: c.verdict, case_id: c.id, spec_file: c.specRef.file, spec_line: c.specRef.line, spec_item: `${c.specRef.section}[${c.specRef.index}]`, tool: `${results.tool.name} ${results.tool.version}` },
    };
  });
  return { version: { major: 5, minor: 0 }, tests };
}
