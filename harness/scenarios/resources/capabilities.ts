// SPDX-License-Identifier: GPL-2.0-only
// Capabilities for scenarios (see kernel/capabilities.ts): one that the
// calling thread does not hold, or that kapi-conform cannot name, makes the
// case a skip with the reason, never a pass owed to a capability never held.
import { hasEffective, isCapabilityName, withEffectiveDropped, withoutEffective, type CapabilityName } from "../../kernel/capabilities.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { ResourceUnavailable } from "../errors.js";

export type { CapabilityName };

/** A skip unless the calling thread has every one of the capabilities (root in a container may lack some). */
export function requireEffective(...caps: CapabilityName[]): void {
  for (const cap of caps) if (!hasEffective(cap)) throw new ResourceUnavailable(`needs ${cap} in the effective set`, "CapEff lacks it");
}

/** The capability a spec names, or a skip when kapi-conform knows no number for it. */
export function capabilityNamed(name: string): CapabilityName {
  if (!isCapabilityName(name)) throw new ResourceUnavailable("kapi-conform knows no number for this capability", name);
  return name;
}

/** Drops `caps` from the calling thread's effective set until `scope` is released (a skip unless each is held). */
export function dropEffective(scope: ResourceScope, ...caps: CapabilityName[]): void {
  requireEffective(...caps);
  withoutEffective(scope, ...caps);
}

/** Runs `fn` with `caps` dropped from the calling thread's effective set (a skip unless each is held). */
export function withoutCapabilities<T>(caps: CapabilityName[], fn: () => T): T {
  requireEffective(...caps);
  return withEffectiveDropped(caps, fn);
}
