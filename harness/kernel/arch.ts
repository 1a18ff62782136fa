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
// - "fcntl" (55), "fstat" (108), "ftruncate" (93) and "getrlimit" (76) are the
//   old 32-bit forms that libc's SYS_* names; fcntl64, fstat64, ftruncate64 and
//   ugetrlimit are their wide siblings.
//
// A syscall an arch does not have (open and unlink on the generic table) is
// absent from its table; syscallNumber() then throws SyscallNotOnArchError,
// naming what to call instead, which a suite reports as a skip.

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

/** Every syscall some table names; an arch may lack some (see NOT_ON_ARCH). */
export const SYSCALL_NAMES = [
  "close",
  "dup",
  "dup3",
  "eventfd2",
  "fcntl",
  "fgetxattr",
  "fremovexattr",
  "fsetxattr",
  "fstat",
  "fsync",
  "ftruncate",
  "getcpu",
  "getpid",
  "getppid",
  "getrlimit",
  "gettid",
  "getxattr",
  "io_cancel",
  "io_destroy",
  "io_getevents",
  "io_pgetevents",
  "io_setup",
  "io_submit",
  "kill",
  "lgetxattr",
  "lremovexattr",
  "lseek",
  "lsetxattr",
  "madvise",
  "memfd_create",
  "mincore",
  "mkdirat",
  "mmap",
  "mount",
  "mprotect",
  "mremap",
  "munmap",
  "newfstatat",
  "open",
  "openat",
  "pipe2",
  "pread64",
  "prlimit64",
  "process_vm_readv",
  "process_vm_writev",
  "pwrite64",
  "read",
  "removexattr",
  "rt_sigaction",
  "sched_getaffinity",
  "sched_setaffinity",
  "setresgid",
  "setresuid",
  "setrlimit",
  "setxattr",
  "socketpair",
  "statx",
  "symlinkat",
  "tgkill",
  "umount2",
  "unlink",
  "unlinkat",
  "write",
] as const;

export type SyscallName = (typeof SYSCALL_NAMES)[number];

type SyscallTable = Readonly<Partial<Record<SyscallName, number>>>;

/** arm64 and riscv64 share include/uapi/asm-generic/unistd.h for these calls (64-bit: fstat, newfstatat, getrlimit, setrlimit are in). */
const ASM_GENERIC: SyscallTable = {
  io_setup: 0,
  io_destroy: 1,
  io_submit: 2,
  io_cancel: 3,
  io_getevents: 4,
  setxattr: 5,
  lsetxattr: 6,
  fsetxattr: 7,
  getxattr: 8,
  lgetxattr: 9,
  fgetxattr: 10,
  removexattr: 14,
  lremovexattr: 15,
  fremovexattr: 16,
  eventfd2: 19,
  dup: 23,
  dup3: 24,
  fcntl: 25,
  mkdirat: 34,
  unlinkat: 35,
  symlinkat: 36,
  umount2: 39,
  mount: 40,
  ftruncate: 46,
  openat: 56,
  close: 57,
  pipe2: 59,
  lseek: 62,
  read: 63,
  write: 64,
  pread64: 67,
  pwrite64: 68,
  newfstatat: 79,
  fstat: 80,
  fsync: 82,
  kill: 129,
  tgkill: 131,
  sched_setaffinity: 122,
  sched_getaffinity: 123,
  setresuid: 147,
  setresgid: 149,
  rt_sigaction: 134,
  getrlimit: 163,
  getcpu: 168,
  setrlimit: 164,
  getpid: 172,
  getppid: 173,
  gettid: 178,
  socketpair: 199,
  munmap: 215,
  mremap: 216,
  mmap: 222,
  mprotect: 226,
  mincore: 232,
  madvise: 233,
  prlimit64: 261,
  process_vm_readv: 270,
  process_vm_writev: 271,
  memfd_create: 279,
  statx: 291,
  io_pgetevents: 292,
};

