// SPDX-License-Identifier: GPL-2.0-only
// A helper process a scenario needs beside the runner (a context owner, a
// pipe writer): started, registered for release (stdin closed, then killed if
// it lingers), and waited for until it prints its first line, within a limit.
// Its errors never reach the runner as uncaught exceptions.
import { spawn, type StdioOptions } from "node:child_process";
import { createInterface } from "node:readline";
import type { ResourceScope } from "../../kernel/scope.js";
import { childEnv } from "../../run/parent-death.js";
import { SetupError } from "../errors.js";

const KILL_AFTER_MS = 2000;

/** Starts `script` under this Node and resolves with the first line it prints. */
export async function startHelper(scope: ResourceScope, script: string, extraFds: number[] = [], timeoutMs = 5000): Promise<string> {
  const stdio: StdioOptions = ["pipe", "pipe", "inherit", ...extraFds];
  const child = spawn(process.execPath, [script], { stdio, env: childEnv() });
  // A failed spawn or kill surfaces here; the wait below reports it.
  child.on("error", () => undefined);
  scope.add({
    release: () => {
      child.stdin?.end();
      if (child.exitCode === null) setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS).unref();
    },
  });
  const lines = createInterface({ input: child.stdout! });
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SetupError(`${script} printed nothing within ${timeoutMs} ms`)), timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        child.off("exit", onExit);
        child.off("error", onError);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
        done();
        reject(new SetupError(`${script} ended (${signal ?? `status ${code}`}) before printing anything`));
      };
      const onError = (err: Error): void => {
        done();
        reject(new SetupError(`${script} could not run: ${err.message}`));
      };
      child.once("exit", onExit);
      child.once("error", onError);
      lines.once("line", (line) => {
        done();
        resolve(line);
      });
    });
  } finally {
    lines.close();
  }
}
