// SPDX-License-Identifier: GPL-2.0-only
// The one ffi-rs handle on glibc, opened lazily, and the few libc helpers the
// kernel layer needs besides syscall(): turning an address into a pointer
// ffi-rs can wrap, the page size, and symbol lookup without calling anything.
import { createExternalBuffer, DataType, load, open, type JsExternal } from "ffi-rs";

/** ffi-rs keys libraries by name; this one is private to the kernel layer. */
const LIBC = "kapi-conform:libc";
const LIBC_PATH = "libc.so.6";
let libcOpened = false;

export function libc(): string {
  if (!libcOpened) {
    open({ library: LIBC, path: LIBC_PATH });
    libcOpened = true;
  }
  return LIBC;
}

/** ffi-rs's BigInt return arrives typed as the BigInt wrapper; narrow it without `any`. */
export function asBigint(value: unknown, what: string): bigint {
  if (typeof value !== "bigint") throw new TypeError(`${what}: ffi-rs returned ${typeof value}, expected bigint`);
  return value;
}

/**
 * A JsExternal holding `address`. ffi-rs only makes Externals from return
 * values, so this calls memmove(address, address, 0): it copies nothing (no
 * access to the memory at all) and returns its first argument.
 */
export function externalAt(address: bigint): JsExternal {
  return load({
    library: libc(),
    funcName: "memmove",
    retType: DataType.External,
    paramsType: [DataType.BigInt, DataType.BigInt, DataType.BigInt],
    paramsValue: [address, address, 0n],
  });
}

/**
 * A zero-copy Buffer over foreign memory. Touching it after the memory is
 * unmapped or made inaccessible kills the process (SIGSEGV), so callers in
 * this layer keep such views private and check state before every access.
 */
export function unsafeView(address: bigint, length: number): Buffer {
  return createExternalBuffer(externalAt(address), length);
}

let errnoView: Int32Array | undefined;

/**
 * This thread's errno, as a live one-element view over glibc's thread-local
 * cell (__errno_location(), asked once: the address is fixed for the life of
 * the thread, and all of this layer's calls run on the calling JS thread).
 * Reading it costs no FFI call.
 */
export function errnoCell(): Int32Array {
  if (!errnoView) {
    const cell = load({ library: libc(), funcName: "__errno_location", retType: DataType.External, paramsType: [], paramsValue: [] });
    const bytes = createExternalBuffer(cell, 4);
    errnoView = new Int32Array(bytes.buffer, bytes.byteOffset, 1);
  }
  return errnoView;
}

export function getPageSize(): number {
  return load({ library: libc(), funcName: "getpagesize", retType: DataType.I32, paramsType: [], paramsValue: [] });
}

const RTLD_LAZY = 1n;
const RTLD_NOLOAD = 4n;

function callPointer(library: string, funcName: string, types: DataType[], values: unknown[]): bigint {
  return asBigint(load({ library, funcName, retType: DataType.BigInt, paramsType: types, paramsValue: values }), funcName);
}

/**
 * Whether the already-loaded shared object `soname` exports `symbol`, found
 * with dlopen(RTLD_NOLOAD) + dlsym: nothing is called, unlike an ffi-rs load,
 * which would call the function to find out. dlopen/dlsym live in libc.so.6
 * since glibc 2.34 (libdl.so.2 before).
 */
export function sharedObjectExports(soname: string, symbol: string): boolean {
  let dl = libc();
  try {
    callPointer(dl, "dlerror", [], []);
  } catch {
    dl = "kapi-conform:libdl";
    open({ library: dl, path: "libdl.so.2" });
  }
  const handle = callPointer(dl, "dlopen", [DataType.String, DataType.BigInt], [soname, RTLD_LAZY | RTLD_NOLOAD]);
  if (handle === 0n) throw new Error(`${soname} is not loaded in this process`);
  try {
    return callPointer(dl, "dlsym", [DataType.BigInt, DataType.String], [handle, symbol]) !== 0n;
  } finally {
    callPointer(dl, "dlclose", [DataType.BigInt], [handle]);
  }
}

/** Whether glibc (libc.so.6) exports `symbol`, e.g. false for "io_cancel": legacy AIO has no glibc wrapper. */
export function glibcExports(symbol: string): boolean {
  libc();
  return sharedObjectExports(LIBC_PATH, symbol);
}
