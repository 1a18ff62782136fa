// SPDX-License-Identifier: GPL-2.0-only
// Kernel ABI constants per arch: what a raw syscall sees, from the kernel's
// uapi headers (not glibc's, which differ where the kernel does: O_LARGEFILE
// is 0 in glibc on 64-bit arches but 0100000 in the kernel, which reports it
// in F_GETFL).
//
//   constant("O_DIRECTORY")            -> 0o200000 on x86_64, 0o40000 on arm64
//   constant("MAP_32BIT", "arm64")     -> throws ConstantNotOnArchError
//   constantGroup("madvise")           -> { MADV_NORMAL: 0, ... } for the running arch
//   isConstantName(word)               -> narrows a name read from spec text
//   constantByName("O_CREAT")          -> 64; UnknownConstantError for a name no table has
//   CONSTANT_SINCE.MFD_EXEC            -> "6.3" (older kernels reject it)
//
// Sources: include/uapi/asm-generic/{fcntl,mman-common,mman,resource,signal}.h,
// include/uapi/linux/{fcntl,memfd,xattr,limits,aio_abi}.h, glibc's
// bits/eventfd.h (EFD_* are O_* values), and the arch overrides:
// arch/arm64/include/uapi/asm/{fcntl,mman,signal}.h, arch/x86/include/uapi/asm/mman.h.
// suites/kernel/constants.test.ts prints every constant from the installed
// headers with the C compiler and requires the running arch's table to agree.
import { currentArch, type Arch } from "./arch.js";
import { IOCB_CMD } from "./aio-abi.js";

const OPEN = {
  O_RDONLY: 0o0,
  O_WRONLY: 0o1,
  O_RDWR: 0o2,
  O_ACCMODE: 0o3,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_NOCTTY: 0o400,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_NONBLOCK: 0o4000,
  O_DSYNC: 0o10000,
  O_DIRECT: 0o40000,
  O_LARGEFILE: 0o100000,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_NOATIME: 0o1000000,
  O_CLOEXEC: 0o2000000,
  O_SYNC: 0o4010000, // __O_SYNC | O_DSYNC
  O_PATH: 0o10000000,
  O_TMPFILE: 0o20200000, // __O_TMPFILE | O_DIRECTORY
} as const;

/** arm64 moves four open flags (arch/arm64/include/uapi/asm/fcntl.h); O_TMPFILE carries O_DIRECTORY. */
const OPEN_ARM64: Partial<Record<keyof typeof OPEN, number>> = {
  O_DIRECTORY: 0o40000,
  O_NOFOLLOW: 0o100000,
  O_DIRECT: 0o200000,
  O_LARGEFILE: 0o400000,
  O_TMPFILE: 0o20040000,
};

const AT = {
  AT_FDCWD: -100,
  AT_SYMLINK_NOFOLLOW: 0x100,
  AT_REMOVEDIR: 0x200,
  AT_SYMLINK_FOLLOW: 0x400,
  AT_EMPTY_PATH: 0x1000,
} as const;

const MADVISE = {
  MADV_NORMAL: 0,
  MADV_RANDOM: 1,
  MADV_SEQUENTIAL: 2,
  MADV_WILLNEED: 3,
  MADV_DONTNEED: 4,
  MADV_FREE: 8,
  MADV_REMOVE: 9,
  MADV_DONTFORK: 10,
  MADV_DOFORK: 11,
  MADV_MERGEABLE: 12,
  MADV_UNMERGEABLE: 13,
  MADV_HUGEPAGE: 14,
  MADV_NOHUGEPAGE: 15,
  MADV_DONTDUMP: 16,
  MADV_DODUMP: 17,
  MADV_WIPEONFORK: 18,
  MADV_KEEPONFORK: 19,
  MADV_COLD: 20,
  MADV_PAGEOUT: 21,
  MADV_POPULATE_READ: 22,
  MADV_POPULATE_WRITE: 23,
  MADV_COLLAPSE: 25,
  MADV_HWPOISON: 100,
  MADV_SOFT_OFFLINE: 101,
} as const;

const XATTR = {
  XATTR_CREATE: 1,
  XATTR_REPLACE: 2,
  XATTR_NAME_MAX: 255,
  XATTR_SIZE_MAX: 65536,
  XATTR_LIST_MAX: 65536,
} as const;

