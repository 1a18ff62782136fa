// SPDX-License-Identifier: GPL-2.0-only
// Alignment: the baseline's own (aligned) value plus one. It must fail as the
// spec's error about a misaligned value of that parameter says.
import type { Param } from "../../spec/model.js";
import { isUserMemory } from "../scenario.js";
import type { ProbeValue } from "./probe.js";

const MISALIGNED = /align|multiple of|page boundary|page-aligned|page aligned/;

export function alignmentProbes(param: Param): ProbeValue[] {
  const kind = param.constraintType?.kind;
  if (kind !== "ALIGNMENT" && kind !== "PAGE_ALIGNED") return [];
  return [
    {
      slug: "misaligned",
      what: `its valid value plus one (not ${kind === "PAGE_ALIGNED" ? "page-aligned" : "aligned"})`,
      errorWords: MISALIGNED,
      make: (_ctx, original) => {
        if (original === undefined) throw new Error(`the baseline gives ${param.name} no value to misalign`);
        return (isUserMemory(original) ? original.address : BigInt(original)) + 1n;
      },
    },
  ];
}
