// SPDX-License-Identifier: GPL-2.0-only
// Raw system calls through glibc's syscall(), so every argument and the
// return value cross as full 64-bit integers (ffi-rs DataType.BigInt):
// DataType.I64 would round through JS numbers above 2^53.
//
// The hot path allocates nothing but the result: one params object per arity,
// reused (ffi-rs reads it synchronously and keeps nothing), and errno read
// from this thread's errno cell through a view made once, instead of ffi-rs's
// `errno: true` (an object and an strerror string on every call). The cell is
// read right after load() returns, before any other FFI call or allocation of
// ours, so nothing of ours can overwrite it; suites/kernel/ffi-vs-c checks
// every errno the suites observe against C.
import { DataType, load } from "ffi-rs";
import { currentArch, is64Bit, syscallNumber, type Arch, type SyscallName } from "./arch.js";
import { errnoName } from "./errno.js";
import { asBigint, errnoCell, libc } from "./libc.js";

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
const MAX_ARGS = 6;

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
  return arg < 0n || arg > 0x7fffffffffffffffn ? BigInt.asIntN(64, arg) : arg;
}

interface SyscallParams {
  library: string;
  funcName: "syscall";
  retType: DataType.BigInt;
  paramsType: DataType[];
  paramsValue: bigint[];
}

/** Reused params objects, one per argument count (index = number of syscall arguments). */
let calls: SyscallParams[] | undefined;
let errno: Int32Array;
let arch: Arch;

function prepare(): SyscallParams[] {
  const a = currentArch();
  // On a 32-bit arch syscall() takes 32-bit longs; 64-bit BigInt arguments would be garbage.
  if (!is64Bit(a)) throw new Error(`raw syscalls need a 64-bit arch; ${a} passes 32-bit arguments`);
  arch = a;
  const library = libc();
  errno = errnoCell();
  calls = Array.from({ length: MAX_ARGS + 1 }, (_, n) => ({
    library,
    funcName: "syscall" as const,
    retType: DataType.BigInt as const,
    paramsType: Array<DataType>(n + 1).fill(DataType.BigInt),
    paramsValue: Array<bigint>(n + 1).fill(0n),
  }));
  return calls;
}

function invoke(nr: bigint, args: readonly SyscallArg[]): SyscallResult {
  if (args.length > MAX_ARGS) throw new RangeError(`a syscall takes at most ${MAX_ARGS} arguments, got ${args.length}`);
  const params = (calls ?? prepare())[args.length]!;
  const values = params.paramsValue;
  values[0] = nr;
  for (let i = 0; i < args.length; i++) values[i + 1] = register(args[i]!, i);
  const value = load(params);
  // Read before anything else runs. ffi-rs never clears errno, so it means
  // something only when libc reported failure (ret -1).
  const code = errno[0]!;
  const ret = asBigint(value, "syscall");
  return ret === -1n ? { ret, errno: errnoName(code, arch) } : { ret };
}

/** syscall(number, ...args) with a raw number, for numbers outside the table (e.g. an ENOSYS probe). */
export function rawSyscall(nr: number, ...args: SyscallArg[]): SyscallResult {
  return invoke(BigInt(nr), args);
}

const numbers = new Map<SyscallName, bigint>();

export function syscall(name: SyscallName, ...args: SyscallArg[]): SyscallResult {
  let nr = numbers.get(name);
  if (nr === undefined) {
    nr = BigInt(syscallNumber(name));
    numbers.set(name, nr);
  }
  return invoke(nr, args);
}

/** The return value of a call that must succeed; throws SyscallError otherwise. */
export function check(name: string, result: SyscallResult, context?: string): bigint {
  if (result.ret === -1n) throw new SyscallError(name, result.ret, result.errno, context);
  return result.ret;
}
