// SPDX-License-Identifier: GPL-2.0-only
// An AIO context that belongs to another process: a child Node process sets
// one up and prints its id; the id is an address in the child's mm, so the
// parent's lookup must not find it. The child destroys it and exits when its
// stdin closes (or is killed on release).
import { fileURLToPath } from "node:url";
import { prestartable, startHelper } from "./helper-process.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { SetupError } from "../errors.js";
import { aioExhausted } from "../resources/aio.js";

const CHILD = fileURLToPath(new URL("./foreign-context.child.js", import.meta.url));
// Idle until asked (it waits on stdin), so the worker may start it ahead.
prestartable(CHILD);

export async function foreignContext(scope: ResourceScope): Promise<bigint> {
  const line = await startHelper(scope, CHILD);
  // The child's io_setup failed: exhaustion is a skip here too, as for our own contexts.
  const failed = /^(\w+) (E[A-Z0-9]+)$/.exec(line);
  if (failed) throw (failed[1] === "io_setup" ? aioExhausted(failed[2], " in the child process") : undefined) ?? new SetupError(`${failed[1]} failed in the child process with ${failed[2]}`);
  if (!/^\d+$/.test(line)) throw new SetupError(`child reported "${line}" instead of a context id`);
  return BigInt(line);
}
