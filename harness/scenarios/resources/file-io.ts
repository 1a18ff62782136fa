// SPDX-License-Identifier: GPL-2.0-only
// A regular file set up for one read or write, with what it held before the
// call (content, size, offset), and the claims the read and write specs make
// about the offset and the data, observed from user space. Every probe
// judges the call by what it returned: "advanced by the number of bytes
// read" means by 0 after a failure, so a failing call must leave the offset
// and the content as they were (failure atomicity) by the same claim.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentArch } from "../../kernel/arch.js";
import { Mapping, PAGE_SIZE } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { rawSyscall, syscall, check, type SyscallResult } from "../../kernel/syscall.js";
import { describeResult } from "../../run/expectation.js";
import { ResourceUnavailable } from "../errors.js";
import type { ClaimProbe, FactObservation } from "../scenario.js";
import { fileOffset, oflags, openFd, sealedMemfd } from "./fds.js";
import { tempDirectory } from "./files.js";

export const FILE_CONTENT = Buffer.from("kapi-conform: sixteen+ bytes of known file content\n");

export interface FileIo {
  path: string;
  fd: number;
  /** The user buffer the call reads into or writes from. */
  buf: Mapping;
  count: number;
  /** Offset of the buffer inside its mapping (misaligned buffers). */
  bufOffset: number;
  offsetBefore: bigint;
  contentBefore: Buffer;
  append: boolean;
}

/** A file with FILE_CONTENT (or `content`) in a fresh directory (or `dir`), opened with `flags`, a buffer of `count` bytes. */
export function fileIo(scope: ResourceScope, o: { flags: number; count: number; content?: Buffer; dir?: string; offset?: bigint; bufOffset?: number; fill?: number }): FileIo {
  const path = join(o.dir ?? tempDirectory(scope), "data");
  const content = o.content ?? FILE_CONTENT;
  writeFileSync(path, content);
  const fd = openFd(scope, path, o.flags);
  const buf = scope.add(Mapping.map(Math.max(4096, o.count + (o.bufOffset ?? 0))));
  buf.fill(o.fill ?? 0x5a);
  if (o.offset !== undefined) check("lseek", syscall("lseek", fd, o.offset, 0), `offset ${o.offset}`);
  return { path, fd, buf, count: o.count, bufOffset: o.bufOffset ?? 0, offsetBefore: o.offset ?? 0n, contentBefore: readFileSync(path), append: (o.flags & oflags("O_APPEND")) !== 0 };
}

const done = (call: SyscallResult): number => (call.errno === undefined ? Number(call.ret) : 0);

/** Where the call's bytes go (write) or come from (read): the end for O_APPEND writes, else the offset. */
const position = (s: FileIo): number => (s.append ? s.contentBefore.length : Number(s.offsetBefore));

export const OFFSET_ADVANCED: ClaimProbe<FileIo> = {
  claim: "the file offset advances by exactly the count returned (not at all when the call fails)",
  says: ["offset advanced by number of bytes read", "offset advanced by number of bytes written", "f_pos advanced by number bytes"],
  opposite: ["offset is not advanced", "offset is not modified", "offset unchanged"],
  observe: (s, call) => {
    const after = fileOffset(s.fd);
    const expected = (call.errno === undefined ? (s.append ? BigInt(s.contentBefore.length) : s.offsetBefore) : s.offsetBefore) + BigInt(done(call));
    return { holds: after === expected, facts: { offsetBefore: String(s.offsetBefore), offsetAfter: String(after), returned: describeResult(call) }, detail: `offset ${s.offsetBefore} before, ${after} after; the call returned ${describeResult(call)}` };
  },
};

export const READ_FILLS_BUFFER: ClaimProbe<FileIo> = {
  claim: "the buffer holds the file's bytes at the offset, as many as returned; nothing beyond them is written",
  says: ["returns number of bytes read"],
  opposite: ["buffer is not written"],
  observe: (s, call) => {
    const n = done(call);
    const got = s.buf.read(s.bufOffset, s.count);
    const want = s.contentBefore.subarray(Number(s.offsetBefore), Number(s.offsetBefore) + n);
    const filled = got.subarray(0, n).equals(want);
    const untouched = got.subarray(n).every((b) => b === 0x5a);
    return { holds: filled && untouched, facts: { returned: n, filled, restUntouched: untouched }, detail: `${n} bytes returned; buffer ${filled ? "holds" : "does not hold"} the file's bytes, the rest ${untouched ? "untouched" : "written"}` };
  },
};

export const WRITE_STORES_BYTES: ClaimProbe<FileIo> = {
  claim: "the file holds exactly the buffer's first (count returned) bytes at the write position, and nothing else changed",
  says: ["modifies file's data content", "returns number of bytes written"],
  opposite: ["file data is not modified"],
  observe: (s, call) => {
    const n = done(call);
    const after = readFileSync(s.path);
    const at = position(s);
    const bytes = s.buf.read(s.bufOffset, n);
    // Nothing written (a failure, or count 0): the old content exactly; no hole is made.
    const expected = n === 0 ? s.contentBefore : Buffer.alloc(Math.max(s.contentBefore.length, at + n));
    if (n > 0) {
      s.contentBefore.copy(expected);
      bytes.copy(expected, at);
    }
    const holds = after.equals(expected);
    return { holds, facts: { returned: n, sizeBefore: s.contentBefore.length, sizeAfter: after.length, at }, detail: `${n} bytes returned, written at ${at}; the file (${s.contentBefore.length} -> ${after.length} bytes) ${holds ? "holds exactly those bytes" : "differs from the old content with those bytes"}` };
  },
};

