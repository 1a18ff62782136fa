// SPDX-License-Identifier: GPL-2.0-only
// Starting the isolated worker process (isolation.ts runs scenarios in it).
// The worker's start-up (Node, the kernel layer, the suite) is the longest
// path of a run, so `run` forks it first, before loading its own modules:
// this module imports as little as it can.
import { fork, spawn, type ChildProcess, type ForkOptions, type SpawnOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ToWorker } from "./worker.js";
import { childEnv } from "./parent-death.js";
import { holdEventLoop } from "./child-ref.js";
import { killGroup } from "./process-group.js";

const WORKER = fileURLToPath(new URL("./worker.js", import.meta.url));
const UNSHARE = "/usr/bin/unshare";

/**
 * As root, the worker starts in a mount namespace of its own (util-linux's
 * unshare, which then execs Node: same pid, every thread inside): a tmpfs a
 * scenario mounts goes away with the worker even when it is killed before its
 * scope could unmount it (a timeout, a crash, ^C). Otherwise, or without
 * unshare, it is forked as it is; unprivileged runs mount nothing.
 */
function ownMountNamespace(): boolean {
  return process.getuid?.() === 0 && existsSync(UNSHARE);
}

export function forkWorker(): ChildProcess {
  // detached: its own session and process group (see process-group.ts); it dies with this process (parent-death.ts).
  const options: SpawnOptions & ForkOptions = { serialization: "advanced", stdio: ["ignore", "pipe", "inherit", "ipc"], detached: true, env: childEnv() };
  const child = ownMountNamespace()
    ? spawn(UNSHARE, ["--mount", "--propagation", "private", "--", process.execPath, ...process.execArgv, WORKER], options)
    : fork(WORKER, [], options);
  // The worker's stdout must never reach ours: stdout is KTAP only.
  child.stdout?.pipe(process.stderr);
  return child;
}

/** The worker's first message: the spec to plan with its suite. */
export type WorkerInit = Extract<ToWorker, { type: "init" }>;

let prestarted: { child: ChildProcess; init?: WorkerInit } | undefined;

/**
 * Forks the first worker now, so that its start-up overlaps the caller's own
 * (loading its modules, loading and planning the spec). Until a run adopts
 * it, it keeps no one waiting: unref'd, and it exits when this process does
 * (its IPC channel closes).
 */
export function prestartWorker(): void {
  if (prestarted) return;
  const child = forkWorker();
  child.on("error", () => undefined);
  holdEventLoop(child, false);
  prestarted = { child };
}

/**
 * Gives the prestarted worker its first spec now, so that it loads the suite,
 * plans and starts the suite's helper processes while this process lints and
 * plans. Nothing runs until a run adopts the worker with the same init.
 */
export function preinitWorker(init: WorkerInit): void {
  if (!prestarted || prestarted.init) return;
  // A worker that died already is found, and replaced, when a run adopts it.
  prestarted.child.send(init, () => undefined);
  prestarted.init = init;
}

const sameInit = (a: WorkerInit, b: WorkerInit): boolean =>
  a.spec === b.spec && a.label === b.label && a.iterations === b.iterations && a.suite.module === b.suite.module && a.suite.exportName === b.suite.exportName;

/**
 * The prestarted worker, if it is still alive and was given `init` or no init
 * yet, now held by the caller; `initSent` says whether it has `init` already.
 */
export function takePrestarted(init?: WorkerInit): { child: ChildProcess; initSent: boolean } | undefined {
  const taken = prestarted;
  prestarted = undefined;
  if (!taken) return undefined;
  const { child } = taken;
  const usable = child.connected && child.exitCode === null && child.signalCode === null && (!taken.init || (init !== undefined && sameInit(taken.init, init)));
  if (!usable) {
    // Planning another spec, or dead: not this run's worker. Its helpers may have started: end the group.
    if (child.pid !== undefined) killGroup(child.pid);
    return undefined;
  }
  holdEventLoop(child, true);
  return { child, initSent: taken.init !== undefined };
}
