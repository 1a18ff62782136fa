// SPDX-License-Identifier: GPL-2.0-only
// The worker leads its own process group (and session, so a terminal's ^C
// reaches only the CLI, which decides what happens); every helper it starts
// stays in that group. Ending the group ends them all at once, and reading
// /proc tells when none is left.
import { readdirSync, readFileSync } from "node:fs";

/** Pids of the live (non-zombie) processes in process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "latin1");
    } catch {
      continue; // exited while we looked
    }
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] !== "Z" && Number(fields[2]) === pgid) members.push(Number(name));
  }
  return members;
}

/** SIGKILL to every process of the group; a group already gone is fine. */
export function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
  }
}

/** Resolves when no live process is left in the group; rejects naming them after `timeoutMs`. */
export async function groupGone(pgid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = groupMembers(pgid);
    if (left.length === 0) return;
    if (Date.now() > deadline) throw new Error(`process group ${pgid} still has ${left.join(", ")} ${timeoutMs} ms after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
