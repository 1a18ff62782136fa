// SPDX-License-Identifier: GPL-2.0-only
// How user space sees what the madvise spec claims: page contents read back
// (zero-filled, preserved), residency by mincore(2), the VMA's flags and
// lazy-free counter in /proc/self/smaps, the backing file's allocated blocks.
// None of these reads an errno or a return value: the spec owns those.
import { readFileSync } from "node:fs";
import { PAGE_SIZE } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import type { ClaimProbe, FactObservation } from "../scenario.js";
import { blocksOf, PATTERN, residentPages, type Region } from "./regions.js";

/** A region the call advises: which of its pages the call covers, and what they held before. */
export interface Advised {
  region: Region;
  /** Pages of the region inside the advised range that are mapped. */
  pages: number[];
  scope: ResourceScope;
  /** The backing file, for MADV_REMOVE: its descriptor and allocated blocks before the call. */
  file?: { fd: number; blocksBefore: number };
}

/** The smaps entry of the VMA holding `address`: its VmFlags and numeric fields (kB). */
export function smapsOf(address: bigint): { flags: string[]; fields: Record<string, number> } | undefined {
  const text = readFileSync("/proc/self/smaps", "utf8");
  let inside = false;
  let found: { flags: string[]; fields: Record<string, number> } | undefined;
  for (const line of text.split("\n")) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (header) {
      if (found) break;
      inside = BigInt(`0x${header[1]}`) <= address && address < BigInt(`0x${header[2]}`);
      if (inside) found = { flags: [], fields: {} };
      continue;
    }
    if (!inside || !found) continue;
    if (line.startsWith("VmFlags:")) found.flags = line.slice("VmFlags:".length).trim().split(/\s+/);
    const field = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (field) found.fields[field[1]!] = Number(field[2]);
  }
  return found;
}

const describePages = (region: Region, pages: number[], value: number): { all: boolean; which: string } => {
  const failing = pages.filter((p) => !region.pageIs(p, value));
  return { all: failing.length === 0, which: failing.length === 0 ? "all" : `not pages ${failing.join(", ")}` };
};

/** Every advised page reads back as zero. */
function readsZero(s: Advised): FactObservation {
  const { all, which } = describePages(s.region, s.pages, 0);
  return { holds: all, facts: { pages: s.pages.length, zero: which }, detail: `advised pages ${s.pages.join(", ")} read back as zero: ${which}` };
}

/** Every advised page still holds the pattern written before the call. */
function keepsPattern(s: Advised): FactObservation {
  const { all, which } = describePages(s.region, s.pages, PATTERN);
  return { holds: all, facts: { pages: s.pages.length, pattern: `0x${PATTERN.toString(16)}`, kept: which }, detail: `pages ${s.pages.join(", ")} still hold 0x${PATTERN.toString(16)}: ${which}` };
}

export const ZERO_FILLED: ClaimProbe<Advised> = {
  claim: "the advised pages read back as zero",
  says: ["next access faults in zero-filled anonymous pages", "subsequent reads return zero"],
  observe: readsZero,
};

export const CONTENTS_KEPT: ClaimProbe<Advised> = {
  claim: "the range's contents are left as they were",
  says: ["page data is preserved", "range's data is preserved", "before any VMA is consulted", "no-op", "rejected", "not permitted"],
  opposite: ["prior contents are lost", "discards the contents"],
  observe: keepsPattern,
};

export const MAPPED_SUBRANGES_ADVISED: ClaimProbe<Advised> = {
  claim: "the mapped parts of a range with a gap are advised anyway",
  says: ["still applies the behavior to the mapped subranges"],
  opposite: ["aborting at the gap"],
  observe: readsZero,
};

export const POPULATED: ClaimProbe<Advised> = {
  claim: "every page of the range is resident after the call (mincore)",
  says: ["populating PTEs"],
  observe: (s) => {
    const resident = residentPages(s.region, s.scope);
    const missing = s.pages.filter((p) => !resident[p]);
    return { holds: missing.length === 0, facts: { pages: s.pages.length, notResident: missing.length }, detail: missing.length === 0 ? "mincore reports every page resident" : `mincore reports pages ${missing.join(", ")} not resident` };
  },
};

