// SPDX-License-Identifier: GPL-2.0-only
// Claims a spec makes about the C libraries around its syscall (a glibc
// wrapper, libaio's return convention), checked on this machine. Which claims
// and how is the suite's business (its optional `libraryClaims` hook); drift
// only runs the hook, in the isolated worker under the per-case limit, since
// checking a claim means calling into the kernel.
import type { Spec } from "../spec/model.js";
import { loadSuite, suiteRefFor, type SuiteRef } from "../scenarios/registry.js";
import { claimsAfterRun, interruption, libraryClaimsIsolated } from "../run/isolation.js";
import { DEFAULT_CASE_TIMEOUT_MS } from "../run/execute-plan.js";

export interface LibraryClaimRow {
  claim: string;
  /** The spec's words (from its notes), or why the spec makes no such claim. */
  spec: string;
  observed: string;
  /** "error": the check itself crashed or hung (it ran in the worker). */
  verdict: "agrees" | "disagrees" | "skipped" | "no claim in the spec" | "error";
}

/** A suite's hook: the rows for one spec, computed in the worker process. */
export type LibraryClaims = (spec: Spec) => LibraryClaimRow[] | Promise<LibraryClaimRow[]>;

/** Call before the conformance run whose drift report will follow: its worker checks the claims too. */
export function libraryClaimsWithRun(spec: Spec): void {
  claimsAfterRun(spec);
}

/** The library claims of the spec's suite, if its suite has the hook; never run in this process. */
export async function libraryClaims(spec: Spec, options: { caseTimeoutMs?: number; suite?: SuiteRef } = {}): Promise<LibraryClaimRow[]> {
  const ref = options.suite ?? suiteRefFor(spec.name);
  if (!ref || !(await loadSuite(ref)).libraryClaims) return [];
  if (interruption()) return [];
  const rows = await libraryClaimsIsolated(spec, ref, options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS);
  if (typeof rows !== "string") return rows;
  return [{ claim: "library claims", spec: "the suite's library checks", observed: `not checked: ${rows}`, verdict: "error" }];
}
