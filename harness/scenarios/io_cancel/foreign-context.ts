// SPDX-License-Identifier: GPL-2.0-only
// An AIO context that belongs to another process: a child Node process sets
// one up and prints its id; the id is an address in the child's mm, so the
// parent's lookup must not find it. The child destroys it and exits when its
// stdin closes (or is killed on release).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import type { ResourceScope } from "../../kernel/scope.js";
import { SyscallError } from "../../kernel/syscall.js";
import { SetupError } from "./fixtures.js";

const CHILD = fileURLToPath(new URL("./foreign-context.child.js", import.meta.url));

export async function foreignContext(scope: ResourceScope, timeoutMs = 5000): Promise<bigint> {
  const child = spawn(process.execPath, [CHILD], { stdio: ["pipe", "pipe", "inherit"] });
  scope.add({
    release: () => {
      child.stdin.end();
      if (child.exitCode === null) setTimeout(() => child.kill("SIGKILL"), 2000).unref();
    },
  });
  const lines = createInterface({ input: child.stdout });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new SetupError(`child did not report a context within ${timeoutMs} ms`)), timeoutMs);
    lines.once("line", (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new SetupError(`child exited with ${code} before reporting a context`));
    });
  });
  lines.close();
  // The child's io_setup failed: the same error as our own, so exhaustion (EAGAIN) is a skip here too.
  const failed = /^(\w+) (E[A-Z0-9]+)$/.exec(line);
  if (failed) throw new SyscallError(failed[1]!, -1n, failed[2]!, "in the child process");
  if (!/^\d+$/.test(line)) throw new SetupError(`child reported "${line}" instead of a context id`);
  return BigInt(line);
}
