// SPDX-License-Identifier: GPL-2.0-only
// Ranges: one below the documented minimum and one above the documented
// maximum, where the parameter's type can hold them. Each must fail as the
// spec's error about an out-of-range value of that parameter says.
import type { Param } from "../../spec/model.js";
import { isUserPointer } from "./pointer.js";
import type { ProbeValue } from "./probe.js";
import { numericValue, typeLimits } from "./values.js";

const OUT_OF_RANGE = /range|exceed|too (?:large|big|small|many)|greater than|less than|larger than|negative|maximum|minimum|limit/;

export function rangeProbes(param: Param, constant: (name: string) => bigint | undefined): ProbeValue[] {
  // On a user pointer the range bounds what it points to (a string's length), not the address.
  if (isUserPointer(param)) return [];
  const bounds = param.constraintType?.kind === "RANGE" ? param.constraintType : param.range ? { min: param.range.min, max: param.range.max } : undefined;
  if (!bounds) return [];
  const limits = typeLimits(param.type?.value);
  const min = bounds.min === undefined ? undefined : numericValue(bounds.min, constant);
  const max = bounds.max === undefined ? undefined : numericValue(bounds.max, constant);
  const probes: ProbeValue[] = [];
  if (min !== undefined && min > limits.min) {
    probes.push({ slug: "below-min", what: `${min - 1n}, one below the documented minimum ${bounds.min}`, value: String(min - 1n), errorWords: OUT_OF_RANGE, make: () => min - 1n });
  }
  if (max !== undefined && max < limits.max) {
    probes.push({ slug: "above-max", what: `${max + 1n}, one above the documented maximum ${bounds.max}`, value: String(max + 1n), errorWords: OUT_OF_RANGE, make: () => max + 1n });
  }
  return probes;
}
