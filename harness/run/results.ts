// SPDX-License-Identifier: GPL-2.0-only
// The outcome of a conformance run, as written to results.json. Every report
// (KTAP, JUnit, summary, drift) is derived from this one document, so a saved
// results.json is enough to rebuild them.

export type Verdict = "pass" | "fail" | "skip" | "error" | "timeout" | "xfail" | "xpass";

/** The spec item a case checks. */
export interface SpecRef {
  /** Spec section: "errors", "return", "sideEffects", "stateTransitions", "constraints", "params", ... */
  section: string;
  /** Index of the item in that section (0 for "return"). */
  index: number;
  /** The item's one-line summary as written (error summary, effect target, ...). */
  summary: string;
  /** Errno name for an error item, when it names one. */
  errno?: string;
  /** Spec file and line of the item. */
  file: string;
  line: number;
}

/** What the spec says should happen, read from the bound spec item at run time. */
export interface Expected {
  /** "error": -1 with errno; "success": the return clause; "observation": a fact after the call. */
  outcome: "error" | "success" | "observation";
  errno?: string;
  /** Success clause as written (e.g. "-EINPROGRESS", ">= 0"). */
  success?: string;
  /** Free text for checks that are not a return value (an event arrived, a buffer unchanged). */
  text?: string;
  /** The spec item the expectation was read from, when it is not the case's own specRef. */
  from?: { section: string; index: number; summary: string; line: number };
}

/** What the kernel did. ret is the raw syscall return as a decimal string (64-bit exact). */
export interface Observed {
  ret?: string;
  errno?: string;
  /** Extra facts the case observed (event fields, counts, ...), for people and drift. */
  facts?: Record<string, string | number | boolean>;
}

export interface CaseResult {
  /** Stable, slug-safe identity, e.g. "io_cancel.errors.0.iocb-null". */
  id: string;
  /** The syscall whose spec the case checks (the id's first part). */
  syscall: string;
  title: string;
  /** The scenario that produced this case. */
  scenario: string;
  specRef: SpecRef;
  verdict: Verdict;
  expected: Expected;
  observed: Observed;
  /**
   * Why the verdict: the failure message naming the spec line, the error, or
   * for a skip a short reason fixed per cause (LKFT appends it to the test
   * name, so it must not change between runs or kernels).
   */
  reason?: string;
  /** What varies behind a reason (paths, counts, values): a diagnostic line, never part of a name. */
  detail?: string;
  /** The call as issued, LTP TST_EXP_FAIL style: "io_cancel(ctx=0x7f.., iocb=NULL, result=NULL)". */
  call?: string;
  durationMs: number;
  /** The expectations-file entry that turned a fail into xfail or a pass into xpass. */
  expectedFailure?: ExpectedFailure;
}

/** A known deviation from an expectations file (--expect), as applied to one case. */
export interface ExpectedFailure {
  /** The entry's key: the case id or the glob that matched. */
  pattern: string;
  reason: string;
  link: string;
  /** Where the entry is written. */
  file: string;
  line: number;
  /** The verdict before the rewrite ("fail" or "pass"). */
  verdict: Verdict;
}

/**
 * "covered": a check derived its expectation from the item's content;
 * "bound-unchecked": checks name the item, but none reads what it says.
 */
export type CoverageStatus = "covered" | "bound-unchecked" | "not-observable" | "needs-environment" | "not-covered";

export const COVERAGE_STATUSES: CoverageStatus[] = ["covered", "bound-unchecked", "not-observable", "needs-environment", "not-covered"];

/** One row per spec item: whether any case checked it, and why not. */
export interface CoverageRow {
  syscall: string;
  section: string;
  index: number;
  summary: string;
  line: number;
  status: CoverageStatus;
  caseIds: string[];
  reason?: string;
}

/** A fact about the run that is recorded but never fails it (e.g. check order). */
export interface Observation {
  id: string;
  title: string;
  text: string;
}

export interface KernelFacts {
  release: string;
  version: string;
  machine: string;
  arch: string;
  /** Kernel config options the run consulted, with the value found ("y", "m", "n", "unknown"). */
  config: Record<string, string>;
}

/** A spec the run found, and ran through its suite. */
export interface SpecRun {
  name: string;
  file: string;
  line: number;
  format: string;
  dialect: string;
}

/** A spec the input held for which no suite exists: listed, never run. */
export interface UnsuitedSpec {
  name: string;
  file: string;
  line: number;
  /** Spec items (errors, return, effects, ...) nobody checked. */
  items: number;
}

/**
 * "running" is written when a run starts and stays if it is killed;
 * "interrupted" when a signal ended it; "complete" only when every case ran.
 */
export type RunStatus = "running" | "interrupted" | "complete";

export interface RunResults {
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  status: RunStatus;
  kernel: KernelFacts;
  /** One per syscall run, in run order. */
  specs: SpecRun[];
  unsuited: UnsuitedSpec[];
  cases: CaseResult[];
  coverage: CoverageRow[];
  observations: Observation[];
  totals: Record<Verdict, number>;
  /** How the verdicts were gated, when an expectations file or --strict was used. */
  gate?: Gate;
}

export interface Gate {
  /** The expectations file applied, as given on the command line. */
  expectations?: string;
  /** Whether an unexpected pass (xpass) fails the run. */
  strict: boolean;
}
