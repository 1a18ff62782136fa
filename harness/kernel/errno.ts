// SPDX-License-Identifier: GPL-2.0-only
// errno names and numbers. All four supported arches use
// include/uapi/asm-generic/errno-base.h and errno.h (alpha, mips, parisc and
// sparc diverge), but the tables are keyed per arch so a divergent one can be
// added without touching callers.
import { currentArch, type Arch } from "./arch.js";

/** Canonical name -> number, from asm-generic/errno-base.h (1..34) and errno.h (35..133). */
const ASM_GENERIC_ERRNO: ReadonlyArray<readonly [string, number]> = [
  ["EPERM", 1],
  ["ENOENT", 2],
  ["ESRCH", 3],
  ["EINTR", 4],
  ["EIO", 5],
  ["ENXIO", 6],
  ["E2BIG", 7],
  ["ENOEXEC", 8],
  ["EBADF", 9],
  ["ECHILD", 10],
  ["EAGAIN", 11],
  ["ENOMEM", 12],
  ["EACCES", 13],
  ["EFAULT", 14],
  ["ENOTBLK", 15],
  ["EBUSY", 16],
  ["EEXIST", 17],
  ["EXDEV", 18],
  ["ENODEV", 19],
  ["ENOTDIR", 20],
  ["EISDIR", 21],
  ["EINVAL", 22],
  ["ENFILE", 23],
  ["EMFILE", 24],
  ["ENOTTY", 25],
  ["ETXTBSY", 26],
  ["EFBIG", 27],
  ["ENOSPC", 28],
  ["ESPIPE", 29],
  ["EROFS", 30],
  ["EMLINK", 31],
  ["EPIPE", 32],
  ["EDOM", 33],
  ["ERANGE", 34],
  ["EDEADLK", 35],
  ["ENAMETOOLONG", 36],
  ["ENOLCK", 37],
  ["ENOSYS", 38],
  ["ENOTEMPTY", 39],
  ["ELOOP", 40],
  ["ENOMSG", 42],
  ["EIDRM", 43],
  ["ECHRNG", 44],
  ["EL2NSYNC", 45],
  ["EL3HLT", 46],
  ["EL3RST", 47],
  ["ELNRNG", 48],
  ["EUNATCH", 49],
  ["ENOCSI", 50],
  ["EL2HLT", 51],
  ["EBADE", 52],
  ["EBADR", 53],
  ["EXFULL", 54],
  ["ENOANO", 55],
  ["EBADRQC", 56],
  ["EBADSLT", 57],
  ["EBFONT", 59],
  ["ENOSTR", 60],
  ["ENODATA", 61],
  ["ETIME", 62],
  ["ENOSR", 63],
  ["ENONET", 64],
  ["ENOPKG", 65],
  ["EREMOTE", 66],
  ["ENOLINK", 67],
  ["EADV", 68],
  ["ESRMNT", 69],
  ["ECOMM", 70],
  ["EPROTO", 71],
  ["EMULTIHOP", 72],
  ["EDOTDOT", 73],
  ["EBADMSG", 74],
  ["EOVERFLOW", 75],
  ["ENOTUNIQ", 76],
  ["EBADFD", 77],
  ["EREMCHG", 78],
  ["ELIBACC", 79],
  ["ELIBBAD", 80],
  ["ELIBSCN", 81],
  ["ELIBMAX", 82],
  ["ELIBEXEC", 83],
  ["EILSEQ", 84],
  ["ERESTART", 85],
  ["ESTRPIPE", 86],
  ["EUSERS", 87],
  ["ENOTSOCK", 88],
  ["EDESTADDRREQ", 89],
  ["EMSGSIZE", 90],
  ["EPROTOTYPE", 91],
  ["ENOPROTOOPT", 92],
  ["EPROTONOSUPPORT", 93],
  ["ESOCKTNOSUPPORT", 94],
  ["EOPNOTSUPP", 95],
  ["EPFNOSUPPORT", 96],
  ["EAFNOSUPPORT", 97],
  ["EADDRINUSE", 98],
  ["EADDRNOTAVAIL", 99],
  ["ENETDOWN", 100],
  ["ENETUNREACH", 101],
  ["ENETRESET", 102],
  ["ECONNABORTED", 103],
  ["ECONNRESET", 104],
  ["ENOBUFS", 105],
  ["EISCONN", 106],
  ["ENOTCONN", 107],
  ["ESHUTDOWN", 108],
  ["ETOOMANYREFS", 109],
  ["ETIMEDOUT", 110],
  ["ECONNREFUSED", 111],
  ["EHOSTDOWN", 112],
  ["EHOSTUNREACH", 113],
  ["EALREADY", 114],
  ["EINPROGRESS", 115],
  ["ESTALE", 116],
  ["EUCLEAN", 117],
  ["ENOTNAM", 118],
  ["ENAVAIL", 119],
  ["EISNAM", 120],
  ["EREMOTEIO", 121],
  ["EDQUOT", 122],
  ["ENOMEDIUM", 123],
  ["EMEDIUMTYPE", 124],
  ["ECANCELED", 125],
  ["ENOKEY", 126],
  ["EKEYEXPIRED", 127],
  ["EKEYREVOKED", 128],
  ["EKEYREJECTED", 129],
  ["EOWNERDEAD", 130],
  ["ENOTRECOVERABLE", 131],
  ["ERFKILL", 132],
  ["EHWPOISON", 133],
  // Kernel-internal values (include/linux/errno.h). Userspace should never see
  // them; naming them lets a report say ERESTARTSYS rather than "errno 512".
  ["ERESTARTSYS", 512],
  ["ERESTARTNOINTR", 513],
  ["ERESTARTNOHAND", 514],
  ["ENOIOCTLCMD", 515],
  ["ERESTART_RESTARTBLOCK", 516],
  ["EPROBE_DEFER", 517],
  ["EOPENSTALE", 518],
  ["ENOPARAM", 519],
  ["EBADHANDLE", 521],
  ["ENOTSYNC", 522],
  ["EBADCOOKIE", 523],
  ["ENOTSUPP", 524],
  ["ETOOSMALL", 525],
  ["ESERVERFAULT", 526],
  ["EBADTYPE", 527],
  ["EJUKEBOX", 528],
  ["EIOCBQUEUED", 529],
  ["ERECALLCONFLICT", 530],
  ["ENOGRACE", 531],
];

