// SPDX-License-Identifier: GPL-2.0-only
// User pointers: NULL, and an address the kernel cannot read (a PROT_NONE
// guard page). A required pointer must fail as the spec's error about that
// pointer says; an OPTIONAL one must be accepted.
import { guardPage } from "../../kernel/memory.js";
import type { Param } from "../../spec/model.js";
import type { ProbeValue } from "./probe.js";

export const isUserPointer = (p: Param): boolean => p.type?.value === "USER_PTR" || p.flags.some((f) => f.value === "USER");

export const isOptional = (p: Param): boolean => p.flags.some((f) => f.value === "OPTIONAL");

const UNREADABLE = /cannot be read|unreadable|not readable|inaccessible|outside the accessible|invalid (?:user(?:space)? )?(?:pointer|address)|not a valid (?:user(?:space)? )?pointer|bad address|points? to memory/;

export const POINTER_PROBES: ProbeValue[] = [
  // "NULL", not "null-terminated"; where no item names NULL, the item about unreadable pointers covers it.
  { slug: "null", what: "a NULL pointer", value: "NULL", errorWords: /\bNULL\b(?!-)/, broaderWords: UNREADABLE, make: () => 0n },
  {
    slug: "unreadable",
    what: "an unreadable (PROT_NONE) address",
    errorWords: UNREADABLE,
    make: ({ scope }) => scope.add(guardPage()).address,
  },
];
