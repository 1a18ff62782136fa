// SPDX-License-Identifier: GPL-2.0-only
// The architectures the suite knows and their system call numbers.
//
// Numbers come from the public kernel tables: x86_64 from
// arch/x86/entry/syscalls/syscall_64.tbl, i386 from syscall_32.tbl, arm64 and
// riscv64 from include/uapi/asm-generic/unistd.h (both use the generic table;
// "mmap" and "lseek" are its __NR3264_ entries). They were cross-checked with
// the installed <asm/unistd_64.h>, <asm/unistd_32.h> and <asm-generic/unistd.h>,
// and on the live arch the ffi-vs-c self-check compares them with libc's SYS_*.
//
// i386 caveats (the table is kept so specs can name numbers; ffi-rs ships no
// i686 Linux build, so syscall() refuses to run there):
// - "mmap" is mmap2 (192): its last argument is an offset in pages, not bytes.
//   Number 90 is old_mmap, which takes a pointer to an argument block. Callers
//   here always pass offset 0, where both meanings agree.
// - "lseek" (19) takes a 32-bit offset; _llseek (140) is the 64-bit one.
// - "io_getevents" (247) is io_getevents_time32: its timespec has 32-bit fields.

export type Arch = "x86_64" | "arm64" | "riscv64" | "i386";

export const SUPPORTED_ARCHES: readonly Arch[] = ["x86_64", "arm64", "riscv64", "i386"];

/** Node's process.arch spelling of each supported architecture. */
const NODE_ARCH: Readonly<Record<string, Arch>> = { x64: "x86_64", arm64: "arm64", riscv64: "riscv64", ia32: "i386" };

export class UnsupportedArchError extends Error {
  override name = "UnsupportedArchError";
  constructor(readonly arch: string) {
    super(`unsupported architecture "${arch}": supported are ${SUPPORTED_ARCHES.join(", ")} (Node: ${Object.keys(NODE_ARCH).join(", ")})`);
  }
}

/** The running architecture; `nodeArch` is injectable so tests can feed a foreign one. */
export function currentArch(nodeArch: string = process.arch): Arch {
  const arch = NODE_ARCH[nodeArch];
  if (arch === undefined) throw new UnsupportedArchError(nodeArch);
  return arch;
}

/** Whether the arch passes syscall arguments in 64-bit registers (what syscall.ts requires). */
export function is64Bit(arch: Arch): boolean {
  return arch !== "i386";
}

export type SyscallName =
  | "io_setup"
  | "io_destroy"
  | "io_getevents"
  | "io_submit"
  | "io_cancel"
  | "io_pgetevents"
  | "mmap"
  | "munmap"
  | "mprotect"
  | "mremap"
  | "madvise"
  | "pipe2"
  | "read"
  | "write"
  | "close"
  | "lseek"
  | "openat"
  | "memfd_create"
  | "eventfd2"
  | "fsync"
  | "pread64"
  | "pwrite64"
  | "getpid"
  | "getppid"
  | "gettid"
  | "kill"
  | "process_vm_readv"
  | "process_vm_writev"
  | "prlimit64"
  | "fcntl";

/** arm64 and riscv64 share include/uapi/asm-generic/unistd.h for these calls. */
const ASM_GENERIC: Readonly<Record<SyscallName, number>> = {
  io_setup: 0,
  io_destroy: 1,
  io_submit: 2,
  io_cancel: 3,
  io_getevents: 4,
  eventfd2: 19,
  openat: 56,
  close: 57,
  pipe2: 59,
  lseek: 62,
  read: 63,
  write: 64,
  pread64: 67,
  pwrite64: 68,
  fsync: 82,
  kill: 129,
  getpid: 172,
  getppid: 173,
  gettid: 178,
  munmap: 215,
  mremap: 216,
  mmap: 222,
  mprotect: 226,
  madvise: 233,
  process_vm_readv: 270,
  process_vm_writev: 271,
  prlimit64: 261,
  memfd_create: 279,
  io_pgetevents: 292,
  fcntl: 25,
};

export const SYSCALL_NUMBERS: Readonly<Record<Arch, Readonly<Record<SyscallName, number>>>> = {
  x86_64: {
    read: 0,
    write: 1,
    close: 3,
    lseek: 8,
    mmap: 9,
    mprotect: 10,
    munmap: 11,
    pread64: 17,
    pwrite64: 18,
    mremap: 25,
    madvise: 28,
    getpid: 39,
    kill: 62,
    fsync: 74,
    getppid: 110,
    gettid: 186,
    io_setup: 206,
    io_destroy: 207,
    io_getevents: 208,
    io_submit: 209,
    io_cancel: 210,
    openat: 257,
    eventfd2: 290,
    pipe2: 293,
    process_vm_readv: 310,
    process_vm_writev: 311,
    prlimit64: 302,
    memfd_create: 319,
    io_pgetevents: 333,
    fcntl: 72,
  },
  i386: {
    read: 3,
    write: 4,
    close: 6,
    lseek: 19,
    getpid: 20,
    kill: 37,
    getppid: 64,
    munmap: 91,
    fsync: 118,
    mprotect: 125,
    mremap: 163,
    pread64: 180,
    pwrite64: 181,
    mmap: 192, // mmap2: offset in pages
    madvise: 219,
    gettid: 224,
    io_setup: 245,
    io_destroy: 246,
    io_getevents: 247,
    io_submit: 248,
    io_cancel: 249,
    openat: 295,
    eventfd2: 328,
    pipe2: 331,
    process_vm_readv: 347,
    process_vm_writev: 348,
    prlimit64: 340,
    memfd_create: 356,
    io_pgetevents: 385,
    fcntl: 55,
  },
  arm64: ASM_GENERIC,
  riscv64: ASM_GENERIC,
};

export function syscallNumber(name: SyscallName, arch: Arch = currentArch()): number {
  const nr = SYSCALL_NUMBERS[arch][name];
  // Only reachable when a caller bypasses the types (e.g. a name read from a spec file).
  if (nr === undefined) throw new RangeError(`no syscall "${name}" in the ${arch} table`);
  return nr;
}

/** Whether a string names a syscall in the table (for names read from spec files). */
export function isSyscallName(name: string): name is SyscallName {
  return Object.hasOwn(SYSCALL_NUMBERS.x86_64, name);
}
