// SPDX-License-Identifier: GPL-2.0-only
// The declarative shape of a scenario, in the spirit of LTP's tst_test: what
// condition it creates, how to set it up with fresh resources, the call under
// test as data (arguments by parameter name; the engine issues the syscall the
// spec names), and the checks to make afterwards. A scenario never states the
// errno, return value, state or side effect it expects: each check names the
// spec item it is about by its words (a Target), and the expectation is read
// from that item's content when the case runs, so a wrong spec fails the case.
import type { SyscallResult } from "../kernel/syscall.js";
import type { ResourceScope } from "../kernel/scope.js";
import type { Environment } from "../run/environment.js";
import type { SyscallArg } from "../kernel/syscall.js";
import type { Spec } from "../spec/model.js";

/** Spec sections a target can name; "claims" are errno claims found in prose (param constraints, notes, ...). */
export type ItemSection =
  | "errors"
  | "return"
  | "params"
  | "sideEffects"
  | "stateTransitions"
  | "constraints"
  | "locks"
  | "signals"
  | "capabilities"
  | "claims";

/** A phrase matched by its words in any order (see spec/words.ts), or a regular expression. */
export type Words = string | RegExp;

/**
 * A spec item, found by what it says rather than by its errno or position.
 * - `summary` must match the item's one-line summary (error summary, side-effect
 *   target, state-transition object, constraint name, param name);
 * - `text` must match somewhere in the item's whole text;
 * - `condition` must match one of the item's conditions (enumerated, listed or in
 *   prose) and binds the case to it. For errors the condition decides: when it sits
 *   in another block than `summary` names, the case binds to the block that holds it.
 * Exactly one item must match; none or several is reported, never guessed.
 */
export interface Target {
  section: ItemSection;
  summary?: Words;
  text?: Words;
  condition?: Words;
}

/** User memory passed by address, which the engine snapshots around the call (IN untouched, OUT written). */
export interface UserMemory {
  address: bigint;
  length: number;
  read(): Buffer;
}

export type ArgValue = SyscallArg | UserMemory;

/** The call's arguments by the spec's parameter names. */
export type Args = Record<string, ArgValue>;

/** What an observation saw: whether the claim held, and the raw facts. */
export interface FactObservation {
  holds: boolean;
  facts: Record<string, string | number | boolean>;
  /** One line saying what was seen, for the report. */
  detail: string;
}

/** A precondition of the environment; unmet means skip with the reason. */
export interface Requirement {
  /** Returns undefined when met, or the precise reason it is not (short, fixed per cause) and its detail. */
  unmet(env: Environment): { reason: string; detail?: string } | undefined;
}

interface CheckBase {
  /** Slug, unique within the scenario. */
  id: string;
  title: string;
  /** The spec item this check verifies: the case's specRef. */
  about: Target;
}

/**
 * The call's own result, compared with the outcome the spec documents: an error
 * item's errno, the return's success clause, or the errno a constraint, a param's
 * constraint text or a note claims in prose (the item named by `expectFrom`, else
 * by `about`). A param's constraint text that says the scenario's value is valid
 * or invalid (`value`) is read too: "a value of 0 is always invalid".
 */
