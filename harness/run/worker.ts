// SPDX-License-Identifier: GPL-2.0-only
// The isolated worker process: it loads the suite, plans the spec the same
// way the parent did, and runs the scenarios the parent asks for, streaming
// each case back. A crash or hang here costs the parent one scenario, not the
// run; the kernel frees this process's contexts and mappings when it dies.
import type { LibraryClaimRow } from "../drift/library-claims.js";
import type { Spec } from "../spec/model.js";
import { deferDestroys, settleDestroys, takeDestroyFailures } from "../kernel/aio.js";
import { loadSuite, type SuiteRef } from "../scenarios/registry.js";
import { detectEnvironment } from "./environment.js";
import { errorMessage, runScenario } from "./execute.js";
import { planCases } from "./plan.js";
import { runPrestarts } from "./prestart.js";
import type { CaseResult, Observation } from "./results.js";
import { dieWithParent } from "./parent-death.js";

/** `run`: the scenario whose first case is `firstCase` (the parent's plan may be a subset: `run -t`). */
export type ToWorker =
  | { type: "init"; spec: Spec; label: string; suite: SuiteRef; iterations: number }
  | { type: "run"; index: number; firstCase: string }
  | { type: "claims" };

export type FromWorker =
  | { type: "ready" }
  | { type: "case"; result: CaseResult }
  | { type: "done"; index: number; observations: Observation[]; consulted: Array<[string, string]> }
  | { type: "fatal"; message: string }
  | { type: "claims"; rows: LibraryClaimRow[] };

const send = (message: FromWorker): void => {
  process.send!(message);
};

if (!process.send) {
  process.stderr.write("kapi-conform worker: must be started by the runner (no IPC channel)\n");
  process.exit(2);
}
dieWithParent();

const env = detectEnvironment();
// io_destroy's RCU wait runs off the scenarios' path; failures are reported with the next "done".
deferDestroys(true);
let state: { plan: ReturnType<typeof planCases>; iterations: number } | undefined;

process.on("message", (message: ToWorker) => {
  void (async () => {
    try {
      if (message.type === "init") {
        state = { plan: planCases(message.spec, await loadSuite(message.suite), message.label), iterations: message.iterations };
        send({ type: "ready" });
        // Helper processes the suite registered start now, overlapping the first scenarios.
        runPrestarts();
        return;
      }
      if (!state) throw new Error(`${message.type} before init`);
      if (message.type === "claims") {
        send({ type: "claims", rows: (await state.plan.suite.libraryClaims?.(state.plan.spec)) ?? [] });
        return;
      }
      const planned = state.plan.scenarios.find((s) => s.checks[0]?.id === message.firstCase);
      if (!planned) throw new Error(`no scenario starting with case ${message.firstCase}`);
      const observations: Observation[] = [];
      await runScenario(state.plan, planned, env, state.iterations, (result) => send({ type: "case", result }), observations);
      for (const f of takeDestroyFailures()) observations.push({ id: `${state.plan.spec.name}.deferred-destroy`, title: "deferred io_destroy", text: `release failed: ${errorMessage(f)}` });
      send({ type: "done", index: message.index, observations, consulted: [...env.consulted] });
    } catch (err) {
      send({ type: "fatal", message: errorMessage(err) });
    }
  })();
});
process.on("disconnect", () => {
  void settleDestroys().then((failures) => {
    for (const f of failures) process.stderr.write(`kapi-conform worker: ${errorMessage(f)}\n`);
    process.exit(0);
  });
});
