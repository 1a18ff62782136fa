// SPDX-License-Identifier: GPL-2.0-only
// Kernel release ranges such as ">=6.1 <6.8" (space-separated comparators, all
// must hold; `||` between alternatives), and the project's one reading of a
// kernel release as a version (procfs.ts uses it too), both through the
// `semver` package. Only the numeric major.minor.patch of a release counts:
// "6.18.44-fc-v769" is 6.18.44 and "6.8.0-rc7" is 6.8.0, because distribution
// and -rc suffixes do not order like semver prereleases. The grammar is
// narrower than semver's and keeps this file's meaning: missing parts count
// as 0 ("<6.8" is "<6.8.0", ">6.8" is ">6.8.0", where semver would read an
// X-range), except after "=" or no operator, where "6.8" means any 6.8.x.
import semver, { type SemVer } from "semver";

export type KernelVersion = SemVer;

/** A checked range, evaluated by semver. */
export type KernelRange = semver.Range;

/** The numeric version of a release string, or undefined when it does not start with N.N. */
export function kernelVersionOf(release: string): KernelVersion | undefined {
  const text = release.trim();
  // semver.coerce finds a version anywhere in a string; a release must start with one.
  if (!/^\d+\.\d+/.test(text)) return undefined;
  return semver.coerce(text) ?? undefined;
}

const COMPARATOR = /^(<=|>=|<|>|=)?(\d+(?:\.\d+){0,2})$/;

/** Parse a range; throws an Error whose message says which part is wrong. */
export function parseKernelRange(text: string): KernelRange {
  const alternatives = text.split("||").map((alt) => alt.trim().split(/\s+/).filter(Boolean));
  if (alternatives.some((alt) => alt.length === 0)) throw new Error(`empty kernel range in '${text}'`);
  const normalised = alternatives.map((alt) =>
    alt
      .map((token) => {
        const m = COMPARATOR.exec(token);
        if (!m) throw new Error(`'${token}' is not a comparator like '>=6.1' or '<6.8.2'`);
        const op = m[1] ?? "=";
        const parts = m[2]!.split(".");
        // "=6.8" stays partial: semver's X-range, any 6.8.x. Inequalities get their missing parts as 0.
        if (op === "=") return parts.join(".");
        while (parts.length < 3) parts.push("0");
        return `${op}${parts.join(".")}`;
      })
      .join(" "),
  );
  return new semver.Range(normalised.join(" || "));
}

export function inKernelRange(version: KernelVersion, range: KernelRange): boolean {
  return range.test(version);
}
