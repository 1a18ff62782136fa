// SPDX-License-Identifier: GPL-2.0-only
// Errnos named in prose outside the error blocks: a param's constraint text
// ("A NULL pointer will result in EFAULT"), a constraint's desc ("If not
// configured, ENOSYS is returned"), the return's desc, notes. Each is a claim
// about the kernel as binding as an error block, so each is checked.
import { errnoNames } from "../kernel/errno.js";
import type { Spec } from "./model.js";

export interface ErrnoClaim {
  errno: string;
  /** The sentence that names the errno, whitespace-normalised. */
  sentence: string;
  /** Model section holding the prose: "params", "constraints", "return", "sideEffects", "stateTransitions", "signals", "notes", "description". */
  section: string;
  /** Item index within the section; -1 for spec-level prose. */
  index: number;
  /** What the prose is about: a param or constraint name, "return", "notes". */
  subject: string;
  file: string;
  line: number;
}

const KNOWN = new Set(errnoNames("x86_64"));

/** Sentences of a prose text; a period ends one only before a space and a capital or the end. */
export function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+(?=[A-Z(])/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function claimsIn(text: string | undefined, where: Omit<ErrnoClaim, "errno" | "sentence">): ErrnoClaim[] {
  if (!text) return [];
  const out: ErrnoClaim[] = [];
  for (const sentence of sentences(text)) {
    const seen = new Set<string>();
    for (const m of sentence.matchAll(/-?\b(E[A-Z0-9]{2,})\b/g)) {
      const errno = m[1]!;
      if (!KNOWN.has(errno) || seen.has(errno)) continue;
      seen.add(errno);
      out.push({ errno, sentence, ...where });
    }
  }
  return out;
}

export function errnoClaims(spec: Spec): ErrnoClaim[] {
  const claims: ErrnoClaim[] = [];
  for (const p of spec.params) claims.push(...claimsIn(p.constraint, { section: "params", index: p.index, subject: p.name, file: p.source.file, line: p.source.line }));
  for (const c of spec.constraints) claims.push(...claimsIn([c.description, c.expr].filter(Boolean).join(". "), { section: "constraints", index: c.index, subject: c.name, file: c.source.file, line: c.source.line }));
  if (spec.return) claims.push(...claimsIn(spec.return.description, { section: "return", index: 0, subject: "return", file: spec.return.source.file, line: spec.return.source.line }));
  for (const s of spec.sideEffects) claims.push(...claimsIn(s.description, { section: "sideEffects", index: s.index, subject: s.target ?? "side effect", file: s.source.file, line: s.source.line }));
  for (const t of spec.stateTransitions) claims.push(...claimsIn(t.description, { section: "stateTransitions", index: t.index, subject: t.object, file: t.source.file, line: t.source.line }));
  if (spec.notes) claims.push(...claimsIn(spec.notes.text, { section: "notes", index: -1, subject: "notes", file: spec.notes.source.file, line: spec.notes.source.line }));
  return claims;
}
