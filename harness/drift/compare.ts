// SPDX-License-Identifier: GPL-2.0-only
// The three-way comparison of spec, kernel and man page: one row for the
// success value and one per errno that any of the three names (by number:
// two spellings of one errno are one row). The kernel's
// column comes from a conformance run's results, never from what we expect.
import type { Spec } from "../spec/model.js";
import type { CaseResult, RunResults } from "../run/results.js";
import type { ManClaims } from "./manpage.js";
import { errnoName, errnoNumber } from "../kernel/errno.js";

export type DriftVerdict =
  | "all agree"
  | "man page outdated"
  | "man page incomplete"
  | "spec and kernel disagree"
  | "documented but never returned"
  | "returned but undocumented"
  | "not exercisable here";

export interface DriftRow {
  /** "success value" or an errno name. */
  claim: string;
  spec: string;
  kernel: string;
  man: string;
  verdict: DriftVerdict;
  /** One sentence saying why the verdict, with the evidence. */
  explanation: string;
}

/** What the kernel did with one errno in the run. */
type KernelErrno =
  | { state: "observed"; cases: CaseResult[] }
  | { state: "never-observed"; ran: number }
  | { state: "not-exercisable"; reasons: string[] };

const quote = (text: string, max = 90): string => (text.length > max ? `"${text.slice(0, max - 1)}…"` : `"${text}"`);

/** The kernel's return rebuilt from an observation: "-EINPROGRESS" for -1/EINPROGRESS. */
function kernelValue(c: CaseResult): string | undefined {
  if (c.observed.errno) return `-${c.observed.errno}`;
  return c.observed.ret;
}

/**
 * One name per errno number, the kernel's: glibc's ENOTSUP and the kernel's
 * EOPNOTSUPP (both 95), or EWOULDBLOCK and EAGAIN, are one claim whichever
 * way a source spells it.
 */
function canonical(name: string): string {
  const n = errnoNumber(name);
  return n === undefined ? name : errnoName(n);
}

const same = (name: string | undefined, errno: string): boolean => name !== undefined && canonical(name) === errno;

function kernelErrno(errno: string, results: RunResults): KernelErrno {
  const observed = results.cases.filter((c) => same(c.observed.errno, errno));
  if (observed.length > 0) return { state: "observed", cases: observed };
  const expecting = results.cases.filter((c) => same(c.expected.errno, errno));
  if (expecting.length > 0 && expecting.every((c) => c.verdict === "skip")) {
    return { state: "not-exercisable", reasons: [...new Set(expecting.map((c) => c.reason ?? "skipped"))] };
  }
  return { state: "never-observed", ran: results.cases.filter((c) => c.verdict !== "skip").length };
}

function successRow(spec: Spec, results: RunResults, man: ManClaims | undefined): DriftRow {
  const specSuccess = spec.return?.success?.raw;
  const cases = results.cases.filter((c) => c.expected.outcome === "success" && c.verdict !== "skip");
  const values = [...new Set(cases.map(kernelValue).filter((v): v is string => v !== undefined))];
  const kernel = values.length ? `returned ${values.join(", ")} (${cases.length} cases)` : "no success case ran";
  const manValue = man?.success?.value;
  const manText = man ? (manValue !== undefined ? `${manValue}: ${quote(man.success!.text)}` : man.success ? `no value: ${quote(man.success.text)}` : "says nothing") : "no man page";
  const specText = specSuccess ?? "no success clause";
  const specKernelAgree = cases.length > 0 && cases.every((c) => c.verdict === "pass");
  const manAgrees = manValue !== undefined && specSuccess !== undefined && manValue.replace(/\s+/g, "") === specSuccess.replace(/\s+/g, "");
  const row = { claim: "success value", spec: specText, kernel, man: manText };
  if (cases.length === 0) return { ...row, verdict: "not exercisable here", explanation: "no case exercised the success path in this run" };
  if (!specKernelAgree) {
    return { ...row, verdict: "spec and kernel disagree", explanation: `the spec says ${specText}, the kernel returned ${values.join(", ")}` };
  }
  if (!man || manAgrees) return { ...row, verdict: "all agree", explanation: man ? "spec, kernel and man page give the same success value" : "spec and kernel agree; no man page to compare" };
  return { ...row, verdict: "man page outdated", explanation: `spec and kernel agree on ${specText}; the man page says ${manValue ?? "something else"}` };
}