const AIO = {
  IOCB_CMD_PREAD: IOCB_CMD.PREAD,
  IOCB_CMD_PWRITE: IOCB_CMD.PWRITE,
  IOCB_CMD_FSYNC: IOCB_CMD.FSYNC,
  IOCB_CMD_FDSYNC: IOCB_CMD.FDSYNC,
  IOCB_CMD_POLL: IOCB_CMD.POLL,
  IOCB_CMD_NOOP: IOCB_CMD.NOOP,
  IOCB_CMD_PREADV: IOCB_CMD.PREADV,
  IOCB_CMD_PWRITEV: IOCB_CMD.PWRITEV,
  IOCB_FLAG_RESFD: 1,
  IOCB_FLAG_IOPRIO: 2,
} as const;

const PROT = {
  PROT_NONE: 0,
  PROT_READ: 1,
  PROT_WRITE: 2,
  PROT_EXEC: 4,
  PROT_SEM: 8,
  PROT_BTI: 0x10, // arm64 only
  PROT_MTE: 0x20, // arm64 only
  PROT_GROWSDOWN: 0x01000000,
  PROT_GROWSUP: 0x02000000,
} as const;

const MAP = {
  MAP_SHARED: 0x01,
  MAP_PRIVATE: 0x02,
  MAP_SHARED_VALIDATE: 0x03,
  MAP_FIXED: 0x10,
  MAP_ANONYMOUS: 0x20,
  MAP_32BIT: 0x40, // x86 only
  MAP_GROWSDOWN: 0x100,
  MAP_DENYWRITE: 0x800,
  MAP_EXECUTABLE: 0x1000,
  MAP_LOCKED: 0x2000,
  MAP_NORESERVE: 0x4000,
  MAP_POPULATE: 0x8000,
  MAP_NONBLOCK: 0x10000,
  MAP_STACK: 0x20000,
  MAP_HUGETLB: 0x40000,
  MAP_SYNC: 0x80000,
  MAP_FIXED_NOREPLACE: 0x100000,
} as const;

const FCNTL = {
  F_DUPFD: 0,
  F_GETFD: 1,
  F_SETFD: 2,
  F_GETFL: 3,
  F_SETFL: 4,
  F_GETLK: 5,
  F_SETLK: 6,
  F_SETLKW: 7,
  F_SETOWN: 8,
  F_GETOWN: 9,
  F_SETSIG: 10,
  F_GETSIG: 11,
  F_SETOWN_EX: 15,
  F_GETOWN_EX: 16,
  F_OFD_GETLK: 36,
  F_OFD_SETLK: 37,
  F_OFD_SETLKW: 38,
  F_SETLEASE: 1024,
  F_GETLEASE: 1025,
  F_NOTIFY: 1026,
  F_DUPFD_CLOEXEC: 1030,
  F_SETPIPE_SZ: 1031,
  F_GETPIPE_SZ: 1032,
  F_ADD_SEALS: 1033,
  F_GET_SEALS: 1034,
  FD_CLOEXEC: 1,
} as const;

const SEAL = {
  F_SEAL_SEAL: 0x01,
  F_SEAL_SHRINK: 0x02,
  F_SEAL_GROW: 0x04,
  F_SEAL_WRITE: 0x08,
  F_SEAL_FUTURE_WRITE: 0x10,
  F_SEAL_EXEC: 0x20,
} as const;

const MEMFD = {
  MFD_CLOEXEC: 0x1,
  MFD_ALLOW_SEALING: 0x2,
  MFD_HUGETLB: 0x4,
  MFD_NOEXEC_SEAL: 0x8,
  MFD_EXEC: 0x10,
} as const;

const EVENTFD = {
  EFD_SEMAPHORE: 1,
  EFD_CLOEXEC: OPEN.O_CLOEXEC,
  EFD_NONBLOCK: OPEN.O_NONBLOCK,
} as const;

const RLIMIT = {
  RLIMIT_CPU: 0,
  RLIMIT_FSIZE: 1,
  RLIMIT_DATA: 2,
  RLIMIT_STACK: 3,
  RLIMIT_CORE: 4,
  RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6,
  RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8,
  RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11,
  RLIMIT_MSGQUEUE: 12,
  RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14,
  RLIMIT_RTTIME: 15,
} as const;

/** Signals a suite raises (EINTR, SIGXFSZ on RLIMIT_FSIZE, SIGPIPE on a closed pipe) and sigaction flags. */
const SIGNAL = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGXFSZ: 25,
  SA_SIGINFO: 0x4,
  SA_RESTORER: 0x04000000, // x86 and arm64; riscv64 has none
  SA_RESTART: 0x10000000,
} as const;

