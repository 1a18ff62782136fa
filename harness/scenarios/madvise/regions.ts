// SPDX-License-Identifier: GPL-2.0-only
// The mappings madvise scenarios advise: anonymous (private or shared, locked),
// a memfd mapped shared or private, a read-only shared file, a range with a hole.
// Each is made with raw mmap and registered for munmap; a Region refuses access
// to pages it knows are gone (a punched hole, a page beyond EOF), so that no
// observation can fault the runner.
import { fstatSync, readFileSync } from "node:fs";
import { constant } from "../../kernel/constants.js";
import { unsafeView } from "../../kernel/libc.js";
import { mapPages, PAGE_SIZE } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, syscall } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";

/** A byte pattern that zero-filling, hole-punching or wiping visibly destroys. */
export const PATTERN = 0x5a;

export class Region {
  #view: Buffer | undefined;
  #unmapped = new Set<number>();
  #released = false;

  constructor(
    readonly address: bigint,
    readonly length: number,
    readonly writable: boolean,
  ) {}

  get pages(): number {
    return this.length / PAGE_SIZE;
  }

  pageAddress(page: number): bigint {
    return this.address + BigInt(page * PAGE_SIZE);
  }

  /** munmaps one page behind the region's back; it is never read again. */
  unmapPage(page: number): void {
    check("munmap", syscall("munmap", this.pageAddress(page), PAGE_SIZE), `page ${page} of the region`);
    this.#unmapped.add(page);
  }

  /** Marks a page the region must not touch (beyond the file's end: SIGBUS). */
  forbid(page: number): void {
    this.#unmapped.add(page);
  }

  #access(offset: number, length: number): Buffer {
    if (this.#released) throw new Error(`region at 0x${this.address.toString(16)} was released`);
    if (offset < 0 || length < 0 || offset + length > this.length) throw new RangeError(`[${offset}, +${length}) is outside the ${this.length}-byte region`);
    for (let p = Math.floor(offset / PAGE_SIZE); p * PAGE_SIZE < offset + length; p++) {
      if (this.#unmapped.has(p)) throw new Error(`page ${p} of the region is not accessible (unmapped or beyond the file's end)`);
    }
    this.#view ??= unsafeView(this.address, this.length);
    return this.#view.subarray(offset, offset + length);
  }

  read(offset: number, length: number): Buffer {
    return Buffer.from(this.#access(offset, length));
  }

  /** The page's bytes, or its content summarised: every byte `value`? */
  pageIs(page: number, value: number): boolean {
    return this.#access(page * PAGE_SIZE, PAGE_SIZE).every((b) => b === value);
  }

  fill(value: number, page = 0, pages = this.pages - page): void {
    if (!this.writable) throw new Error("the region is not writable");
    this.#access(page * PAGE_SIZE, pages * PAGE_SIZE).fill(value);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#view = undefined;
    // munmap over pages already unmapped is fine.
    check("munmap", syscall("munmap", this.address, this.length));
  }
}

export type Sharing = "private" | "shared";

/** Raw mmap; `fd` -1 for anonymous memory. */
export function mapRegion(scope: ResourceScope, pages: number, options: { sharing: Sharing; fd?: number; writable?: boolean; locked?: boolean }): Region {
  const writable = options.writable ?? true;
  const prot = constant("PROT_READ") | (writable ? constant("PROT_WRITE") : 0);
  let flags = constant(options.sharing === "shared" ? "MAP_SHARED" : "MAP_PRIVATE");
  const fd = options.fd ?? -1;
  if (fd < 0) flags |= constant("MAP_ANONYMOUS");
  if (options.locked) flags |= constant("MAP_LOCKED");
  const r = syscall("mmap", 0n, pages * PAGE_SIZE, prot, flags, fd, 0);
  if (r.errno === "EAGAIN" || r.errno === "EPERM") throw new SetupError(`mmap${options.locked ? " with MAP_LOCKED" : ""} failed: ${r.errno}`);
  const address = check("mmap", r, `${pages} pages, ${options.sharing}${fd >= 0 ? ` of fd ${fd}` : " anonymous"}`);
  return scope.add(new Region(address, pages * PAGE_SIZE, writable));
}

/** A memfd of `pages` pages (shmem: supports hole punching), closed on release. */
export function memfd(scope: ResourceScope, pages: number): number {
  const name = mapPages(1);
  try {
    name.write(0, Buffer.from("kapi-conform-madvise\0"));
    const fd = Number(check("memfd_create", syscall("memfd_create", name.address, constant("MFD_CLOEXEC"))));
    scope.defer(() => check("close", syscall("close", fd)));
    check("ftruncate", syscall("ftruncate", fd, pages * PAGE_SIZE));
    return fd;
  } finally {
    name.release();
  }
}

/** 512-byte blocks allocated to the file behind `fd`. */
export const blocksOf = (fd: number): number => fstatSync(fd).blocks;

/** Which of the region's pages are resident, by mincore(2). */
export function residentPages(region: Region, scope: ResourceScope): boolean[] {
  const vector = scope.add(mapPages(Math.max(1, Math.ceil(region.pages / PAGE_SIZE))));
  check("mincore", syscall("mincore", region.address, region.length, vector.address));
  return [...vector.read(0, region.pages)].map((b) => (b & 1) === 1);
}

/** A special mapping the kernel installed in every process ([vdso], [vvar]), by its maps name; never unmapped. */
export function specialMapping(name: string): { address: bigint; length: number; vmFlags: string[] } {
  const smaps = readFileSync("/proc/self/smaps", "utf8").split("\n");
  const at = smaps.findIndex((line) => /^[0-9a-f]+-[0-9a-f]+ /.test(line) && line.trimEnd().endsWith(` ${name}`));
  if (at < 0) throw new SetupError(`this process has no ${name} mapping`);
  const [start, end] = smaps[at]!.split(" ")[0]!.split("-").map((x) => BigInt(`0x${x}`)) as [bigint, bigint];
  const flagsLine = smaps.slice(at + 1).find((line) => line.startsWith("VmFlags:") || /^[0-9a-f]+-[0-9a-f]+ /.test(line));
  const vmFlags = flagsLine?.startsWith("VmFlags:") ? flagsLine.slice(8).trim().split(/\s+/) : [];
  return { address: start, length: Number(end - start), vmFlags };
}

const PMD_SIZE_FILE = "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size";

/** The size a PMD maps (a transparent hugepage), as the kernel reports it: 2 MiB with 4 KiB pages, more with larger pages. */
export function hugePmdSize(): number {
  try {
    return Number(readFileSync(PMD_SIZE_FILE, "utf8").trim());
  } catch (e) {
    throw new ResourceUnavailable("the kernel reports no transparent hugepage size", `${PMD_SIZE_FILE}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