function errnoRow(errno: string, spec: Spec, results: RunResults, man: ManClaims | undefined): DriftRow {
  const blocks = spec.errors.filter((e) => same(e.name, errno));
  const manEntries = man?.errors.filter((e) => same(e.errno, errno)) ?? [];
  const row = errnoVerdict(errno, blocks, manEntries, kernelErrno(errno, results), man !== undefined);
  const spellings = [...new Set([...blocks.map((b) => b.name), ...manEntries.map((e) => e.errno)])].filter((n) => n !== errno);
  return spellings.length ? { ...row, explanation: `${row.explanation} (${spellings.join(", ")}: another name for ${errno}, errno ${errnoNumber(errno)})` } : row;
}

function errnoVerdict(errno: string, blocks: Spec["errors"], manEntries: ManClaims["errors"], kernel: KernelErrno, hasMan: boolean): DriftRow {
  const specText = blocks.length ? blocks.map((b) => quote(b.summary, 60)).join("; ") : "not listed";
  const manText = hasMan ? (manEntries.length ? manEntries.map((e) => quote(e.text, 70)).join("; ") : "not listed") : "no man page";
  let kernelText: string;
  if (kernel.state === "observed") {
    const why = [...new Set(kernel.cases.map((c) => c.expected.from?.section === "errors" ? c.expected.from.summary : c.title))];
    kernelText = `returned in ${kernel.cases.length} cases (${why.map((w) => quote(w, 50)).join(", ")})`;
  } else if (kernel.state === "never-observed") {
    kernelText = `never returned in ${kernel.ran} cases run`;
  } else {
    kernelText = `not exercisable here: ${kernel.reasons.join("; ")}`;
  }
  const row = { claim: errno, spec: specText, kernel: kernelText, man: manText };
  const inSpec = blocks.length > 0;
  const inMan = manEntries.length > 0;

  if (kernel.state === "not-exercisable") {
    const where = [inSpec && "the spec", inMan && "the man page"].filter(Boolean).join(" and ");
    return { ...row, verdict: "not exercisable here", explanation: `documented by ${where || "neither"}; this kernel cannot produce it: ${kernel.reasons.join("; ")}` };
  }
  if (kernel.state === "never-observed") {
    if (inMan && !inSpec) {
      return { ...row, verdict: "man page outdated", explanation: `the man page documents ${errno}, the kernel never returned it and the spec does not list it` };
    }
    return {
      ...row,
      verdict: "documented but never returned",
      explanation: `${[inSpec && "the spec", inMan && "the man page"].filter(Boolean).join(" and ")} list ${errno}; no case in this run provoked it`,
    };
  }
  // Observed.
  if (!inSpec) {
    return inMan
      ? { ...row, verdict: "spec and kernel disagree", explanation: `the kernel returned ${errno}, which the man page documents and the spec does not` }
      : { ...row, verdict: "returned but undocumented", explanation: `the kernel returned ${errno}, which neither the spec nor the man page documents` };
  }
  if (!hasMan) return { ...row, verdict: "all agree", explanation: `spec and kernel agree on ${errno}; no man page to compare` };
  if (!inMan) return { ...row, verdict: "man page outdated", explanation: `spec and kernel use ${errno}; the man page does not list it` };
  // Conditions: spec blocks the kernel confirmed, against the man page's entries.
  const confirmed = blocks.filter((b) => kernel.cases.some((c) => c.expected.from?.section === "errors" && c.expected.from.index === b.index));
  if (confirmed.length > manEntries.length) {
    return {
      ...row,
      verdict: "man page incomplete",
      explanation: `the man page documents ${errno} for ${manEntries.length} condition (${manEntries.map((e) => quote(e.text, 60)).join("; ")}); spec and kernel also use it for ${confirmed.length} spec blocks: ${confirmed.map((b) => quote(b.summary, 50)).join(", ")}`,
    };
  }
  return { ...row, verdict: "all agree", explanation: `spec, kernel and man page all name ${errno}` };
}

/** Rows: the success value, then every errno any source names, spec order first. */
export function compareSources(spec: Spec, results: RunResults, man: ManClaims | undefined): DriftRow[] {
  const successSymbol = spec.return?.success?.kind === "exact" ? spec.return.success.symbol : undefined;
  const errnos: string[] = [];
  const add = (e: string | undefined): void => {
    if (!e || e === successSymbol || !/^E[A-Z0-9]+$/.test(e)) return;
    const name = canonical(e);
    if (!errnos.includes(name)) errnos.push(name);
  };
  spec.errors.forEach((e) => add(e.placeholder ? undefined : e.name));
  man?.errors.forEach((e) => add(e.errno));
  results.cases.forEach((c) => add(c.observed.errno));
  return [successRow(spec, results, man), ...errnos.map((e) => errnoRow(e, spec, results, man))];
}
