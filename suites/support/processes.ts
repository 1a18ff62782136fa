// SPDX-License-Identifier: GPL-2.0-only
// What /proc says of processes, for tests that check which processes a run
// starts, uses and ends.
import { readdirSync, readFileSync } from "node:fs";

/** The fields of /proc/PID/stat after the command name (which may hold spaces): [0] is the state. */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Live (not zombie) children of `parent` (default: this process) whose command line includes `command`. */
export function liveChildren(command: string, parent = process.pid): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const fields = statFields(name);
      if (fields[0] !== "Z" && Number(fields[1]) === parent && readFileSync(`/proc/${name}/cmdline`, "latin1").includes(command)) pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** Whether `pid` is a live process (not gone, not a zombie). */
export function isLive(pid: number): boolean {
  try {
    return statFields(pid)[0] !== "Z";
  } catch {
    return false;
  }
}

/** The command line of `pid`, one argument per element. */
export function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").slice(0, -1);
}

/** CPU time (user + system, in clock ticks) process `pid` has used so far. */
export function cpuTicks(pid: number): number {
  const fields = statFields(pid);
  return Number(fields[11]) + Number(fields[12]);
}
