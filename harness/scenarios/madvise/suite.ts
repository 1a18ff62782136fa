// SPDX-License-Identifier: GPL-2.0-only
// The madvise scenario table (PATCH v4 dialect). Each entry creates one
// condition and names, by its words, the spec item that documents the
// outcome; advice values come from the arch constant table, and no entry
// states an errno, return value or effect: those are read from the spec.
import { constant, type ConstantName } from "../../kernel/constants.js";
import { PAGE_SIZE } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, syscall } from "../../kernel/syscall.js";
import { SetupError } from "../errors.js";
import { kernelConfig } from "../requirements.js";
import { openFile, tempFile } from "../resources/files.js";
import { defineScenario, type Args, type Check, type ClaimProbe, type EnvironmentOnly, type Requirement, type Scenario, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";
import {
  CONTENTS_KEPT,
  flagSet,
  flagUndone,
  HOLE_PUNCHED,
  HUGEPAGE_LAYOUT,
  LAZY_FREE,
  MAPPED_SUBRANGES_ADVISED,
  POPULATED,
  VM_FLAGS,
  ZERO_FILLED,
  type Advised,
} from "./observe.js";
import { blocksOf, hugePmdSize, mapRegion, memfd, PATTERN, residentPages, specialMapping } from "./regions.js";

type Advice = Extract<ConstantName, `MADV_${string}`>;

const advice = (name: Advice): number => constant(name);

/** madvise's arguments by the spec's parameter names. */
const madviseArgs = (start: bigint, len: bigint | number, behavior: number): Args => ({ start, len_in: len, behavior });

/** No MADV_* value is anywhere near this in any arch's uapi headers (the largest are the 100s: HWPOISON, GUARD_*). */
const UNKNOWN_ADVICE = 1000;
const U64 = 1n << 64n;
const LAZY_FREE_PAGES = 128;

// Spec items, found by what they say.
const einval = (condition: string): Target => ({ section: "errors", summary: "invalid argument", condition });
const successReturn: Target = { section: "return" };
const discardEffect: Target = { section: "sideEffects", summary: "page tables and resident pages" };
const holeEffect: Target = { section: "sideEffects", summary: "backing file" };
const lruEffect: Target = { section: "sideEffects", summary: "LRU lists and page reclaim" };
const faultinEffect: Target = { section: "sideEffects", summary: "page tables (faultin)" };
const vmFlagsEffect: Target = { section: "sideEffects", summary: "vma->vm_flags" };
const thpEffect: Target = { section: "sideEffects", summary: "transparent hugepage layout" };
const ksmEffect: Target = { section: "sideEffects", summary: "KSM merge state" };
const ksm = kernelConfig("CONFIG_KSM", ["y"], "MADV_MERGEABLE needs KSM support");
const thp = kernelConfig("CONFIG_TRANSPARENT_HUGEPAGE", ["y"], "MADV_HUGEPAGE needs transparent hugepage support");
const constraint = (summary: string): Target => ({ section: "constraints", summary });
const param = (name: string): Target => ({ section: "params", summary: new RegExp(`^${name}$`) });
/** The MADV_REMOVE constraint's sentence naming each errno by the cases it covers. */
const removeClaim = (condition: string): Target => ({ section: "claims", text: "MADV_REMOVE requires a writable shared file mapping", condition });

/** A written anonymous private region, every page holding PATTERN. */
function written(scope: ResourceScope, pages = 2, options: Parameters<typeof mapRegion>[2] = { sharing: "private" }): Advised {
  const region = mapRegion(scope, pages, options);
  region.fill(PATTERN);
  return { region, pages: [...Array(pages).keys()], scope };
}

const whole = (s: Advised, behavior: Advice): Args => madviseArgs(s.region.address, s.region.length, advice(behavior));

const claims = (id: string, title: string, about: Target, ...probes: ClaimProbe<Advised>[]): Check<Advised> => ({ kind: "claims", id, title, about, probes });

/** After a rejected call: the mapping's contents as they were, by the items that say nothing was done. */
const untouched = (about: Target): Check<Advised> => claims("contents-untouched", "the failed call left the mapping's contents untouched", about, CONTENTS_KEPT);

/** A hint that succeeds and sets its VMA flag, observed in smaps. */
function hint(id: string, behavior: Advice, flag: keyof typeof VM_FLAGS | undefined, condition: string, requires?: Requirement[]): Scenario<unknown> {
  return defineScenario<Advised>({
    id,
    condition,
    ...(requires ? { requires } : {}),
    setup: ({ scope }) => written(scope),
    args: (s) => whole(s, behavior),
    checks: [
      { kind: "outcome", id: "returns-success", title: `${behavior} returns the documented success value`, about: successReturn },
      ...(flag ? [claims("vma-flag", `${behavior} sets ${flag} on the VMA`, vmFlagsEffect, flagSet(flag))] : []),
    ],
  });
}

/** A hint undone by its inverse: the forward advice in setup, the inverse under test. */
function inverse(id: string, forward: Advice, backward: Advice, flag: keyof typeof VM_FLAGS): Scenario<unknown> {
  return defineScenario<Advised>({
    id,
    condition: `${backward} on a range advised ${forward}`,
    setup: ({ scope }) => {
      const s = written(scope);
      check("madvise", syscall("madvise", s.region.address, s.region.length, advice(forward)), `${forward} in setup`);
      return s;
    },
    args: (s) => whole(s, backward),
    checks: [
      { kind: "outcome", id: "returns-success", title: `${backward} returns the documented success value`, about: successReturn },
      claims("flag-reversed", `${backward} undoes ${forward}`, vmFlagsEffect, flagUndone(flag)),
    ],
  });
}

interface Special {
  address: bigint;
  length: number;
}

/**
 * Advice on a mapping the kernel installed itself: [vvar] is VM_IO | VM_PFNMAP,
 * [vdso] only VM_DONTEXPAND; all three flags are in VM_SPECIAL. The smaps flags
 * are checked in setup, so the scenario says which kind of VMA it advised.
 */
function onSpecial(id: string, name: string, vmFlag: { smaps: string; is: string }, behavior: Advice, about: Target): Scenario<unknown> {
  return defineScenario<Special>({
    id,
    condition: `${behavior} on the ${name} mapping (${vmFlag.is})`,
    setup: () => {
      const special = specialMapping(name);
      if (!special.vmFlags.includes(vmFlag.smaps)) throw new SetupError(`${name} is not ${vmFlag.is} here: VmFlags ${special.vmFlags.join(" ")}`);
      return special;
    },
    args: (s) => madviseArgs(s.address, s.length, advice(behavior)),
    checks: [{ kind: "outcome", id: "rejected", title: `${behavior} on a ${vmFlag.is} VMA`, about }],
  });
}

const memoryFailure = (values: string[], why: string): Requirement => kernelConfig("CONFIG_MEMORY_FAILURE", values, why);

/** MADV_HWPOISON / MADV_SOFT_OFFLINE as an unprivileged caller: refused before any page is looked up. */
function injectUnprivileged(behavior: "MADV_HWPOISON" | "MADV_SOFT_OFFLINE"): Scenario<unknown> {
  return defineScenario<Advised>({
    id: `${behavior.slice(5).toLowerCase().replace("_", "-")}-unprivileged`,
    condition: `${behavior} by a caller without CAP_SYS_ADMIN (nobody)`,
    // Without the option the advice is unknown to the kernel: the EINVAL scenario below covers that.
    requires: [memoryFailure(["y"], `${behavior} exists only with memory-failure support`)],
    as: "nobody",
    setup: ({ scope }) => written(scope, 1),
    args: (s) => whole(s, behavior),
    checks: [
      { kind: "outcome", id: "rejected", title: `${behavior} without CAP_SYS_ADMIN`, about: { section: "errors", summary: "operation not permitted", condition: "require CAP_SYS_ADMIN" } },
      { kind: "outcome", id: "capability", title: `the CAP_SYS_ADMIN capability item's "without"`, about: { section: "capabilities", summary: "CAP_SYS_ADMIN" } },
      untouched({ section: "errors", summary: "operation not permitted" }),
    ],
  });
}

/** MADV_HWPOISON / MADV_SOFT_OFFLINE on a kernel without memory-failure support: a Kconfig-gated behavior. */
function injectNotConfigured(behavior: "MADV_HWPOISON" | "MADV_SOFT_OFFLINE"): Scenario<unknown> {
  return defineScenario<Advised>({
    id: `${behavior.slice(5).toLowerCase().replace("_", "-")}-not-configured`,
    condition: `${behavior} on a kernel built without CONFIG_MEMORY_FAILURE (nothing can be poisoned)`,
    // Never run where the advice exists: as root it would poison or offline a physical page.
    requires: [memoryFailure(["n"], `${behavior} is only safe to issue where the kernel lacks memory-failure support`)],
    setup: ({ scope }) => written(scope, 1),
    args: (s) => whole(s, behavior),
    checks: [
      { kind: "outcome", id: "rejected", title: `${behavior} without CONFIG_MEMORY_FAILURE`, about: einval("Kconfig-gated behavior") },
      { kind: "outcome", id: "param-claim", title: "the behavior param says Kconfig-gated behaviors return EINVAL", about: param("behavior") },
      { kind: "outcome", id: "constraint", title: "the supported-behavior constraint", about: constraint("behavior must be supported") },
      untouched(constraint("behavior must be supported")),
    ],
  });
}

/** An item about a fatal signal's EINTR: the process that would see the errno is killed by the signal. */
function fatalSignal(id: string, title: string, about: Target): EnvironmentOnly {
  return { id, title, about, reason: () => ({ reason: "a fatal signal kills the caller: no user space of that process sees the return value", detail: "the errno can only be seen in-kernel (ftrace), which kapi-conform does not use" }) };
}

export const madviseSuite: SyscallSuite = {
  syscalls: ["madvise"],

  // MADV_DONTNEED on written private anonymous pages: they read back as zero.
  baseline: defineScenario<Advised>({
    id: "dontneed",
    condition: "MADV_DONTNEED over two written private anonymous pages",
    setup: ({ scope }) => written(scope),
    args: (s) => whole(s, "MADV_DONTNEED"),
    checks: [claims("zero-filled", "the discarded pages read back as zero", discardEffect, ZERO_FILLED)],
  }),

  scenarios: [
    // Invalid input: rejected before any VMA is consulted.
    defineScenario<Advised>({
      id: "start-unaligned-len-zero",
      condition: "start is one byte past a page boundary and len_in is 0",
      setup: ({ scope }) => written(scope, 1),
      args: (s) => madviseArgs(s.region.address + 1n, 0, advice("MADV_DONTNEED")),
      checks: [
        { kind: "outcome", id: "rejected", title: "unaligned start with len_in 0", about: einval("unaligned start") },
        { kind: "outcome", id: "param-claim", title: "start's text: an unaligned start fails even when len_in is zero", about: param("start") },
        { kind: "outcome", id: "constraint", title: "the page-aligned start constraint", about: constraint("page-aligned start") },
      ],
    }),
    defineScenario<Advised>({
      id: "start-unaligned",
      condition: "MADV_DONTNEED with start one byte past a written page's start",
      setup: ({ scope }) => written(scope, 2),
      args: (s) => madviseArgs(s.region.address + 1n, PAGE_SIZE, advice("MADV_DONTNEED")),
      checks: [
        { kind: "outcome", id: "rejected", title: "unaligned start", about: einval("unaligned start") },
        untouched(constraint("page-aligned start")),
      ],
    }),
    defineScenario<Advised>({
      id: "len-rounds-to-zero",
      condition: "len_in is non-zero but rounds up past SIZE_MAX to 0 (2^64 - PAGE_SIZE + 1)",
      setup: ({ scope }) => written(scope, 1),
      args: (s) => madviseArgs(s.region.address, U64 - BigInt(PAGE_SIZE) + 1n, advice("MADV_DONTNEED")),
      checks: [
        { kind: "outcome", id: "rejected", title: "len_in rounding to zero", about: einval("non-zero len_in rounding to zero") },
        { kind: "outcome", id: "param-claim", title: "len_in's text: a len_in that rounds up to 0 fails", about: param("len_in") },
        untouched(constraint("length rounded up to PAGE_SIZE")),
      ],
    }),
    defineScenario<Advised>({
      id: "range-wraps",
      condition: "start + PAGE_ALIGN(len_in) wraps below start (len_in = 2^64 - PAGE_SIZE, page-aligned)",
      setup: ({ scope }) => written(scope, 1),
      args: (s) => madviseArgs(s.region.address, U64 - BigInt(PAGE_SIZE), advice("MADV_DONTNEED")),
      checks: [
        { kind: "outcome", id: "rejected", title: "range wrap", about: einval("range wrap") },
        { kind: "outcome", id: "constraint", title: "the rounded-length constraint", about: constraint("length rounded up to PAGE_SIZE") },
        untouched(constraint("length rounded up to PAGE_SIZE")),
      ],
    }),
    defineScenario<Advised>({
      id: "advice-unknown",
      condition: `behavior is ${UNKNOWN_ADVICE}, outside every MADV_* value`,
      setup: ({ scope }) => written(scope, 1),
      args: (s) => madviseArgs(s.region.address, s.region.length, UNKNOWN_ADVICE),
      checks: [
        { kind: "outcome", id: "rejected", title: "unrecognised advice", about: einval("unrecognised MADV_*") },
        { kind: "outcome", id: "constraint", title: "the supported-behavior constraint", about: constraint("behavior must be supported") },
        untouched(constraint("behavior must be supported")),
      ],
    }),
    defineScenario<Advised>({
      id: "len-zero",
      condition: "MADV_DONTNEED with len_in 0 at a written page",
      setup: ({ scope }) => written(scope, 1),
      args: (s) => madviseArgs(s.region.address, 0, advice("MADV_DONTNEED")),
      checks: [
        { kind: "outcome", id: "accepted", title: "len_in 0 is accepted", about: param("len_in"), expectFrom: successReturn, value: "0" },
        claims("no-op", "len_in 0 does nothing to the range", param("len_in"), CONTENTS_KEPT),
      ],
    }),

    // A gap in the range.
    defineScenario<Advised>({
      id: "range-with-gap",
      condition: "MADV_DONTNEED over three written pages whose middle page was unmapped",
      setup: ({ scope }) => {
        const s = written(scope, 3);
        s.region.unmapPage(1);
        return { ...s, pages: [0, 2] };
      },
      args: (s) => whole(s, "MADV_DONTNEED"),
      checks: [
        { kind: "outcome", id: "rejected", title: "a gap between mapped VMAs", about: { section: "errors", summary: "cannot allocate memory", condition: "gap between mapped VMAs" } },
        claims("mapped-parts-advised", "the mapped pages on both sides of the gap are advised anyway", { section: "errors", summary: "cannot allocate memory" }, MAPPED_SUBRANGES_ADVISED),
        { kind: "outcome", id: "long-desc-claim", title: "the description's claim about an unmapped gap", about: { section: "claims", text: "unmapped gap inside the range" } },
      ],
    }),
    defineScenario<Advised>({
      id: "populate-no-vma",
      condition: "MADV_POPULATE_READ over a page that was unmapped",
      setup: ({ scope }) => {
        const s = written(scope, 1);
        s.region.unmapPage(0);
        return { ...s, pages: [] };
      },
      args: (s) => whole(s, "MADV_POPULATE_READ"),
      checks: [{ kind: "outcome", id: "rejected", title: "populate where there is no VMA", about: { section: "errors", summary: "cannot allocate memory", condition: "region has no VMA" } }],
    }),

    // Per-behavior VMA filters.
    defineScenario<Advised>({
      id: "remove-private-file",
      condition: "MADV_REMOVE on a private (MAP_PRIVATE) mapping of a memfd",
      setup: ({ scope }) => written(scope, 1, { sharing: "private", fd: memfd(scope, 1) }),
      args: (s) => whole(s, "MADV_REMOVE"),
      checks: [
        { kind: "outcome", id: "rejected", title: "MADV_REMOVE on a private mapping", about: { section: "errors", summary: "permission denied", condition: "private mapping" } },
        { kind: "outcome", id: "constraint-claim", title: "the MADV_REMOVE constraint's errno for a private mapping", about: removeClaim("private or read-only shared mapping") },
        untouched({ section: "errors", summary: "permission denied" }),
      ],
    }),
    defineScenario<Advised>({
      id: "remove-readonly-shared",
      condition: "MADV_REMOVE on a read-only shared mapping of a file opened read-only",
      setup: ({ scope }) => {
        const fd = openFile(scope, tempFile(scope, Buffer.alloc(PAGE_SIZE, PATTERN)), "r");
        const region = mapRegion(scope, 1, { sharing: "shared", fd, writable: false });
        return { region, pages: [0], scope, file: { fd, blocksBefore: blocksOf(fd) } };
      },
      args: (s) => whole(s, "MADV_REMOVE"),
      checks: [
        { kind: "outcome", id: "rejected", title: "MADV_REMOVE on a read-only shared mapping", about: { section: "errors", summary: "permission denied", condition: "read-only shared mapping" } },
        { kind: "outcome", id: "constraint-claim", title: "the MADV_REMOVE constraint's errno for a read-only shared mapping", about: removeClaim("private or read-only shared mapping") },
        untouched({ section: "errors", summary: "permission denied" }),
      ],
    }),
    defineScenario<Advised>({
      id: "remove-anonymous",
      condition: "MADV_REMOVE on a private anonymous mapping (no file behind it)",
      setup: ({ scope }) => written(scope, 1),
      args: (s) => whole(s, "MADV_REMOVE"),
      checks: [
        { kind: "outcome", id: "rejected", title: "MADV_REMOVE without a file", about: einval("per-behavior VMA-filter violations") },
        { kind: "outcome", id: "constraint-claim", title: "the MADV_REMOVE constraint's errno for a VMA without a file (its second case)", about: removeClaim("first two cases") },
      ],
    }),
    defineScenario<Advised>({
      id: "free-file-backed",
      condition: "MADV_FREE on a shared mapping of a memfd (file-backed)",
      setup: ({ scope }) => written(scope, 1, { sharing: "shared", fd: memfd(scope, 1) }),
      args: (s) => whole(s, "MADV_FREE"),
      checks: [
        { kind: "outcome", id: "rejected", title: "MADV_FREE on a file-backed mapping", about: constraint("MADV_FREE requires anonymous mappings") },
        untouched(constraint("MADV_FREE requires anonymous mappings")),
      ],
    }),
    defineScenario<Advised>({
      id: "wipeonfork-shared-anonymous",
      condition: "MADV_WIPEONFORK on a shared anonymous mapping",
      setup: ({ scope }) => written(scope, 1, { sharing: "shared" }),
      args: (s) => whole(s, "MADV_WIPEONFORK"),
      checks: [{ kind: "outcome", id: "rejected", title: "MADV_WIPEONFORK on shared anonymous memory", about: constraint("MADV_WIPEONFORK requires private anonymous mappings") }],
    }),
    defineScenario<Advised>({
      id: "wipeonfork-file-backed",
      condition: "MADV_WIPEONFORK on a private mapping of a memfd",
      setup: ({ scope }) => written(scope, 1, { sharing: "private", fd: memfd(scope, 1) }),
      args: (s) => whole(s, "MADV_WIPEONFORK"),
      checks: [{ kind: "outcome", id: "rejected", title: "MADV_WIPEONFORK on a file mapping", about: constraint("MADV_WIPEONFORK requires private anonymous mappings") }],
    }),
    defineScenario<Advised>({
      id: "cold-locked",
      condition: "MADV_COLD on an mlocked (MAP_LOCKED) anonymous mapping",
      setup: ({ scope }) => written(scope, 1, { sharing: "private", locked: true }),
      args: (s) => whole(s, "MADV_COLD"),
      checks: [
        { kind: "outcome", id: "rejected", title: "MADV_COLD on a locked VMA", about: einval("per-behavior VMA-filter violations") },
        untouched(constraint("MADV_COLD / MADV_PAGEOUT VMA filter")),
      ],
    }),
    defineScenario<Advised>({
      id: "pageout-locked",
      condition: "MADV_PAGEOUT on an mlocked (MAP_LOCKED) anonymous mapping",
      setup: ({ scope }) => written(scope, 1, { sharing: "private", locked: true }),
      args: (s) => whole(s, "MADV_PAGEOUT"),
      checks: [{ kind: "outcome", id: "rejected", title: "MADV_PAGEOUT on a locked VMA", about: einval("per-behavior VMA-filter violations") }],
    }),
    defineScenario<Advised>({
      id: "remove-locked",
      condition: "MADV_REMOVE on an mlocked (MAP_LOCKED) shared memfd mapping",
      setup: ({ scope }) => written(scope, 1, { sharing: "shared", fd: memfd(scope, 1), locked: true }),
      args: (s) => whole(s, "MADV_REMOVE"),
      checks: [
        { kind: "outcome", id: "rejected", title: "MADV_REMOVE on a locked VMA", about: einval("per-behavior VMA-filter violations") },
        { kind: "outcome", id: "constraint-claim", title: "the MADV_REMOVE constraint's errno for a VM_LOCKED VMA (its first case)", about: removeClaim("first two cases") },
        untouched(constraint("MADV_REMOVE requires a writable shared file mapping")),
      ],
    }),
    defineScenario<Advised>({
      id: "populate-beyond-eof",
      condition: "MADV_POPULATE_READ over a shared memfd mapping whose second page lies beyond the file's end",
      setup: ({ scope }) => {
        const fd = memfd(scope, 1);
        const region = mapRegion(scope, 2, { sharing: "shared", fd });
        region.forbid(1);
        return { region, pages: [1], scope };
      },
      args: (s) => madviseArgs(s.region.pageAddress(1), PAGE_SIZE, advice("MADV_POPULATE_READ")),
      checks: [
        { kind: "outcome", id: "rejected", title: "populate a page beyond EOF", about: { section: "errors", summary: "bad address", condition: "page beyond the end of the file" } },
        // The description lists the errnos a stop-on-error handler surfaces instead of skipping the page.
        {
          kind: "precedence",
          id: "stop-on-error",
          title: "MADV_POPULATE_READ surfaces the page's failure as one of the errnos the description lists",
          about: { section: "errors", summary: "bad address" },
          candidates: [{ section: "claims", text: "stop-on-error handlers surface the first per-page failure" }],
        },
      ],
    }),
    defineScenario<Advised>({
      id: "willneed-anonymous-no-swap",
      condition: "MADV_WILLNEED on anonymous memory, kernel without swap support",
      requires: [kernelConfig("CONFIG_SWAP", ["n"], "EBADF needs a kernel built without swap support")],
      setup: ({ scope }) => written(scope, 1),
      args: (s) => whole(s, "MADV_WILLNEED"),
      checks: [{ kind: "outcome", id: "rejected", title: "MADV_WILLNEED on anonymous memory without CONFIG_SWAP", about: { section: "errors", summary: "bad file descriptor" } }],
    }),
    // VM_SPECIAL VMAs. MADV_DONTFORK on them is left out: a [vvar] missing from a forked child breaks its clock_gettime.
    onSpecial("dofork-vm-io", "[vvar]", { smaps: "io", is: "VM_IO" }, "MADV_DOFORK", einval("reject DOFORK on VM_SPECIAL")),
    onSpecial("dofork-vm-dontexpand", "[vdso]", { smaps: "de", is: "VM_DONTEXPAND, without VM_IO" }, "MADV_DOFORK", einval("reject DOFORK on VM_SPECIAL")),
    onSpecial("cold-vm-pfnmap", "[vvar]", { smaps: "pf", is: "VM_PFNMAP" }, "MADV_COLD", einval("per-behavior VMA-filter violations")),
    onSpecial("dodump-vm-io", "[vvar]", { smaps: "io", is: "VM_IO" }, "MADV_DODUMP", einval("DODUMP on non-hugetlb VM_SPECIAL/VM_DROPPABLE")),
    onSpecial("dodump-vm-dontexpand", "[vdso]", { smaps: "de", is: "VM_DONTEXPAND, without VM_IO" }, "MADV_DODUMP", einval("DODUMP on non-hugetlb VM_SPECIAL/VM_DROPPABLE")),
    // Only MADV_DONTNEED_LOCKED tolerates VM_LOCKED among the discards.
    ...(["MADV_DONTNEED", "MADV_FREE"] as const).map((behavior) =>
      defineScenario<Advised>({
        id: `${behavior.slice(5).toLowerCase()}-locked`,
        condition: `${behavior} on an mlocked (MAP_LOCKED) written anonymous mapping`,
        setup: ({ scope }) => written(scope, 1, { sharing: "private", locked: true }),
        args: (s) => whole(s, behavior),
        checks: [{ kind: "outcome", id: "rejected", title: `${behavior} on a locked VMA`, about: einval("per-behavior VMA-filter violations") }],
      }),
    ),
    defineScenario<Advised>({
      id: "len-zero-unmapped",
      condition: "len_in 0 at a page-aligned start where nothing is mapped",
      setup: ({ scope }) => {
        const s = written(scope, 1);
        s.region.unmapPage(0);
        return { ...s, pages: [] };
      },
      args: (s) => madviseArgs(s.region.address, 0, advice("MADV_DONTNEED")),
      checks: [{ kind: "outcome", id: "accepted", title: "len_in 0 succeeds without looking at the range", about: param("len_in"), expectFrom: successReturn, value: "0" }],
    }),
    injectUnprivileged("MADV_HWPOISON"),
    injectUnprivileged("MADV_SOFT_OFFLINE"),
    injectNotConfigured("MADV_HWPOISON"),
    injectNotConfigured("MADV_SOFT_OFFLINE"),

    // Success paths with effects user space can see.
    defineScenario<Advised>({
      id: "free",
      // Lazy-free marking goes through a per-CPU batch (at most 31 folios): enough pages that some drain.
      condition: `MADV_FREE over ${LAZY_FREE_PAGES} written private anonymous pages`,
      setup: ({ scope }) => written(scope, LAZY_FREE_PAGES),
      args: (s) => whole(s, "MADV_FREE"),
      checks: [
        { kind: "outcome", id: "returns-success", title: "MADV_FREE returns the documented success value", about: successReturn },
        claims("lazy-free", "the pages are marked lazy-free", discardEffect, LAZY_FREE),
      ],
    }),
    defineScenario<Advised>({
      id: "remove-shared-memfd",
      condition: "MADV_REMOVE over a written shared mapping of a 4-page memfd",
      setup: ({ scope }) => {
        const fd = memfd(scope, 4);
        const s = written(scope, 4, { sharing: "shared", fd });
        return { ...s, file: { fd, blocksBefore: blocksOf(fd) } };
      },
      args: (s) => whole(s, "MADV_REMOVE"),
      checks: [
        { kind: "outcome", id: "returns-success", title: "MADV_REMOVE returns the documented success value", about: successReturn },
        claims("hole-punched", "the memfd's blocks are freed and the range reads back as zero", holeEffect, HOLE_PUNCHED, ZERO_FILLED),
      ],
    }),
    ...(["MADV_POPULATE_READ", "MADV_POPULATE_WRITE"] as const).map((behavior) =>
      defineScenario<Advised>({
        id: behavior.slice(5).toLowerCase().replace("_", "-"),
        condition: `${behavior} over four never-touched private anonymous pages`,
        setup: ({ scope }) => {
          const region = mapRegion(scope, 4, { sharing: "private" });
          const s = { region, pages: [0, 1, 2, 3], scope };
          if (residentPages(region, scope).some(Boolean)) throw new SetupError("a never-touched page is already resident");
          return s;
        },
        args: (s) => whole(s, behavior),
        checks: [
          { kind: "outcome", id: "returns-success", title: `${behavior} returns the documented success value`, about: successReturn },
          claims("resident", "every page is faulted in", faultinEffect, POPULATED),
        ],
      }),
    ),
    ...(["MADV_COLD", "MADV_PAGEOUT"] as const).map((behavior) =>
      defineScenario<Advised>({
        id: behavior.slice(5).toLowerCase(),
        condition: `${behavior} over two written private anonymous pages`,
        setup: ({ scope }) => written(scope),
        args: (s) => whole(s, behavior),
        checks: [
          { kind: "outcome", id: "returns-success", title: `${behavior} returns the documented success value`, about: successReturn },
          claims("data-preserved", "the pages keep their data", lruEffect, CONTENTS_KEPT),
        ],
      }),
    ),
    hint("willneed", "MADV_WILLNEED", undefined, "MADV_WILLNEED over written private anonymous pages"),
    hint("normal", "MADV_NORMAL", undefined, "MADV_NORMAL over written private anonymous pages"),
    hint("random", "MADV_RANDOM", "VM_RAND_READ", "MADV_RANDOM over written private anonymous pages"),
    hint("sequential", "MADV_SEQUENTIAL", "VM_SEQ_READ", "MADV_SEQUENTIAL over written private anonymous pages"),
    hint("dontfork", "MADV_DONTFORK", "VM_DONTCOPY", "MADV_DONTFORK over written private anonymous pages"),
    hint("wipeonfork", "MADV_WIPEONFORK", "VM_WIPEONFORK", "MADV_WIPEONFORK over written private anonymous pages"),
    hint("dontdump", "MADV_DONTDUMP", "VM_DONTDUMP", "MADV_DONTDUMP over written private anonymous pages"),
    inverse("dofork-undoes-dontfork", "MADV_DONTFORK", "MADV_DOFORK", "VM_DONTCOPY"),
    inverse("keeponfork-undoes-wipeonfork", "MADV_WIPEONFORK", "MADV_KEEPONFORK", "VM_WIPEONFORK"),
    defineScenario<Advised>({
      id: "collapse",
      condition: "MADV_COLLAPSE over a written, PMD-aligned, PMD-sized private anonymous range",
      requires: [thp],
      setup: ({ scope }) => {
        const pmd = hugePmdSize();
        // Twice the PMD size, so that an aligned PMD-sized range lies inside.
        const region = mapRegion(scope, (2 * pmd) / PAGE_SIZE, { sharing: "private" });
        const first = Number((BigInt(pmd) - (region.address % BigInt(pmd))) % BigInt(pmd)) / PAGE_SIZE;
        const count = pmd / PAGE_SIZE;
        region.fill(PATTERN, first, count);
        return { region, pages: Array.from({ length: count }, (_, i) => first + i), scope };
      },
      args: (s) => madviseArgs(s.region.pageAddress(s.pages[0]!), s.pages.length * PAGE_SIZE, advice("MADV_COLLAPSE")),
      checks: [
        { kind: "outcome", id: "returns-success", title: "MADV_COLLAPSE returns the documented success value", about: successReturn },
        claims("collapsed", "the range is one transparent hugepage and keeps its data", thpEffect, HUGEPAGE_LAYOUT, CONTENTS_KEPT),
      ],
    }),
    hint("hugepage", "MADV_HUGEPAGE", "VM_HUGEPAGE", "MADV_HUGEPAGE over written private anonymous pages", [thp]),
    defineScenario<Advised>({
      id: "mergeable",
      condition: "MADV_MERGEABLE over written private anonymous pages",
      requires: [ksm],
      setup: ({ scope }) => written(scope),
      args: (s) => whole(s, "MADV_MERGEABLE"),
      checks: [
        { kind: "outcome", id: "returns-success", title: "MADV_MERGEABLE returns the documented success value", about: successReturn },
        claims("ksm-eligible", "the VMA becomes eligible for KSM", ksmEffect, flagSet("VM_MERGEABLE", "toggles the VMA's eligibility for the kernel same-page merger")),
      ],
    }),
    defineScenario<Advised>({
      id: "unmergeable-undoes-mergeable",
      condition: "MADV_UNMERGEABLE on a range advised MADV_MERGEABLE",
      requires: [ksm],
      setup: ({ scope }) => {
        const s = written(scope);
        check("madvise", syscall("madvise", s.region.address, s.region.length, advice("MADV_MERGEABLE")), "MADV_MERGEABLE in setup");
        return s;
      },
      args: (s) => whole(s, "MADV_UNMERGEABLE"),
      checks: [
        { kind: "outcome", id: "returns-success", title: "MADV_UNMERGEABLE returns the documented success value", about: successReturn },
        claims("flag-reversed", "MADV_UNMERGEABLE undoes MADV_MERGEABLE", ksmEffect, flagUndone("VM_MERGEABLE")),
      ],
    }),
  ],

  environmentOnly: [
    {
      id: "eagain-vma-split-enomem",
      title: "an internal allocation failure while splitting a VMA",
      about: { section: "errors", summary: "resource temporarily unavailable" },
      reason: () => ({ reason: "needs a transient kernel allocation failure during a VMA split (fault injection); it cannot be provoked on demand", detail: "failslab/fail_page_alloc fault injection is not driven by kapi-conform" }),
    },
    {
      id: "eio-punch-hole",
      title: "an I/O error from the filesystem's punch-hole handler",
      about: { section: "errors", summary: "input/output error" },
      reason: () => ({ reason: "needs a filesystem whose FALLOC_FL_PUNCH_HOLE fails with an I/O error (a failing block device such as dm-error)", detail: "kapi-conform sets up no failing block devices" }),
    },
    fatalSignal("eintr-fatal-signal", "a fatal signal while waiting for the mmap lock or faulting in pages", { section: "errors", summary: "interrupted system call" }),
    fatalSignal("eintr-lock-claim", "the mmap lock's text: a fatal signal during its acquisition returns EINTR", { section: "claims", text: "acquisition is killed by a fatal signal" }),
    fatalSignal("eintr-signal-claim", "the fatal signal's text: EINTR from the lock or from faulting in pages", { section: "claims", text: "pending fatal signal aborts mmap_write_lock_killable" }),
    {
      id: "hwpoison-eopnotsupp-claim",
      title: "MADV_HWPOISON folds memory_failure()'s EOPNOTSUPP back to success",
      about: { section: "claims", text: "hybrid handlers combine modes" },
      reason: (env) => ({
        reason: "would poison a physical page of this machine (irreversible until reboot); kapi-conform never does",
        detail: `CONFIG_MEMORY_FAILURE=${env.config.get("CONFIG_MEMORY_FAILURE")} on this kernel`,
      }),
    },
    {
      id: "remote-mm-claim",
      title: "advice to a different process's mm outside the remote subset",
      about: { section: "claims", text: "target is a different mm" },
      reason: () => ({ reason: "another process's mm is reached only through process_madvise(2) with its pidfd; madvise(2) always advises the caller's own mm", detail: "the sentence is about process_madvise(2), which shares do_madvise()" }),
    },
    {
      id: "guard-restart-claim",
      title: "MADV_GUARD_INSTALL restarting the call after losing its retries",
      about: { section: "claims", text: "those retries are exhausted" },
      reason: () => ({ reason: "needs MADV_GUARD_INSTALL losing three races with concurrent faults or khugepaged; MADV_GUARD_INSTALL is not in kapi-conform's constant tables", detail: "the restart is transparent: the caller would see only the call's final result" }),
    },
    {
      id: "ehwpoison-populate",
      title: "MADV_POPULATE_* reaching a hardware-poisoned page",
      about: { section: "errors", summary: "memory page has hardware error" },
      reason: (env) => ({
        reason: "needs a page poisoned through the memory-failure path; kapi-conform never poisons physical memory",
        detail: `CONFIG_MEMORY_FAILURE=${env.config.get("CONFIG_MEMORY_FAILURE")} on this kernel`,
      }),
    },
    {
      id: "ebusy-collapse",
      title: "MADV_COLLAPSE failing to charge the memory cgroup or finding too many absent PTEs",
      about: { section: "errors", summary: "device or resource busy" },
      reason: () => ({ reason: "needs a memory cgroup at its limit or a userfaultfd-armed range for a synchronous collapse", detail: "kapi-conform creates no cgroups or userfaultfd monitors" }),
    },
    {
      id: "eperm-sealed-discard",
      title: "a discard on a read-only anonymous VMA sealed with mseal(2)",
      about: { section: "errors", summary: "operation not permitted", condition: "sealed with mseal" },
      reason: () => ({ reason: "needs mseal(2), which kapi-conform cannot call: its arch tables have no mseal number", detail: "this machine's libc headers define no SYS_mseal to check a number against" }),
    },
    {
      id: "mseal-constraint",
      title: "the mseal-protected discards constraint",
      about: constraint("mseal-protected discards"),
      reason: () => ({ reason: "needs mseal(2), which kapi-conform cannot call: its arch tables have no mseal number", detail: "this machine's libc headers define no SYS_mseal to check a number against" }),
    },
    {
      id: "guard-markers",
      title: "MADV_GUARD_INSTALL / MADV_GUARD_REMOVE markers",
      about: { section: "sideEffects", summary: "PTE marker" },
      reason: () => ({ reason: "MADV_GUARD_INSTALL and MADV_GUARD_REMOVE are not in kapi-conform's constant tables", detail: "this machine's uapi headers (checked by the constants test) predate them" }),
    },
    {
      id: "userfaultfd-remove-event",
      title: "UFFD_EVENT_REMOVE on a userfaultfd-armed VMA",
      about: { section: "sideEffects", summary: "userfaultfd event queue" },
      reason: () => ({ reason: "needs a userfaultfd monitor registered on the range; kapi-conform has no userfaultfd resource", detail: "userfaultfd(2) is not in kapi-conform's arch tables" }),
    },
    {
      id: "hwpoison-as-root",
      title: "MADV_HWPOISON / MADV_SOFT_OFFLINE by a caller with CAP_SYS_ADMIN",
      about: { section: "sideEffects", summary: "physical page" },
      reason: (env) => ({
        reason: "would poison or offline a physical page of this machine (irreversible until reboot); kapi-conform never does",
        detail: `CONFIG_MEMORY_FAILURE=${env.config.get("CONFIG_MEMORY_FAILURE")} on this kernel`,
      }),
    },
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
    signals: "the only signal item is a fatal one: it kills the caller before any return is seen",
  },
};
