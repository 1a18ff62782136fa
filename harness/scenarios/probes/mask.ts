// SPDX-License-Identifier: GPL-2.0-only
// Masks: each bit outside the documented valid mask, set alone on top of the
// baseline's own value (up to the parameter's width). Each must fail as the
// spec's error about unknown flags says.
import type { Param } from "../../spec/model.js";
import { isUserMemory } from "../scenario.js";
import type { ProbeValue } from "./probe.js";
import { numericValue } from "./values.js";

const UNKNOWN_FLAGS = /invalid|unknown|unsupported|undefined|not (?:supported|recogni[sz]ed)|reserved/;

export function maskProbes(param: Param, constant: (name: string) => bigint | undefined): ProbeValue[] {
  const text = param.constraintType?.kind === "MASK" ? param.constraintType.mask : param.validMask;
  if (text === undefined) return [];
  const mask = numericValue(text, constant);
  if (mask === undefined) return [];
  const width = param.type?.value === "INT" || param.type?.value === "UINT" ? 32 : 64;
  const probes: ProbeValue[] = [];
  for (let bit = 0; bit < width; bit++) {
    const value = 1n << BigInt(bit);
    if ((mask & value) !== 0n) continue;
    probes.push({
      slug: `bit-${bit}`,
      what: `its valid value with bit ${bit} (0x${value.toString(16)}) set, outside the valid mask ${text}`,
      errorWords: UNKNOWN_FLAGS,
      make: (_ctx, original) => (original === undefined || isUserMemory(original) ? value : BigInt(original) | value),
    });
  }
  return probes;
}
