// SPDX-License-Identifier: GPL-2.0-only
// libaio (libaio.so.1), the userspace library most AIO users call instead of
// raw syscalls. It is optional: a fresh machine lacks it, so loading reports
// why it is unavailable instead of throwing. Unlike syscall(), its wrappers
// return the negative errno directly (io_cancel -> -14 for EFAULT) and leave
// errno alone. Note libaio's io_getevents may answer from the ring in user
// memory without entering the kernel (zero timeout, valid ring magic).
import { existsSync } from "node:fs";
import { DataType, load, open } from "ffi-rs";
import { glibcExports } from "./libc.js";

export { glibcExports };

export interface Libaio {
  available: true;
  /** The path that was opened. */
  path: string;
  /** io_setup(maxevents, ctxp): 0 or -errno; the context id is written at ctxpAddress (which must hold 0). */
  ioSetup(maxEvents: number, ctxpAddress: bigint): bigint;
  ioDestroy(ctx: bigint): bigint;
  ioSubmit(ctx: bigint, nr: number, iocbppAddress: bigint): bigint;
  /** io_cancel(ctx, iocb, result): the raw int return, -errno on failure. */
  ioCancel(ctx: bigint, iocb: bigint, result: bigint): bigint;
  ioGetevents(ctx: bigint, minNr: number, nr: number, eventsAddress: bigint, timeoutAddress: bigint): bigint;
}

export interface LibaioUnavailable {
  available: false;
  reason: string;
}

/** Sonames to try: Debian's libaio1, and libaio1t64 (time64 transition, trixie and later). */
export const LIBAIO_SONAMES: readonly string[] = ["libaio.so.1", "libaio.so.1t64"];

let loaded: Libaio | LibaioUnavailable | undefined;

/** Where the dynamic linker would find a soname on common multiarch layouts (for the skip reason). */
function candidatePaths(soname: string): string[] {
  const dirs = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib/riscv64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib"];
  return dirs.map((d) => `${d}/${soname}`).filter((p) => existsSync(p));
}

function bind(path: string): Libaio {
  // One ffi-rs key per path, so a failed attempt never disturbs a library already bound.
  const library = `kapi-conform:libaio:${path}`;
  open({ library, path });
  const call = (funcName: string, paramsType: DataType[], paramsValue: unknown[]): bigint => {
    const ret = load({ library, funcName, retType: DataType.I32, paramsType, paramsValue });
    return BigInt(ret);
  };
  const B = DataType.BigInt;
  return {
    available: true,
    path,
    ioSetup: (maxEvents, ctxp) => call("io_setup", [DataType.I32, B], [maxEvents, ctxp]),
    ioDestroy: (ctx) => call("io_destroy", [B], [ctx]),
    ioSubmit: (ctx, nr, iocbpp) => call("io_submit", [B, B, B], [ctx, BigInt(nr), iocbpp]),
    ioCancel: (ctx, iocb, result) => call("io_cancel", [B, B, B], [ctx, iocb, result]),
    ioGetevents: (ctx, minNr, nr, events, timeout) => call("io_getevents", [B, B, B, B, B], [ctx, BigInt(minNr), BigInt(nr), events, timeout]),
  };
}

/** Tries each soname in turn, uncached (loadLibaio() is the cached entry point). */
export function tryLoadLibaio(sonames: readonly string[] = LIBAIO_SONAMES): Libaio | LibaioUnavailable {
  const failures: string[] = [];
  for (const soname of sonames) {
    // Prefer a path we can see; fall back to the bare soname for the linker's own search.
    for (const path of [...candidatePaths(soname), soname]) {
      try {
        return bind(path);
      } catch (e) {
        failures.push(`${path}: ${e instanceof Error && e.message ? e.message : "cannot be opened"}`);
      }
    }
  }
  return { available: false, reason: `libaio is not installed (tried ${failures.join("; ")}); on Debian: apt-get install libaio1 (or libaio1t64)` };
}

/** Binds libaio once; later calls return the same answer. */
export function loadLibaio(): Libaio | LibaioUnavailable {
  loaded ??= tryLoadLibaio();
  return loaded;
}