/** Second names for a number: accepted by errnoNumber, never returned by errnoName. */
const ASM_GENERIC_ALIASES: ReadonlyArray<readonly [string, string]> = [
  ["EWOULDBLOCK", "EAGAIN"],
  ["EDEADLOCK", "EDEADLK"],
  // glibc's spelling (bits/errno.h); specs written from man pages use it.
  ["ENOTSUP", "EOPNOTSUPP"],
];

interface ErrnoTable {
  byName: ReadonlyMap<string, number>;
  byNumber: ReadonlyMap<number, string>;
}

function buildTable(names: ReadonlyArray<readonly [string, number]>, aliases: ReadonlyArray<readonly [string, string]>): ErrnoTable {
  const byName = new Map<string, number>();
  const byNumber = new Map<number, string>();
  for (const [name, n] of names) {
    byName.set(name, n);
    if (!byNumber.has(n)) byNumber.set(n, name);
  }
  for (const [alias, canonical] of aliases) {
    const n = byName.get(canonical);
    if (n === undefined) throw new Error(`errno alias ${alias} names unknown ${canonical}`);
    byName.set(alias, n);
  }
  return { byName, byNumber };
}

const GENERIC = buildTable(ASM_GENERIC_ERRNO, ASM_GENERIC_ALIASES);

export const ERRNO_TABLES: Readonly<Record<Arch, ErrnoTable>> = {
  x86_64: GENERIC,
  arm64: GENERIC,
  riscv64: GENERIC,
  i386: GENERIC,
};

/**
 * The canonical name of an errno ("EFAULT"). A number the table does not know
 * comes back as "errno <n>" (e.g. "errno 600"): a string that is visibly not a
 * symbol, so a report never invents a name and errnoNumber() rejects it.
 */
export function errnoName(n: number, arch: Arch = currentArch()): string {
  return ERRNO_TABLES[arch].byNumber.get(n) ?? `errno ${n}`;
}

/** The number of an errno name or alias; undefined for a name the table does not know. */
export function errnoNumber(name: string, arch: Arch = currentArch()): number | undefined {
  return ERRNO_TABLES[arch].byName.get(name);
}

/** Every canonical name, in number order. */
export function errnoNames(arch: Arch = currentArch()): string[] {
  return [...ERRNO_TABLES[arch].byNumber.entries()].sort((a, b) => a[0] - b[0]).map(([, name]) => name);
}
