// SPDX-License-Identifier: GPL-2.0-only
// The calling thread's effective capabilities, dropped one at a time: capset
// changes only the calling thread, and the permitted set keeps what is
// dropped, so it comes back. A call made as root with one capability dropped
// shows what that one capability allows; root keeps every other.
import { readFileSync } from "node:fs";
import { DataType, load } from "ffi-rs";
import { asBigint, libc } from "./libc.js";
import { Mapping } from "./memory.js";
import { ResourceScope } from "./scope.js";

/** Capability numbers, include/uapi/linux/capability.h, for the capabilities the specs name. */
export const CAPABILITY_NUMBERS = { CAP_CHOWN: 0, CAP_DAC_OVERRIDE: 1, CAP_DAC_READ_SEARCH: 2, CAP_FOWNER: 3, CAP_FSETID: 4 } as const;
export type CapabilityName = keyof typeof CAPABILITY_NUMBERS;

export const isCapabilityName = (name: string): name is CapabilityName => Object.hasOwn(CAPABILITY_NUMBERS, name);

const LINUX_CAPABILITY_VERSION_3 = 0x20080522;
/** Two struct __user_cap_data_struct { effective, permitted, inheritable } (u32 each). */
const CAP_DATA_SIZE = 24;

function capCall(name: "capget" | "capset", header: Mapping, data: Mapping): void {
  const ret = asBigint(load({ library: libc(), funcName: name, retType: DataType.BigInt, paramsType: [DataType.BigInt, DataType.BigInt], paramsValue: [header.address, data.address] }), name);
  if (ret !== 0n) throw new Error(`${name} failed`);
}

/** Whether the calling thread's effective set holds the capability, from /proc/thread-self/status. */
export function hasEffective(cap: CapabilityName): boolean {
  const m = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync("/proc/thread-self/status", "utf8"));
  if (!m) throw new Error("no CapEff line in /proc/thread-self/status");
  return ((BigInt(`0x${m[1]}`) >> BigInt(CAPABILITY_NUMBERS[cap])) & 1n) === 1n;
}

/**
 * Removes capabilities from the calling thread's effective set until `scope`
 * is released. The caller checks that each is effective first (hasEffective):
 * a capability that was never there proves nothing when it is "dropped".
 */
export function withoutEffective(scope: ResourceScope, ...caps: CapabilityName[]): void {
  const header = scope.add(Mapping.map(8));
  const saved = scope.add(Mapping.map(CAP_DATA_SIZE));
  const data = scope.add(Mapping.map(CAP_DATA_SIZE));
  header.writeU32(0, LINUX_CAPABILITY_VERSION_3);
  header.writeU32(4, 0);
  capCall("capget", header, saved);
  data.write(0, saved.read(0, CAP_DATA_SIZE));
  // Effective bits 0-31 are the first u32; every capability named here is below 32.
  data.writeU32(0, caps.reduce((eff, cap) => eff & ~(1 << CAPABILITY_NUMBERS[cap]), data.readU32(0)) >>> 0);
  capCall("capset", header, data);
  scope.defer(() => {
    header.writeU32(0, LINUX_CAPABILITY_VERSION_3);
    header.writeU32(4, 0);
    capCall("capset", header, saved);
  });
}

/** Runs `fn` with `caps` dropped from the calling thread's effective set, then restores them. */
export function withEffectiveDropped<T>(caps: CapabilityName[], fn: () => T): T {
  const scope = new ResourceScope();
  let result: T;
  try {
    withoutEffective(scope, ...caps);
    result = fn();
  } catch (err) {
    // fn's own error is the news; the restore is attempted all the same.
    scope.releaseAll();
    throw err;
  }
  const errors = scope.releaseAll();
  if (errors.length > 0) throw errors[0];
  return result;
}
