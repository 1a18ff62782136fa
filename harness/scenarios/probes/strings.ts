// SPDX-License-Identifier: GPL-2.0-only
// User strings: a string the kernel cannot finish reading (no NUL before a
// PROT_NONE page), and, where the spec gives a maximum length, a string one
// byte longer. Applies to USER_STRING constraints and to paths (which are
// strings too; their length limits are the path family's).
import type { Param } from "../../spec/model.js";
import { cString, unterminatedString } from "../resources/fds.js";
import type { ProbeValue } from "./probe.js";
import { isPath } from "./paths.js";

const KNOWN_LIMITS: Record<string, number> = { PATH_MAX: 4096, NAME_MAX: 255, XATTR_NAME_MAX: 255, XATTR_SIZE_MAX: 65536 };

export const isUserString = (p: Param): boolean => p.constraintType?.kind === "USER_STRING" || isPath(p);

/** The documented maximum length of a string parameter: the constraint's argument, or a limit its text names. */
export function maxLength(p: Param): number | undefined {
  const arg = p.constraintType?.kind === "USER_STRING" ? p.constraintType.maxLen : undefined;
  if (arg !== undefined && /^\d+$/.test(arg.trim())) return Number(arg);
  if (arg !== undefined && KNOWN_LIMITS[arg.trim()] !== undefined) return KNOWN_LIMITS[arg.trim()];
  const text = p.constraint ?? "";
  for (const [name, value] of Object.entries(KNOWN_LIMITS)) if (new RegExp(`\\b${name}\\b`).test(text)) return value;
  return undefined;
}

export function stringProbes(param: Param): ProbeValue[] {
  const probes: ProbeValue[] = [
    {
      slug: "string-unterminated",
      what: "a string with no NUL before an inaccessible (PROT_NONE) page",
      errorWords: /outside|accessible|bad address|fault/,
      errorTarget: { section: "errors", summary: "bad address" },
      make: ({ scope }) => unterminatedString(scope),
    },
  ];
  const max = maxLength(param);
  if (max !== undefined && !isPath(param)) {
    probes.push({
      slug: "string-too-long",
      what: `a string of ${max + 1} bytes, longer than the documented maximum ${max}`,
      errorWords: /too long|exceed|maximum|length|range/,
      make: ({ scope }) => cString(scope, "k".repeat(max + 1)),
    });
  }
  return probes;
}
