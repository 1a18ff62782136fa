// SPDX-License-Identifier: GPL-2.0-only
// Kernel release ranges such as ">=6.1 <6.8" (space-separated comparators, all
// must hold; `||` between alternatives). Only the numeric major.minor.patch
// of a release counts: "6.18.44-fc-v769" is 6.18.44 and "6.8.0-rc7" is 6.8.0,
// because distribution and -rc suffixes do not order like semver prereleases.
// Missing parts count as 0 ("<6.8" is "<6.8.0"), except after "=" or no
// operator, where "6.8" means any 6.8.x.

export type KernelVersion = readonly [number, number, number];
type Op = "<" | "<=" | ">" | ">=" | "=";

interface Comparator {
  op: Op;
  /** As written: one to three numbers. */
  parts: number[];
}

/** Alternatives (`||`), each a list of comparators that must all hold. */
export type KernelRange = Comparator[][];

/** The numeric version of a release string, or undefined when it does not start with N.N. */
export function kernelVersionOf(release: string): KernelVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

const COMPARATOR = /^(<=|>=|<|>|=)?(\d+(?:\.\d+){0,2})$/;

/** Parse a range; throws an Error whose message says which part is wrong. */
export function parseKernelRange(text: string): KernelRange {
  const alternatives = text.split("||").map((alt) => alt.trim().split(/\s+/).filter(Boolean));
  if (alternatives.some((alt) => alt.length === 0)) throw new Error(`empty kernel range in '${text}'`);
  return alternatives.map((alt) =>
    alt.map((token) => {
      const m = COMPARATOR.exec(token);
      if (!m) throw new Error(`'${token}' is not a comparator like '>=6.1' or '<6.8.2'`);
      return { op: (m[1] ?? "=") as Op, parts: m[2]!.split(".").map(Number) };
    }),
  );
}

function compare(a: KernelVersion, parts: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = a[i]! - (parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function holds(v: KernelVersion, c: Comparator): boolean {
  // "=6.8" means any 6.8.x: compare only the parts written.
  if (c.op === "=") return c.parts.every((p, i) => v[i] === p);
  const d = compare(v, c.parts);
  return c.op === "<" ? d < 0 : c.op === "<=" ? d <= 0 : c.op === ">" ? d > 0 : d >= 0;
}

export function inKernelRange(version: KernelVersion, range: KernelRange): boolean {
  return range.some((alt) => alt.every((c) => holds(version, c)));
}