const GROUPS = {
  open: OPEN,
  at: AT,
  madvise: MADVISE,
  xattr: XATTR,
  aio: AIO,
  prot: PROT,
  map: MAP,
  fcntl: FCNTL,
  seal: SEAL,
  memfd: MEMFD,
  eventfd: EVENTFD,
  rlimit: RLIMIT,
  signal: SIGNAL,
} as const;

type Groups = typeof GROUPS;
export type ConstantGroup = keyof Groups;
export type ConstantName = { [G in ConstantGroup]: keyof Groups[G] }[ConstantGroup] & string;

type ConstantTable = Readonly<Partial<Record<ConstantName, number>>>;

/** The names of each group, in header order (for probes over "every defined bit" and messages). */
export const CONSTANT_GROUPS: Readonly<Record<ConstantGroup, readonly ConstantName[]>> = Object.fromEntries(
  Object.entries(GROUPS).map(([g, values]) => [g, Object.keys(values) as ConstantName[]]),
) as Record<ConstantGroup, ConstantName[]>;

const GENERIC: Readonly<Record<string, number>> = Object.assign({}, ...Object.values(GROUPS)) as Record<string, number>;

/** Names each arch lacks: arch-specific bits of other arches. */
const ABSENT: Readonly<Record<Arch, readonly ConstantName[]>> = {
  x86_64: ["PROT_BTI", "PROT_MTE"],
  i386: ["PROT_BTI", "PROT_MTE"],
  arm64: ["MAP_32BIT"],
  riscv64: ["PROT_BTI", "PROT_MTE", "MAP_32BIT", "SA_RESTORER"],
};

function table(arch: Arch, overrides: ConstantTable = {}): ConstantTable {
  const t: Record<string, number> = { ...GENERIC, ...overrides };
  for (const name of ABSENT[arch]) delete t[name];
  return t;
}

export const CONSTANTS: Readonly<Record<Arch, ConstantTable>> = {
  x86_64: table("x86_64"),
  i386: table("i386"),
  arm64: table("arm64", OPEN_ARM64),
  riscv64: table("riscv64"),
};

/**
 * The kernel release that added a constant, for those newer than 5.10 (the
 * oldest kernel the suite expects): an older kernel or header set lacks them.
 */
export const CONSTANT_SINCE: Readonly<Partial<Record<ConstantName, string>>> = {
  MADV_POPULATE_READ: "5.14",
  MADV_POPULATE_WRITE: "5.14",
  MADV_COLLAPSE: "6.1",
  F_SEAL_EXEC: "6.3",
  MFD_NOEXEC_SEAL: "6.3",
  MFD_EXEC: "6.3",
};

/** A constant the arch does not define (MAP_32BIT on arm64); a suite turns it into a skip with `message`. */
export class ConstantNotOnArchError extends Error {
  override name = "ConstantNotOnArchError";
  constructor(
    readonly constant: string,
    readonly arch: Arch,
  ) {
    super(`constant ${constant} is not defined on ${arch}`);
  }
}

/** A name no arch's table knows (a typo, or a constant this table does not carry yet). */
export class UnknownConstantError extends Error {
  override name = "UnknownConstantError";
  constructor(readonly constant: string) {
    super(`unknown constant "${constant}": not in the constants table (harness/kernel/constants.ts)`);
  }
}

/** Whether a string (e.g. a word of spec text) names a constant of some arch's table. */
export function isConstantName(name: string): name is ConstantName {
  return Object.hasOwn(GENERIC, name);
}

/** The value of `name` on `arch` (default: the running one); ConstantNotOnArchError where the arch lacks it. */
export function constant(name: ConstantName, arch: Arch = currentArch()): number {
  const value = CONSTANTS[arch][name];
  if (value === undefined) throw new ConstantNotOnArchError(name, arch);
  return value;
}

/** The constants of one group that `arch` defines, name -> value, in header order. */
export function constantGroup(group: ConstantGroup, arch: Arch = currentArch()): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of CONSTANT_GROUPS[group]) {
    const value = CONSTANTS[arch][name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * The value of a constant named by a string (e.g. read from a spec) on `arch`
 * (default: the running one, UnsupportedArchError elsewhere):
 * UnknownConstantError for a name no table has, ConstantNotOnArchError where
 * the arch lacks it.
 */
export function constantByName(name: string, arch: Arch = currentArch()): number {
  if (!isConstantName(name)) throw new UnknownConstantError(name);
  return constant(name, arch);
}
