// SPDX-License-Identifier: GPL-2.0-only
// The declarative shape of a scenario, in the spirit of LTP's tst_test: what
// condition it creates, how to set it up with fresh resources, the call under
// test, and the checks to make afterwards. A scenario never states the errno or
// return value it expects: each check names the spec item it is about by its
// *condition* (a Target), and the expected outcome is read from that item when
// the case runs, so a wrong spec makes the case fail.
import type { SyscallResult } from "../kernel/syscall.js";
import type { ResourceScope } from "../kernel/scope.js";
import type { Environment } from "../run/environment.js";

/** Spec sections a target can name. */
export type ItemSection =
  | "errors"
  | "return"
  | "params"
  | "sideEffects"
  | "stateTransitions"
  | "constraints"
  | "locks"
  | "signals"
  | "capabilities";

/**
 * A spec item, found by what it says rather than by its errno or position.
 * - `summary` must match the item's one-line summary (error summary, side-effect
 *   target, state-transition object, constraint name, param name);
 * - `text` must match somewhere in the item's whole text;
 * - `condition` must match one of the item's enumerated conditions `(1) ... (2) ...`,
 *   and binds the case to that condition.
 * Exactly one item must match; none or several is reported, never guessed.
 */
export interface Target {
  section: ItemSection;
  summary?: RegExp;
  text?: RegExp;
  condition?: RegExp;
}

/** What a fact check saw: whether the spec's claim held, and the raw facts. */
export interface FactObservation {
  holds: boolean;
  facts: Record<string, string | number | boolean>;
  /** One line saying what was seen, for the report. */
  detail: string;
}

/** A precondition of the environment; unmet means skip with the reason. */
export interface Requirement {
  /** Returns undefined when met, or the precise reason it is not. */
  unmetReason(env: Environment): string | undefined;
}

interface CheckBase {
  /** Slug, unique within the scenario. */
  id: string;
  title: string;
  /** The spec item this check verifies: the case's specRef. */
  about: Target;
}

/** The call's own result, compared with the outcome `about` (or `expectFrom`) documents. */
export interface OutcomeCheck extends CheckBase {
  kind: "outcome";
  expectFrom?: Target;
}

/**
 * The call's result must match one of several items; for inputs that meet two
 * documented conditions at once. Which one the kernel chose is recorded as an
 * observation (the spec defines no precedence), never a failure by itself.
 */
export interface PrecedenceCheck extends CheckBase {
  kind: "precedence";
  candidates: Target[];
}

/** A further call made after the call under test, compared with the outcome `expectFrom` documents. */
export interface FollowUpCheck<S> extends CheckBase {
  kind: "followup";
  expectFrom: Target;
  /** What this follow-up call is, in words (shown as the expectation's context). */
  call: string;
  observe(state: S, first: SyscallResult): SyscallResult | Promise<SyscallResult>;
}

/** A fact about state after the call (an event arrived, a buffer is unchanged). */
export interface FactCheck<S> extends CheckBase {
  kind: "fact";
  /** The claim checked, in words, derived from the spec item named by `about`. */
  claim: string;
  observe(state: S, first: SyscallResult): FactObservation | Promise<FactObservation>;
}

/** What a race loop saw: how many iterations ended in each documented outcome. */
export interface RaceObservation {
  iterations: number;
  /** Iterations per outcome key; "unexpected" for results no outcome's spec item documents. */
  counts: Record<string, number>;
  /** The first few unexpected results, described. */
  unexpected: string[];
  /** Whether the invariants beside the return value held (one event per request, ...). */
  holds: boolean;
  facts: Record<string, string | number | boolean>;
  detail: string;
}

/**
 * A loop that races the call against something else, many times. Each
 * iteration's result is classified by the engine against the spec items named
 * in `outcomes` (the first whose documented outcome it matches); every outcome
 * must occur at least once, or the race was not exercised and the case says so.
 */
export interface RaceCheck<S> extends CheckBase {
  kind: "race";
  outcomes: Record<string, Target>;
  claim: string;
  observe(state: S, classify: (result: SyscallResult) => string | undefined): Promise<RaceObservation>;
}

export type Check<S> = OutcomeCheck | PrecedenceCheck | FollowUpCheck<S> | FactCheck<S> | RaceCheck<S>;

export interface ScenarioContext {
  scope: ResourceScope;
  env: Environment;
  /** Iterations for looping checks (races). */
  iterations: number;
}

/** How hard looping checks work: iterations of a race (`run --stress N`). */
export const DEFAULT_RACE_ITERATIONS = 1000;

/** A race may run up to this many times its iterations, until every documented outcome occurred. */
export const RACE_EXTENSION_FACTOR = 10;

export interface Scenario<S = unknown> {
  /** Slug, unique within the syscall's suite. */
  id: string;
  /** The condition the scenario creates, in words ("iocb pointer is NULL"). */
  condition: string;
  requires?: Requirement[];
  /** Creates fresh resources; register every one of them with ctx.scope. */
  setup(ctx: ScenarioContext): S | Promise<S>;
  /** The call under test; omitted when the checks make their own calls (races). */
  call?(state: S): SyscallResult;
  checks: Check<S>[];
}

/** Keeps a scenario's state type checked while storing it in a list of scenarios. */
export function defineScenario<S>(scenario: Scenario<S>): Scenario<unknown> {
  return scenario as Scenario<unknown>;
}

/**
 * A spec item that only a particular environment can exercise (a driver, a
 * kernel built without the feature). It becomes a skipped case naming what
 * this machine lacks, and a "needs-environment" coverage row.
 */
export interface EnvironmentOnly {
  id: string;
  title: string;
  about: Target;
  /** Why it cannot run here, in this environment's terms. */
  reason(env: Environment): string;
}

/** Everything the harness knows about testing one syscall. */
export interface SyscallSuite {
  syscall: string;
  /** A valid call, from which the generic pointer probes are made. */
  baseline?: Baseline<unknown>;
  scenarios: Scenario<unknown>[];
  environmentOnly: EnvironmentOnly[];
  /** Sections whose items are never observable from user space, and why. */
  unobservableSections: Partial<Record<ItemSection | "contexts", string>>;
  /**
   * Checks of what the spec says about the C libraries around the syscall
   * (glibc wrapper, libaio); `drift` runs them in the isolated worker, never
   * in the CLI process.
   */
  libraryClaims?: import("../drift/library-claims.js").LibraryClaims;
}

/** A call that succeeds as the spec's return documents, with its arguments exposed. */
export interface Baseline<S> {
  condition: string;
  setup(ctx: ScenarioContext): S | Promise<S>;
  /** The arguments in call order. */
  args(state: S): bigint[];
  invoke(args: bigint[]): SyscallResult;
}

export function defineBaseline<S>(baseline: Baseline<S>): Baseline<unknown> {
  return baseline as Baseline<unknown>;
}
