// SPDX-License-Identifier: GPL-2.0-only
// The worker and every helper process must end with the process that started
// them, even when that one is SIGKILLed and runs no handler: each asks the
// kernel for SIGKILL on its parent's death (prctl PR_SET_PDEATHSIG), then
// checks that its parent did not die before the request took effect.
import { DataType, load } from "ffi-rs";
import { libc } from "../kernel/libc.js";

/** The environment variable a starter sets to its own pid, so the child can tell it was orphaned early. */
export const PARENT_PID_ENV = "KAPI_CONFORM_PARENT_PID";

const PR_SET_PDEATHSIG = 1;
const SIGKILL = 9n;

/** The environment for a child that calls dieWithParent(). */
export function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, [PARENT_PID_ENV]: String(process.pid) };
}

/** Arranges for this process to be SIGKILLed when its parent dies; exits at once if it already has. */
export function dieWithParent(): void {
  const ret = load({
    library: libc(),
    funcName: "prctl",
    retType: DataType.I32,
    paramsType: [DataType.I32, DataType.BigInt, DataType.BigInt, DataType.BigInt, DataType.BigInt],
    paramsValue: [PR_SET_PDEATHSIG, SIGKILL, 0n, 0n, 0n],
  });
  if (ret !== 0) throw new Error(`prctl(PR_SET_PDEATHSIG) returned ${ret}`);
  if (orphaned()) process.exit(1);
}

/** Whether the process that started this one is gone (this one was reparented). */
export function orphaned(): boolean {
  const expected = Number(process.env[PARENT_PID_ENV]);
  return Number.isInteger(expected) && expected > 0 && process.ppid !== expected;
}
