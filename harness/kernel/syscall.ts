// SPDX-License-Identifier: GPL-2.0-only
// Raw system calls through glibc's syscall(), so every argument and the
// return value cross as full 64-bit integers (ffi-rs DataType.BigInt):
// DataType.I64 would round through JS numbers above 2^53.
import { DataType, load } from "ffi-rs";
import { currentArch, is64Bit, syscallNumber, type Arch, type SyscallName } from "./arch.js";
import { errnoName } from "./errno.js";
import { asBigint, libc } from "./libc.js";

export interface SyscallResult {
  /** What syscall() returned: the kernel's value, or -1 when the kernel returned -errno. */
  ret: bigint;
  /** The errno NAME (e.g. "EFAULT"), present only when ret === -1n. */
  errno?: string;
}

/** A call the harness needed to succeed failed; `errno` is the name, as in SyscallResult. */
export class SyscallError extends Error {
  override name = "SyscallError";
  constructor(
    readonly syscall: string,
    readonly ret: bigint,
    readonly errno: string | undefined,
    context?: string,
  ) {
    super(`${syscall}${context ? ` (${context})` : ""} failed: ret ${ret}${errno ? ` ${errno}` : ""}`);
  }
}

export type SyscallArg = bigint | number;

const U64_LIMIT = 1n << 64n;
const I64_MIN = -(1n << 63n);

/**
 * One argument as the 64-bit register value. Numbers must be safe integers;
 * bigints may be given signed (-1n) or unsigned (2n ** 64n - 1n): both are the
 * same register bits.
 */
function register(arg: SyscallArg, index: number): bigint {
  if (typeof arg === "number") {
    if (!Number.isSafeInteger(arg)) throw new RangeError(`syscall argument ${index} (${arg}) is not a safe integer; pass a bigint`);
    return BigInt(arg);
  }
  if (arg < I64_MIN || arg >= U64_LIMIT) throw new RangeError(`syscall argument ${index} (${arg}) does not fit in 64 bits`);
  return BigInt.asIntN(64, arg);
}

// Reused per arity so a call allocates no type array.
const PARAM_TYPES: DataType[][] = Array.from({ length: 8 }, (_, n) => Array<DataType>(n).fill(DataType.BigInt));

let checkedArch: Arch | undefined;

/** syscall(number, ...args) with a raw number, for numbers outside the table (e.g. an ENOSYS probe). */
export function rawSyscall(nr: number, ...args: SyscallArg[]): SyscallResult {
  if (checkedArch === undefined) {
    const arch = currentArch();
    // On a 32-bit arch syscall() takes 32-bit longs; 64-bit BigInt arguments would be garbage.
    if (!is64Bit(arch)) throw new Error(`raw syscalls need a 64-bit arch; ${arch} passes 32-bit arguments`);
    checkedArch = arch;
  }
  if (args.length > 6) throw new RangeError(`a syscall takes at most 6 arguments, got ${args.length}`);
  const values = [BigInt(nr), ...args.map(register)];
  const paramsType = PARAM_TYPES[values.length] ?? values.map(() => DataType.BigInt);
  const r = load({ library: libc(), funcName: "syscall", retType: DataType.BigInt, paramsType, paramsValue: values, errno: true as const });
  const ret = asBigint(r.value, "syscall");
  // ffi-rs never clears errno, so it means something only when libc reported failure.
  return ret === -1n ? { ret, errno: errnoName(r.errnoCode, checkedArch) } : { ret };
}

export function syscall(name: SyscallName, ...args: SyscallArg[]): SyscallResult {
  return rawSyscall(syscallNumber(name), ...args);
}

/** The return value of a call that must succeed; throws SyscallError otherwise. */
export function check(name: string, result: SyscallResult, context?: string): bigint {
  if (result.ret === -1n) throw new SyscallError(name, result.ret, result.errno, context);
  return result.ret;
}
