// SPDX-License-Identifier: GPL-2.0-only
// Checks generated for every baseline call, each reading a structured field
// of the spec: the return's check-type (what kind of value a success is) and
// each user pointer's flags (IN: the kernel only reads it, so its bytes are
// unchanged; OUT: the kernel writes it).
import { syscall } from "../kernel/syscall.js";
import { describeBound } from "../scenarios/target.js";
import type { Judged } from "./execute.js";
import type { IssuedCall } from "./call.js";
import { describeResult, judgeOutcome, kernelReturn, observedOf } from "./expectation.js";
import type { Plan, PlannedCheck } from "./plan.js";
import type { Expected } from "./results.js";

const F_GETFD = 1;

/** Whether the value is an open descriptor of this process (fcntl F_GETFD succeeds). */
function isOpenFd(value: bigint): boolean {
  return value >= 0n && value <= 0x7fffffffn && syscall("fcntl", value, F_GETFD).errno === undefined;
}

function inRange(value: bigint, range: string): boolean | undefined {
  const m = /^\s*\[?\s*(-?\d+)\s*,\s*(-?\d+)\s*\]?\s*$/.exec(range);
  if (!m) return undefined;
  return value >= BigInt(m[1]!) && value <= BigInt(m[2]!);
}

/** The return's check-type against the baseline call, which succeeded as its success clause says. */
export function judgeReturnType(plan: Plan, planned: PlannedCheck, issued: IssuedCall): Judged {
  const ret = plan.spec.return;
  const checkType = ret?.checkType?.value;
  const expected: Expected = { outcome: "observation", text: `check-type ${checkType ?? "(none)"}` };
  const observed = observedOf(issued.result);
  const call = issued.text;
  const where = planned.about.status === "bound" ? describeBound(planned.about.bound) : "the return";
  if (!ret || !checkType) return { verdict: "skip", expected, observed, call, reason: "bound, content not checked: the return has no check-type" };
  const value = kernelReturn(issued.result);
  const seen = describeResult(issued.result);
  const fail = (why: string): Judged => ({ verdict: "fail", expected, observed, call, reason: `${call}: check-type ${checkType} per ${where}: ${why}; observed ${seen}` });
  const pass: Judged = { verdict: "pass", expected, observed, call };
  const success = ret.success;
  switch (checkType) {
    case "NO_RETURN":
      return fail("the call is documented never to return, and it returned");
    case "FD":
      if (value === undefined || !isOpenFd(value)) return fail("a success is a new file descriptor, and the value is not an open descriptor");
      return pass;
    case "EXACT":
      if (success?.kind !== "exact") return fail(`an exact success value, and the success clause "${success?.raw ?? "(none)"}" is not one`);
      return pass;
    case "RANGE": {
      const range = ret.successRange;
      if (range !== undefined && value !== undefined) {
        const within = inRange(value, range);
        if (within === false) return fail(`a success within success-range ${range}`);
        if (within === true) return pass;
      }
      if (success?.kind === "range") return pass;
      return fail(`a success within a range, and the spec gives none the harness can read (success "${success?.raw ?? "(none)"}", success-range "${range ?? "(none)"}")`);
    }
    case "ERROR_CHECK":
      // Errors are -errno, as every syscall's; a success must be the documented clause (judged by returns-success), which must exist.
      if (!success) return fail("an error-checked return with a success value, and the spec gives no success clause");
      return pass;
    default:
      return { verdict: "skip", expected, observed, call, reason: "bound, content not checked: the check-type says nothing the harness can observe", detail: `check-type ${checkType}` };
  }
}

/** A user pointer's IN/OUT flags against its bytes before and after the baseline call. */
export function judgeParamFlags(plan: Plan, planned: PlannedCheck, name: string, issued: IssuedCall): Judged {
  const param = plan.spec.params.find((p) => p.name === name);
  const flags = new Set(param?.flags.map((f) => f.value) ?? []);
  const out = flags.has("OUT") || flags.has("INOUT");
  const input = flags.has("IN") || flags.has("INOUT");
  const expected: Expected = { outcome: "observation", text: out ? `${name} is written (flags ${[...flags].join(" | ")})` : `${name} is left untouched (flags ${[...flags].join(" | ")})` };
  const observed = observedOf(issued.result);
  const call = issued.text;
  const memory = issued.memory.get(name);
  if (!memory) return { verdict: "skip", expected, observed, call, reason: "not observable: the baseline passes no user memory for this parameter", detail: name };
  if (!out && !input) return { verdict: "skip", expected, observed, call, reason: "bound, content not checked: the flags say neither IN nor OUT", detail: [...flags].join(" | ") };
  const changed = memory.before.findIndex((b, i) => b !== memory.after[i]);
  const facts = { bytesCompared: memory.before.length, firstChangedByte: changed };
  const where = planned.about.status === "bound" ? describeBound(planned.about.bound) : name;
  const ret = plan.items.find((i) => i.section === "return");
  if (out && !(ret && judgeOutcome({ item: ret }, plan.spec, issued.result).ok)) return { verdict: "skip", expected, observed: { ...observed, facts }, call, reason: "not observable: the baseline call did not succeed as documented, so nothing had to be written" };
  if (out === (changed >= 0)) return { verdict: "pass", expected, observed: { ...observed, facts }, call };
  const what = out ? `the flags say OUT, and none of the ${memory.before.length} bytes at ${name} was written` : `the flags say ${[...flags].join(" | ")} (not OUT), and byte ${changed} at ${name} was overwritten`;
  return { verdict: "fail", expected, observed: { ...observed, facts }, call, reason: `${call}: per ${where}: ${what}` };
}
