// SPDX-License-Identifier: GPL-2.0-only
// A helper process a scenario needs beside the runner (a context owner, a
// pipe writer): started, registered for release (stdin closed, then killed if
// it lingers), and waited for until it prints its first line, within a limit.
// Its errors never reach the runner as uncaught exceptions.
//
// A helper can be started ahead of its scenario (prestartHelper), so that its
// Node start-up (about 100 ms) overlaps the scenarios before it; startHelper
// then adopts it. Until adopted it keeps no one waiting, and it ends with this
// process (its stdin closes).
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { createInterface } from "node:readline";
import type { ResourceScope } from "../../kernel/scope.js";
import { childEnv } from "../../run/parent-death.js";
import { holdEventLoop } from "../../run/child-ref.js";
import { registerPrestart } from "../../run/prestart.js";
import { SetupError } from "../errors.js";

const KILL_AFTER_MS = 2000;

interface Launched {
  child: ChildProcess;
  extraFds: readonly number[];
  /** The first line, or why there is none; listened for from the spawn on, so no line is missed. */
  first: Promise<string>;
}

function launch(script: string, extraFds: readonly number[]): Launched {
  const stdio: StdioOptions = ["pipe", "pipe", "inherit", ...extraFds];
  const child = spawn(process.execPath, [script], { stdio, env: childEnv() });
  // A failed spawn or kill surfaces here; the wait below reports it.
  child.on("error", () => undefined);
  const lines = createInterface({ input: child.stdout! });
  const first = new Promise<string>((resolve, reject) => {
    const done = (): void => {
      child.off("exit", onExit);
      child.off("error", onError);
      lines.close();
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
  // Handled when adopted; a helper never adopted must not raise an unhandled rejection.
  first.catch(() => undefined);
  return { child, extraFds, first };
}

const warm = new Map<string, Launched>();

/** Starts `script` now, for a later startHelper() with the same script and extra fds. */
export function prestartHelper(script: string, extraFds: number[] = []): void {
  if (warm.has(script)) return;
  const launched = launch(script, extraFds);
  holdEventLoop(launched.child, false);
  warm.set(script, launched);
}

/** Registers `script` to be started ahead when the worker runs its prestarts (see run/prestart.ts). */
export function prestartable(script: string): void {
  registerPrestart(script, () => prestartHelper(script));
}

function adopt(script: string, extraFds: readonly number[]): Launched | undefined {
  const launched = warm.get(script);
  if (!launched) return undefined;
  warm.delete(script);
  const sameFds = launched.extraFds.length === extraFds.length && launched.extraFds.every((fd, i) => fd === extraFds[i]);
  if (!sameFds || launched.child.exitCode !== null || launched.child.signalCode !== null) {
    launched.child.kill("SIGKILL");
    return undefined;
  }
  holdEventLoop(launched.child, true);
  return launched;
}

export interface HelperOptions {
  extraFds?: number[];
  /** Written to the helper's stdin once it is adopted: a helper started ahead waits for it before its work. */
  go?: string;
  timeoutMs?: number;
}

/** Starts `script` under this Node (or adopts one started ahead) and resolves with the first line it prints. */
export async function startHelper(scope: ResourceScope, script: string, options: HelperOptions = {}): Promise<string> {
  const { extraFds = [], go, timeoutMs = 5000 } = options;
  const { child, first } = adopt(script, extraFds) ?? launch(script, extraFds);
  scope.add({
    release: () => {
      child.stdin?.end();
      if (child.exitCode === null) setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS).unref();
    },
  });
  // A helper that died already fails below, by its exit; this write's EPIPE is not the news.
  if (go !== undefined) child.stdin?.on("error", () => undefined).write(go);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SetupError(`${script} printed nothing within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([first, late]);
  } finally {
    clearTimeout(timer);
  }
}
