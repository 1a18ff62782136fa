// SPDX-License-Identifier: GPL-2.0-only
// Turns a bound spec item into the outcome it documents, and judges a raw
// syscall result against it. libc's syscall() maps a kernel return in
// [-4095, -1] to -1 with errno, so a documented success of -EINPROGRESS shows
// up as ret -1 / errno EINPROGRESS; the kernel's own return is rebuilt here.
import type { Spec, Success } from "../spec/model.js";
import type { SyscallResult } from "../kernel/syscall.js";
import { errnoNumber } from "../kernel/errno.js";
import { errnoClaims } from "../spec/errno-claims.js";
import type { Expected, Observed } from "./results.js";
import { describeBound, type Bound } from "../scenarios/target.js";

export interface Judgement {
  ok: boolean;
  /** Why not, naming the spec line; undefined when ok. */
  reason?: string;
}

/** The value the kernel returned, rebuilt from libc's -1/errno form. */
export function kernelReturn(result: SyscallResult): bigint | undefined {
  if (result.ret !== -1n || result.errno === undefined) return result.ret;
  const n = errnoNumber(result.errno);
  return n === undefined ? undefined : -BigInt(n);
}

/** "ret -1 errno EFAULT" / "ret 1": how reports show an observation. */
export function describeResult(result: SyscallResult): string {
  return result.errno ? `-1 ${result.errno} (kernel returned -${result.errno})` : `${result.ret}`;
}

export function observedOf(result: SyscallResult): Observed {
  return result.errno ? { ret: result.ret.toString(), errno: result.errno } : { ret: result.ret.toString() };
}

/** Every errno name the spec documents anywhere: errors, the success clause, signal errnos, errnos its prose asserts. */
export function documentedErrnos(spec: Spec): Set<string> {
  const known = documented.get(spec);
  if (known) return known;
  const names = new Set<string>();
  for (const e of spec.errors) if (!e.placeholder) names.add(e.name);
  const success = spec.return?.success;
  if (success?.kind === "exact" && success.symbol) names.add(success.symbol);
  for (const s of spec.signals) if (s.errno) names.add(s.errno);
  // What the prose asserts the call returns ("io_cancel returns -EINPROGRESS"), not what it denies or quotes.
  for (const claim of errnoClaims(spec)) if (claim.stance === "asserts") names.add(claim.errno);
  documented.set(spec, names);
  return names;
}

const documented = new WeakMap<Spec, Set<string>>();

/** The outcome a bound item documents for the call that creates its condition. */
export function expectedFrom(bound: Bound, spec: Spec): Expected {
  const { item } = bound;
  const from = { section: item.section, index: item.index, summary: item.summary, line: item.line };
  if (item.section === "errors" || item.section === "claims" || (item.section === "signals" && item.errno)) {
    // A placeholder such as "(driver-specific)" names no errno: any documented error conforms.
    return item.errno ? { outcome: "error", errno: item.errno, from } : { outcome: "error", text: `an error (${item.name})`, from };
  }
  if (item.section === "return") {
    return spec.return?.success
      ? { outcome: "success", success: spec.return.success.raw, from }
      : { outcome: "success", text: "success (no success clause in the spec)", from };
  }
  return { outcome: "observation", text: `${item.section} "${item.summary}"`, from };
}

function matchesSuccess(success: Success, result: SyscallResult): boolean {
  const value = kernelReturn(result);
  if (value === undefined) return false;
  switch (success.kind) {
    case "exact": {
      if (success.symbol) {
        const n = errnoNumber(success.symbol);
        return n !== undefined && value === (success.negated ? -BigInt(n) : BigInt(n));
      }
      return success.value !== undefined && /^-?\d+$/.test(success.value) && value === BigInt(success.value);
    }
    case "range": {
      if (!/^-?\d+$/.test(success.bound)) return false;
      const bound = BigInt(success.bound);
      switch (success.op) {
        case ">=":
          return value >= bound;
        case ">":
          return value > bound;
        case "<=":
          return value <= bound;
        case "<":
          return value < bound;
        case "==":
          return value === bound;
      }
      return false;
    }
    case "text":
      return false;
  }
}

/** Closed world: an errno the spec lists nowhere fails whatever the case expected; an alias (EWOULDBLOCK for EAGAIN) is listed. */
export function undocumented(result: SyscallResult, spec: Spec): string | undefined {
  if (result.errno === undefined) return undefined;
  const n = errnoNumber(result.errno);
  if ([...documentedErrnos(spec)].some((name) => name === result.errno || (n !== undefined && errnoNumber(name) === n))) return undefined;
  return `undocumented errno: the kernel returned ${result.errno}, which the spec (${spec.source.file}:${spec.source.line}) lists nowhere`;
}

/** Judges a call's result against the outcome the bound item documents; an undocumented errno is named too. */
export function judgeOutcome(bound: Bound, spec: Spec, result: SyscallResult): Judgement {
  const mismatch = outcomeMismatch(bound, spec, result);
  const closed = undocumented(result, spec);
  if (mismatch) return { ok: false, reason: closed ? `${mismatch}; ${closed}` : mismatch };
  return closed ? { ok: false, reason: closed } : { ok: true };
}

function outcomeMismatch(bound: Bound, spec: Spec, result: SyscallResult): string | undefined {
  const expected = expectedFrom(bound, spec);
  const seen = describeResult(result);
  if (expected.outcome === "error") {
    if (result.ret !== -1n || result.errno === undefined) return `expected ${describeBound(bound)}, observed success ${seen}`;
    // An alias (EWOULDBLOCK for EAGAIN) is the same errno: compare numbers, not names.
    if (expected.errno && result.errno !== expected.errno && errnoNumber(result.errno) !== errnoNumber(expected.errno)) return `expected ${describeBound(bound)}, observed ${result.errno}`;
    return undefined;
  }
  if (expected.outcome === "success") {
    const success = spec.return?.success;
    if (!success) return `the spec's return (${describeBound(bound)}) has no success clause to compare with; observed ${seen}`;
    if (success.kind === "text") return `success clause "${success.raw}" is not a value or range the harness can compare (${describeBound(bound)})`;
    return matchesSuccess(success, result) ? undefined : `expected success ${success.raw} per ${describeBound(bound)}, observed ${seen}`;
  }
  return `${describeBound(bound)} documents no call outcome to compare with`;
}
