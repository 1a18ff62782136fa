// SPDX-License-Identifier: GPL-2.0-only
// The syscalls kapi-conform has scenario suites for.
import { ioCancelSuite } from "./io_cancel/suite.js";
import type { SyscallSuite } from "./scenario.js";

const suites: SyscallSuite[] = [ioCancelSuite];

export function suiteFor(syscall: string): SyscallSuite | undefined {
  return suites.find((s) => s.syscall === syscall);
}

export function suiteNames(): string[] {
  return suites.map((s) => s.syscall);
}