export const HOLE_PUNCHED: ClaimProbe<Advised> = {
  claim: "the backing file's blocks are deallocated (fstat st_blocks drops)",
  says: ["deallocating the corresponding file blocks"],
  observe: (s): FactObservation => {
    if (!s.file) return { holds: false, facts: {}, detail: "the scenario has no backing file to observe" };
    const after = blocksOf(s.file.fd);
    return { holds: after < s.file.blocksBefore, facts: { blocksBefore: s.file.blocksBefore, blocksAfter: after }, detail: `st_blocks ${s.file.blocksBefore} before, ${after} after` };
  },
};

export const LAZY_FREE: ClaimProbe<Advised> = {
  claim: "the pages are marked lazy-free (smaps LazyFree of the VMA is non-zero)",
  says: ["marks anonymous pages lazy-freeable"],
  observe: (s) => {
    const smaps = smapsOf(s.region.address);
    const lazy = smaps?.fields.LazyFree;
    return { holds: (lazy ?? 0) > 0, facts: { lazyFreeKb: lazy ?? "absent" }, detail: `smaps LazyFree of the VMA: ${lazy === undefined ? "absent" : `${lazy} kB`}` };
  },
};

/** The VMA flag a hint sets, as the spec names it and as smaps VmFlags abbreviates it (fs/proc/task_mmu.c). */
export const VM_FLAGS = {
  VM_RAND_READ: "rr",
  VM_SEQ_READ: "sr",
  VM_DONTCOPY: "dc",
  VM_DONTDUMP: "dd",
  VM_WIPEONFORK: "wf",
  VM_MERGEABLE: "mg",
  VM_HUGEPAGE: "hg",
} as const;

function flagObservation(s: Advised, flag: keyof typeof VM_FLAGS, wanted: boolean): FactObservation {
  const smaps = smapsOf(s.region.address);
  const set = smaps?.flags.includes(VM_FLAGS[flag]) ?? false;
  return {
    holds: set === wanted,
    facts: { flag, smaps: VM_FLAGS[flag], set, vmFlags: smaps?.flags.join(" ") ?? "no VMA" },
    detail: `${flag} (${VM_FLAGS[flag]}) is ${set ? "set" : "clear"} on the VMA: VmFlags ${smaps?.flags.join(" ") ?? "(no VMA)"}`,
  };
}

/** The hint's flag is set on the VMA after the call. */
export function flagSet(flag: keyof typeof VM_FLAGS, ...phrases: string[]): ClaimProbe<Advised> {
  return { claim: `${flag} is set on the VMA (smaps VmFlags ${VM_FLAGS[flag]})`, says: [flag, ...phrases], observe: (s) => flagObservation(s, flag, true) };
}

/** After the inverse advice, the flag the forward advice set is clear again. */
export function flagUndone(flag: keyof typeof VM_FLAGS): ClaimProbe<Advised> {
  return { claim: `the inverse advice clears ${flag} again (smaps VmFlags ${VM_FLAGS[flag]})`, says: ["reversible by issuing the inverse advice"], observe: (s) => flagObservation(s, flag, false) };
}

export const HUGEPAGE_LAYOUT: ClaimProbe<Advised> = {
  claim: "the range is mapped by a PMD-sized transparent hugepage (smaps AnonHugePages of the VMA)",
  says: ["coalesces base pages in the range into a PMD-sized transparent hugepage"],
  observe: (s) => {
    const huge = smapsOf(s.region.address)?.fields.AnonHugePages ?? 0;
    const wanted = (s.pages.length * PAGE_SIZE) / 1024;
    return { holds: huge >= wanted, facts: { anonHugePagesKb: huge, rangeKb: wanted }, detail: `smaps AnonHugePages of the VMA: ${huge} kB for a ${wanted} kB range` };
  },
};
