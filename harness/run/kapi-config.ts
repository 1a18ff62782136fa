// SPDX-License-Identifier: GPL-2.0-only
// The KAPI series' own kernel options, recorded with every run:
// CONFIG_KAPI_SPEC (specs built into the kernel's .kapi_specs section) and
// CONFIG_KAPI_RUNTIME_CHECKS (an in-kernel validator that checks a syscall's
// parameters against its spec and returns -EINVAL before the real handler
// runs). With the validator on, an EINVAL from a case that violates a
// parameter may be the validator's answer, not the handler's: such verdicts
// say nothing about the handler, and the summary names them.
import type { CaseResult, RunResults } from "./results.js";
import type { Environment } from "./environment.js";

export const KAPI_SPEC = "CONFIG_KAPI_SPEC";
export const KAPI_RUNTIME_CHECKS = "CONFIG_KAPI_RUNTIME_CHECKS";

/** Looks both options up, so results.json records them whatever the scenarios consulted. */
export function consultKapiConfig(env: Environment): void {
  env.config.get(KAPI_SPEC);
  env.config.get(KAPI_RUNTIME_CHECKS);
}

/**
 * Cases whose verdict may come from the in-kernel validator: an observed EINVAL in a
 * scenario that violates a parameter (one of its checks is bound to a params item and
 * expects an error), whatever the spec expected there.
 */
export function validatorSuspects(results: RunResults): CaseResult[] {
  const violating = new Set(results.cases.filter((c) => c.specRef.section === "params" && c.expected.outcome === "error").map((c) => c.scenario));
  return results.cases.filter((c) => violating.has(c.scenario) && c.observed.errno === "EINVAL");
}

/** Markdown for the summary: nothing unless the run's kernel had the validator on. */
export function validatorNote(results: RunResults): string[] {
  if (results.kernel.config[KAPI_RUNTIME_CHECKS] !== "y") return [];
  const suspects = validatorSuspects(results);
  const lines = [
    "## In-kernel KAPI validator",
    "",
    `This kernel has ${KAPI_RUNTIME_CHECKS}=y: it checks each syscall's parameters against its spec and returns -EINVAL before the real handler on a violation.`,
  ];
  if (suspects.length === 0) lines.push("No parameter-violation case got EINVAL, so no verdict here can be the validator's.", "");
  else lines.push("These verdicts may come from the validator rather than the handler:", "", ...suspects.map((c) => `- \`${c.id}\` (${c.verdict}): EINVAL`), "");
  return lines;
}
