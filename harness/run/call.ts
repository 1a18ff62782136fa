// SPDX-License-Identifier: GPL-2.0-only
// Issues the call under test from data: the scenario names its arguments by
// the spec's parameter names, and the syscall is the one the spec documents.
// The call is described with its arguments for every verdict (as LTP's
// TST_EXP_FAIL prints its call), and user memory passed by address is
// snapshotted around it so the params' IN/OUT flags can be checked.
import { isSyscallName } from "../kernel/arch.js";
import { syscall, type SyscallArg, type SyscallResult } from "../kernel/syscall.js";
import type { Param, Spec } from "../spec/model.js";
import { isUserMemory, type Args } from "../scenarios/scenario.js";

export interface IssuedCall {
  result: SyscallResult;
  /** "io_cancel(ctx_id=0x7f.., iocb=NULL, result=0x7f..)". */
  text: string;
  /** Bytes of each user-memory argument before and after the call, by parameter name. */
  memory: Map<string, { before: Buffer; after: Buffer }>;
}

const isPointer = (p: Param): boolean => p.type?.value === "USER_PTR" || p.type?.value === "PTR" || p.flags.some((f) => f.value === "USER");

function show(param: Param, value: SyscallArg): string {
  const v = BigInt(value);
  if (isPointer(param)) return v === 0n ? "NULL" : `0x${BigInt.asUintN(64, v).toString(16)}`;
  return v > 0xffffn ? `0x${v.toString(16)}` : v.toString();
}

/** The positional registers of a call, or why the arguments do not fit the spec's parameters. */
export function positional(spec: Spec, args: Args): SyscallArg[] {
  const names = new Set(spec.params.map((p) => p.name));
  const unknown = Object.keys(args).filter((n) => !names.has(n));
  if (unknown.length > 0) throw new Error(`the scenario names ${unknown.join(", ")}, which the ${spec.name} spec has no parameter for (it has ${[...names].join(", ") || "none"})`);
  return spec.params.map((p) => {
    const value = args[p.name];
    if (value === undefined) throw new Error(`the scenario gives no value for ${spec.name}'s parameter ${p.name}`);
    return isUserMemory(value) ? value.address : value;
  });
}

export function describeCall(spec: Spec, args: Args): string {
  const shown = spec.params.map((p) => {
    const value = args[p.name];
    if (value === undefined) return `${p.name}=?`;
    return `${p.name}=${show(p, isUserMemory(value) ? value.address : value)}`;
  });
  return `${spec.name}(${shown.join(", ")})`;
}

export function issueCall(spec: Spec, args: Args): IssuedCall {
  if (!isSyscallName(spec.name)) throw new Error(`kapi-conform has no syscall number for ${spec.name} on this arch`);
  const registers = positional(spec, args);
  const buffers = Object.entries(args).flatMap(([name, v]) => (isUserMemory(v) ? [{ name, region: v, before: v.read() }] : []));
  const result = syscall(spec.name, ...registers);
  const memory = new Map(buffers.map((b) => [b.name, { before: b.before, after: b.region.read() }]));
  return { result, text: describeCall(spec, args), memory };
}
