// SPDX-License-Identifier: GPL-2.0-only
// An AIO context that belongs to another process: a child Node process sets
// one up and prints its id; the id is an address in the child's mm, so the
// parent's lookup must not find it. The child destroys it and exits when its
// stdin closes (or is killed on release).
import { fileURLToPath } from "node:url";
import { prestartable, startHelper } from "./helper-process.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { SyscallError } from "../../kernel/syscall.js";
import { SetupError } from "./fixtures.js";

const CHILD = fileURLToPath(new URL("./foreign-context.child.js", import.meta.url));
// Idle until asked (it waits on stdin), so the worker may start it ahead.
prestartable(CHILD);

export async function foreignContext(scope: ResourceScope): Promise<bigint> {
  const line = await startHelper(scope, CHILD);
  // The child's io_setup failed: the same error as our own, so exhaustion (EAGAIN) is a skip here too.
  const failed = /^(\w+) (E[A-Z0-9]+)$/.exec(line);
  if (failed) throw new SyscallError(failed[1]!, -1n, failed[2]!, "in the child process");
  if (!/^\d+$/.test(line)) throw new SetupError(`child reported "${line}" instead of a context id`);
  return BigInt(line);
}
