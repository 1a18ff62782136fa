// SPDX-License-Identifier: GPL-2.0-only
// What /proc says of processes, for tests that check which processes a run
// starts, uses and ends.
import { readdirSync, readFileSync } from "node:fs";

/** The fields of /proc/PID/stat after the command name (which may hold spaces): [0] is the state. */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Live (not zombie) children of this process whose command line includes `command`. */
export function liveChildren(command: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const fields = statFields(name);
      if (fields[0] !== "Z" && Number(fields[1]) === process.pid && readFileSync(`/proc/${name}/cmdline`, "latin1").includes(command)) pids.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

/** CPU time (user + system, in clock ticks) process `pid` has used so far. */
export function cpuTicks(pid: number): number {
  const fields = statFields(pid);
  return Number(fields[11]) + Number(fields[12]);
}
