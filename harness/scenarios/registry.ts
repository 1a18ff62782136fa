// SPDX-License-Identifier: GPL-2.0-only
// The syscalls kapi-conform has scenario suites for. A suite is named by its
// module and export rather than held as an object, so that the isolated
// worker process can load the same suite (and tests can point at their own).
import type { SyscallSuite } from "./scenario.js";

export interface SuiteRef {
  syscall: string;
  /** file: URL of the compiled module. */
  module: string;
  exportName: string;
}

const XATTR_SUITE = new URL("./xattr/suite.js", import.meta.url).href;

const SUITES: SuiteRef[] = [
  { syscall: "io_cancel", module: new URL("./io_cancel/suite.js", import.meta.url).href, exportName: "ioCancelSuite" },
  { syscall: "open", module: new URL("./open/suite.js", import.meta.url).href, exportName: "openSuite" },
  { syscall: "close", module: new URL("./close/suite.js", import.meta.url).href, exportName: "closeSuite" },
  { syscall: "read", module: new URL("./read/suite.js", import.meta.url).href, exportName: "readSuite" },
  { syscall: "write", module: new URL("./write/suite.js", import.meta.url).href, exportName: "writeSuite" },
  { syscall: "io_setup", module: new URL("./io_setup/suite.js", import.meta.url).href, exportName: "ioSetupSuite" },
  { syscall: "io_destroy", module: new URL("./io_destroy/suite.js", import.meta.url).href, exportName: "ioDestroySuite" },
  { syscall: "io_submit", module: new URL("./io_submit/suite.js", import.meta.url).href, exportName: "ioSubmitSuite" },
  { syscall: "madvise", module: new URL("./madvise/suite.js", import.meta.url).href, exportName: "madviseSuite" },
  // One suite serves the three *setxattr variants.
  { syscall: "setxattr", module: XATTR_SUITE, exportName: "xattrSuite" },
  { syscall: "lsetxattr", module: XATTR_SUITE, exportName: "xattrSuite" },
  { syscall: "fsetxattr", module: XATTR_SUITE, exportName: "xattrSuite" },
];

export function suiteRefFor(syscall: string): SuiteRef | undefined {
  return SUITES.find((s) => s.syscall === syscall);
}

export function suiteNames(): string[] {
  return SUITES.map((s) => s.syscall);
}

export async function loadSuite(ref: SuiteRef): Promise<SyscallSuite> {
  const module = (await import(ref.module)) as Record<string, unknown>;
  const suite = module[ref.exportName] as SyscallSuite | undefined;
  if (!suite || !suite.syscalls.includes(ref.syscall)) throw new Error(`${ref.module} exports no ${ref.syscall} suite as ${ref.exportName}`);
  return suite;
}