export interface OutcomeCheck extends CheckBase {
  kind: "outcome";
  expectFrom?: Target;
  /** When no item matches `expectFrom`: the item whose outcome applies instead (a kind of fd the spec names no error for: its success). */
  otherwise?: Target;
  /** The argument value the scenario gives the param named by `about` ("0", "NULL"): its validity is read from the param's text. */
  value?: string;
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

/** The same syscall made again after the call under test, judged against the outcome `expectFrom` documents. */
export interface AgainCheck<S> extends CheckBase {
  kind: "again";
  expectFrom: Target;
  /** What this second call is, in words. */
  call: string;
  args(state: S): Args;
  /** Waits for what this check needs before the call (each check waits for itself). */
  before?(state: S): Promise<void> | void;
}

/**
 * How one named state of an object is observed from user space. Observations
 * may be destructive: the engine observes the `from` state on a twin made by
 * the same setup, and the `to` state after the call on the instance it was made on.
 */
export interface StateProbe<S> {
  /** The state's names as specs write them; any one matching the item's from:/to: text names this state. */
  names: Words[];
  /** In words, how the state is observed ("a cancel of it finds it"). */
  how: string;
  observe(state: S): FactObservation | Promise<FactObservation>;
}

/** The observable states of one object (a kiocb, a flag, a descriptor). */
export interface StateModel<S> {
  object: string;
  states: StateProbe<S>[];
}

/** A state-trans item: the object is observed in `from` before the call (on a twin) and in `to` after it. */
export interface TransitionCheck<S> extends CheckBase {
  kind: "transition";
  model: StateModel<S>;
}

/**
 * A claim an item's prose can make (a side effect's desc, a constraint's desc),
 * with how user space checks it. The item's words decide whether it makes the claim, makes the
 * opposite claim, or says nothing about it.
 */
export interface ClaimProbe<S> {
  /** The claim, in words, for reports ("the request is removed from the active list"). */
  claim: string;
  /** Phrases by which an item makes the claim. */
  says: Words[];
  /** Phrases by which an item claims the opposite. Negated `says` phrases ("is not removed") count too. */
  opposite?: Words[];
  /**
   * Whether the claim is true of the kernel, after the call. Waits itself for
   * anything it needs. `said` is the item's sentence that makes the claim: an
   * errno the claim involves is read from it, never written into the probe.
   */
  observe(state: S, call: SyscallResult, said: Said): FactObservation | Promise<FactObservation>;
}

/** The sentence of an item that makes a probe's claim, and the errnos it names, in order. */
export interface Said {
  sentence: string;
  errnos: string[];
}

/** An item (a side effect, a constraint) checked by every claim its prose makes that one of the probes can observe. */
export interface ClaimsCheck<S> extends CheckBase {
  kind: "claims";
  probes: ClaimProbe<S>[];
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

/** Generated for the baseline: the return's check-type (ERROR_CHECK, EXACT, RANGE, FD, NO_RETURN) judged against the call. */
export interface ReturnTypeCheck extends CheckBase {
  kind: "return-type";
}

/** Generated for the baseline: a user pointer's flags (IN untouched, OUT written) judged against its memory around the call. */
export interface ParamFlagsCheck extends CheckBase {
  kind: "param-flags";
  param: string;
}

export type Check<S> =
  | OutcomeCheck
  | PrecedenceCheck
  | AgainCheck<S>
  | TransitionCheck<S>
  | ClaimsCheck<S>
  | RaceCheck<S>
  | ReturnTypeCheck
  | ParamFlagsCheck;

export interface ScenarioContext {
  scope: ResourceScope;
  env: Environment;
  /** The spec under test: sibling syscalls sharing a suite pick their variant from its parameters. */
  spec: Spec;
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
  /** The condition the scenario creates, in words ("iocb is a NULL pointer"). */
  condition: string;
  requires?: Requirement[];
  /** Creates fresh resources; register every one of them with ctx.scope. */
  setup(ctx: ScenarioContext): S | Promise<S>;
  /** The call under test, by parameter name; omitted when the checks make their own calls (races). */
  args?(state: S): Args;
  /** Make the call under test as this unprivileged user (EACCES, EPERM); needs root, else every case skips with the reason. */
  as?: "nobody";
  /**
   * Runs right after the call under test, before any check is judged or
   * reported: for observations that any later work of this thread would
   * disturb (its I/O counters count the engine's own reports).
   */
  afterCall?(state: S): void;
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
  /** Why it cannot run here: a short reason fixed per cause, and this environment's detail. */
  reason(env: Environment): { reason: string; detail?: string };
}

/** Everything the harness knows about testing one syscall (or sibling syscalls sharing one suite). */
export interface SyscallSuite {
  /** The syscalls whose specs this suite serves (setxattr, lsetxattr, fsetxattr share one). */
  syscalls: string[];
  /**
   * A valid call that succeeds as the spec's return documents. It runs as a
   * scenario of its own (with its checks, plus the return's check-type and every
   * user pointer's IN/OUT flags, generated), and the probe families start from it.
   */
  baseline?: Scenario<unknown>;
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

/** A user-memory argument over `length` bytes of a mapping (or any readable region). */
export function userMemory(region: { address: bigint; read(offset: number, length: number): Buffer }, length: number, offset = 0): UserMemory {
  return { address: region.address + BigInt(offset), length, read: () => region.read(offset, length) };
}

export function isUserMemory(value: ArgValue): value is UserMemory {
  return typeof value === "object";
}

/** What no suite can observe from user space: the kernel side of every call. */
export const KERNEL_SIDE_UNOBSERVABLE = {
  locks: "locks are taken and released inside the call; user space cannot observe them (lockdep can)",
  contexts: "execution contexts describe the kernel side of the call; user space cannot observe them",
} as const;