export const SYSCALL_NUMBERS: Readonly<Record<Arch, SyscallTable>> = {
  x86_64: {
    read: 0,
    write: 1,
    open: 2,
    close: 3,
    fstat: 5,
    lseek: 8,
    mmap: 9,
    mprotect: 10,
    munmap: 11,
    rt_sigaction: 13,
    pread64: 17,
    pwrite64: 18,
    mremap: 25,
    mincore: 27,
    madvise: 28,
    dup: 32,
    getpid: 39,
    socketpair: 53,
    kill: 62,
    fcntl: 72,
    fsync: 74,
    ftruncate: 77,
    unlink: 87,
    getrlimit: 97,
    getppid: 110,
    setrlimit: 160,
    mount: 165,
    umount2: 166,
    gettid: 186,
    sched_setaffinity: 203,
    sched_getaffinity: 204,
    getcpu: 309,
    setxattr: 188,
    lsetxattr: 189,
    fsetxattr: 190,
    getxattr: 191,
    lgetxattr: 192,
    fgetxattr: 193,
    removexattr: 197,
    lremovexattr: 198,
    fremovexattr: 199,
    io_setup: 206,
    io_destroy: 207,
    io_getevents: 208,
    io_submit: 209,
    io_cancel: 210,
    tgkill: 234,
    setresuid: 117,
    setresgid: 119,
    openat: 257,
    mkdirat: 258,
    newfstatat: 262,
    unlinkat: 263,
    symlinkat: 266,
    eventfd2: 290,
    dup3: 292,
    pipe2: 293,
    prlimit64: 302,
    process_vm_readv: 310,
    process_vm_writev: 311,
    memfd_create: 319,
    statx: 332,
    io_pgetevents: 333,
  },
  i386: {
    read: 3,
    write: 4,
    open: 5,
    close: 6,
    unlink: 10,
    lseek: 19,
    getpid: 20,
    mount: 21,
    kill: 37,
    dup: 41,
    umount2: 52,
    fcntl: 55, // fcntl64 is 221
    getppid: 64,
    setrlimit: 75,
    getrlimit: 76, // old getrlimit (ugetrlimit is 191)
    munmap: 91,
    ftruncate: 93, // 32-bit length; ftruncate64 is 194
    fstat: 108, // old struct stat; fstat64 is 197
    fsync: 118,
    mprotect: 125,
    mremap: 163,
    rt_sigaction: 174,
    pread64: 180,
    pwrite64: 181,
    mmap: 192, // mmap2: offset in pages
    mincore: 218,
    madvise: 219,
    gettid: 224,
    sched_setaffinity: 241,
    sched_getaffinity: 242,
    getcpu: 318,
    setxattr: 226,
    lsetxattr: 227,
    fsetxattr: 228,
    getxattr: 229,
    lgetxattr: 230,
    fgetxattr: 231,
    removexattr: 235,
    lremovexattr: 236,
    fremovexattr: 237,
    io_setup: 245,
    io_destroy: 246,
    io_getevents: 247,
    io_submit: 248,
    io_cancel: 249,
    tgkill: 270,
    setresuid: 208, // setresuid32: 32-bit ids
    setresgid: 210, // setresgid32
    openat: 295,
    mkdirat: 296,
    unlinkat: 301,
    symlinkat: 304,
    eventfd2: 328,
    dup3: 330,
    pipe2: 331,
    prlimit64: 340,
    process_vm_readv: 347,
    process_vm_writev: 348,
    memfd_create: 356,
    socketpair: 360,
    statx: 383,
    io_pgetevents: 385,
  },
  arm64: ASM_GENERIC,
  riscv64: ASM_GENERIC,
};

/**
 * Syscalls an arch's table lacks on purpose, with what a suite uses there
 * instead. The generic table (arm64, riscv64) has only the *at forms;
 * i386 has fstatat64 (old stat layout) where x86_64 has newfstatat.
 */
export const NOT_ON_ARCH: Readonly<Record<Arch, Readonly<Partial<Record<SyscallName, string>>>>> = {
  x86_64: {},
  i386: { newfstatat: "statx (i386 has only fstatat64, with the 32-bit stat64 layout)" },
  arm64: { open: "openat(AT_FDCWD, ...)", unlink: "unlinkat(AT_FDCWD, path, 0)" },
  riscv64: { open: "openat(AT_FDCWD, ...)", unlink: "unlinkat(AT_FDCWD, path, 0)" },
};

/** A syscall that does not exist on an arch; `instead` says what a suite calls there. A suite turns it into a skip with `message`. */
export class SyscallNotOnArchError extends Error {
  override name = "SyscallNotOnArchError";
  constructor(
    readonly syscall: string,
    readonly arch: Arch,
    readonly instead: string | undefined,
  ) {
    super(`syscall ${syscall} does not exist on ${arch}${instead ? `: use ${instead}` : ""}`);
  }
}

/** The number of `name` on `arch`; SyscallNotOnArchError when that arch has no such call. */
export function syscallNumber(name: SyscallName, arch: Arch = currentArch()): number {
  const nr = SYSCALL_NUMBERS[arch][name];
  if (nr === undefined) throw new SyscallNotOnArchError(name, arch, NOT_ON_ARCH[arch][name]);
  return nr;
}

/** Whether `name` exists on `arch` (a suite can test before building its cases). */
export function hasSyscall(name: SyscallName, arch: Arch = currentArch()): boolean {
  return SYSCALL_NUMBERS[arch][name] !== undefined;
}

/** Whether a string names a syscall some table knows (for names read from spec files). */
export function isSyscallName(name: string): name is SyscallName {
  return (SYSCALL_NAMES as readonly string[]).includes(name);
}
