// SPDX-License-Identifier: GPL-2.0-only
// Making one call as another user, from a process running as root: the
// effective uid and gid of the calling thread are switched with raw
// setresuid/setresgid (raw syscalls change only the calling thread, unlike
// libc's wrappers, which broadcast to every thread) and switched back after.
// With an effective uid other than 0 the thread has no effective capabilities,
// so permission checks (EACCES, EPERM) apply as they would to that user;
// switching back to euid 0 restores them from the permitted set.
// Supplementary groups are kept: give the files a scenario denies no group
// or other permissions.
import { readFileSync } from "node:fs";
import { check, syscall } from "./syscall.js";

export interface User {
  name: string;
  uid: number;
  gid: number;
}

const KEEP = -1;

/** The account `name` from /etc/passwd, or undefined when there is none. */
export function lookupUser(name: string, passwd = "/etc/passwd"): User | undefined {
  let text: string;
  try {
    text = readFileSync(passwd, "utf8");
  } catch {
    return undefined;
  }
  for (const line of text.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid !== undefined && gid !== undefined && /^\d+$/.test(uid) && /^\d+$/.test(gid)) return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

/** Runs `fn` with this thread's effective uid and gid set to the user's; always switches back. */
export function asUser<T>(user: User, fn: () => T): T {
  if (process.geteuid?.() !== 0) throw new Error(`acting as ${user.name} needs root (euid ${process.geteuid?.()})`);
  check("setresgid", syscall("setresgid", KEEP, user.gid, KEEP), `egid ${user.gid}`);
  try {
    check("setresuid", syscall("setresuid", KEEP, user.uid, KEEP), `euid ${user.uid}`);
    try {
      return fn();
    } finally {
      check("setresuid", syscall("setresuid", KEEP, 0, KEEP), "back to euid 0");
    }
  } finally {
    check("setresgid", syscall("setresgid", KEEP, 0, KEEP), "back to egid 0");
  }
}