export const APPENDS_AT_END: ClaimProbe<FileIo> = {
  claim: "with O_APPEND the data goes to the end of the file, and the offset ends after it",
  says: ["O_APPEND f_pos first set file size"],
  observe: (s, call) => {
    const after = readFileSync(s.path);
    const n = done(call);
    const offset = fileOffset(s.fd);
    const holds = n > 0 && after.length === s.contentBefore.length + n && offset === BigInt(after.length);
    return { holds, facts: { sizeBefore: s.contentBefore.length, sizeAfter: after.length, offsetAfter: String(offset) }, detail: `size ${s.contentBefore.length} -> ${after.length}, offset ${s.offsetBefore} -> ${offset}` };
  },
};

export const COUNT_ZERO: ClaimProbe<FileIo> = {
  claim: "a count of 0 returns 0 and transfers nothing",
  says: ["count of 0 returns immediately with 0", "count of 0 returns 0"],
  observe: (s, call): FactObservation => {
    const offset = fileOffset(s.fd);
    const holds = call.ret === 0n && offset === s.offsetBefore && readFileSync(s.path).equals(s.contentBefore);
    return { holds, facts: { returned: describeResult(call), offsetAfter: String(offset) }, detail: `returned ${describeResult(call)}; offset ${s.offsetBefore} -> ${offset}` };
  },
};

export const ZERO_AT_EOF: ClaimProbe<FileIo> = {
  claim: "a read at end of file returns 0",
  says: ["zero indicates end-of-file"],
  observe: (_s, call) => ({ holds: call.ret === 0n && call.errno === undefined, facts: { returned: describeResult(call) }, detail: `a read at end of file returned ${describeResult(call)}` }),
};

/** A memfd (shmem: its maximum file size is LLONG_MAX) with FILE_CONTENT, at `offset`, read and written through /proc/self/fd. */
export function memfdIo(scope: ResourceScope, o: { count: number; offset: bigint; seals?: Parameters<typeof sealedMemfd>[2] }): FileIo {
  const fd = sealedMemfd(scope, FILE_CONTENT, o.seals ?? []);
  const buf = scope.add(Mapping.map(Math.max(4096, o.count)));
  buf.fill(0x5a);
  check("lseek", syscall("lseek", fd, o.offset, 0), `memfd offset ${o.offset}`);
  return { path: `/proc/self/fd/${fd}`, fd, buf, count: o.count, bufOffset: 0, offsetBefore: o.offset, contentBefore: Buffer.from(FILE_CONTENT), append: false };
}

/** struct statx's stx_dio_mem_align (u32 at 0x98), STATX_DIOALIGN. */
const STATX_DIOALIGN = 0x2000;

/** The memory alignment O_DIRECT needs for the regular file `path`; a skip when it needs none or cannot say. */
export function directIoAlignment(scope: ResourceScope, path: string): number {
  const stx = scope.add(Mapping.map(256));
  const name = scope.add(Mapping.map(path.length + 1));
  name.write(0, Buffer.from(`${path}\0`));
  const r = syscall("statx", -100, name.address, 0, STATX_DIOALIGN, stx.address);
  const mask = r.errno ? 0 : stx.readU32(0);
  const align = stx.readU32(0x98);
  if (r.errno || (mask & STATX_DIOALIGN) === 0 || align === 0) throw new ResourceUnavailable("the filesystem does not support O_DIRECT", `statx STATX_DIOALIGN on ${path}: ${r.errno ?? `mask 0x${mask.toString(16)}, dio_mem_align ${align}`}`);
  if (align <= 1) throw new ResourceUnavailable("the filesystem imposes no O_DIRECT buffer alignment", `dio_mem_align ${align} on ${path}`);
  return align;
}

// timerfd_create is outside the arch tables; for fds whose file has no read/write method.
const TIMERFD_CREATE: Partial<Record<string, number>> = { x86_64: 283, arm64: 85, riscv64: 85 };

function rawFd(scope: ResourceScope, table: Partial<Record<string, number>>, name: string, ...args: number[]): number {
  const nr = table[currentArch()];
  if (nr === undefined) throw new ResourceUnavailable(`no ${name} number for this arch in kapi-conform`, currentArch());
  const fd = Number(check(name, rawSyscall(nr, ...args)));
  scope.defer(() => void syscall("close", fd));
  return fd;
}

/** An epoll instance: a file with neither read nor write methods. */
export function epollFd(scope: ResourceScope): number {
  const fd = Number(check("epoll_create1", syscall("epoll_create1", 0)));
  scope.defer(() => void syscall("close", fd));
  return fd;
}

/** A timerfd (CLOCK_MONOTONIC): reads need an 8-byte buffer. */
export const timerFd = (scope: ResourceScope): number => rawFd(scope, TIMERFD_CREATE, "timerfd_create", 1, 0);

/** include/linux/fs.h: #define MAX_RW_COUNT (INT_MAX & PAGE_MASK), the most one read or write transfers. */
export const MAX_RW_COUNT = BigInt(0x7fffffff & ~(PAGE_SIZE - 1));

/** A regular file opened O_DIRECT with `access`, the buffer one byte past the filesystem's O_DIRECT alignment. */
export function misalignedDirectIo(scope: ResourceScope, access: "O_RDONLY" | "O_RDWR"): FileIo {
  const dir = tempDirectory(scope);
  writeFileSync(join(dir, "data"), "");
  const align = directIoAlignment(scope, join(dir, "data"));
  return fileIo(scope, { flags: oflags(access, "O_DIRECT"), count: Math.max(align, 4096), dir, bufOffset: 1, content: Buffer.alloc(8192, 0x61) });
}
