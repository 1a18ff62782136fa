// SPDX-License-Identifier: GPL-2.0-only
// A fanotify listener that denies every read of one file (FAN_ACCESS_PERM,
// answered FAN_DENY by a child process, since the reading thread blocks until
// the answer). Needs root (CAP_SYS_ADMIN) and a kernel with
// CONFIG_FANOTIFY_ACCESS_PERMISSIONS; otherwise the scenario skips saying which.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { currentArch } from "../../kernel/arch.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { rawSyscall, syscall } from "../../kernel/syscall.js";
import { childEnv } from "../../run/parent-death.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { cString } from "../resources/fds.js";

const CHILD = fileURLToPath(new URL("./fanotify-deny.child.js", import.meta.url));
const FANOTIFY_INIT: Partial<Record<string, number>> = { x86_64: 300, arm64: 262, riscv64: 262 };
const FANOTIFY_MARK: Partial<Record<string, number>> = { x86_64: 301, arm64: 263, riscv64: 263 };
/** <linux/fanotify.h> */
const FAN_CLASS_CONTENT = 0x04;
const FAN_MARK_ADD = 0x01;
const FAN_ACCESS_PERM = 0x00020000;
const AT_FDCWD = -100;

/** From now on every read of `path` waits for a child that answers FAN_DENY; the child is killed on release if still there. */
export function denyReads(scope: ResourceScope, path: string): void {
  const init = FANOTIFY_INIT[currentArch()];
  const mark = FANOTIFY_MARK[currentArch()];
  if (init === undefined || mark === undefined) throw new ResourceUnavailable("no fanotify syscall numbers for this arch in kapi-conform", currentArch());
  const group = rawSyscall(init, FAN_CLASS_CONTENT, 0);
  if (group.errno) throw new ResourceUnavailable("fanotify permission events are not available", `fanotify_init(FAN_CLASS_CONTENT): ${group.errno}`);
  const fd = Number(group.ret);
  try {
    const marked = rawSyscall(mark, fd, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD, cString(scope, path).address);
    if (marked.errno) throw new ResourceUnavailable("fanotify permission events are not available (CONFIG_FANOTIFY_ACCESS_PERMISSIONS)", `fanotify_mark(FAN_ACCESS_PERM) on ${path}: ${marked.errno}`);
    const child = spawn(process.execPath, [CHILD], { stdio: ["ignore", "ignore", "inherit", fd], env: childEnv() });
    child.on("error", () => undefined);
    if (child.pid === undefined) throw new SetupError("could not start the fanotify listener");
    child.unref();
    scope.defer(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
  } finally {
    // The child's copy is the group's only one from here: if it dies unanswered, the access is allowed.
    syscall("close", fd);
  }
}
