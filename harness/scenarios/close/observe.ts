// SPDX-License-Identifier: GPL-2.0-only
// What the last close of an open file leaves behind, as user space sees it:
// the epoll interest list (/proc/self/fdinfo of the epoll descriptor), leases
// (/proc/locks), a private tmpfs's free blocks and inodes (statfs), its mount
// reference count (umount2 MNT_EXPIRE answers EBUSY while a file holds it) and
// a pipe's release (the reader sees end of file once no writer is left), and
// a directory's dnotify registration (the SIGIO it sends reaches a watcher).
// Each `says` phrase starts with its verb, so that a negation just before the
// verb in the spec ("are not removed") makes the item deny the claim.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { readFileSync, statSync, statfsSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, syscall } from "../../kernel/syscall.js";
import { constant } from "../../kernel/constants.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { cString, fdIsOpen, oflags, openFd } from "../resources/fds.js";
import { tempDirectory, tempFile } from "../resources/files.js";
import { tmpfs } from "../resources/mounts.js";
import type { ClaimProbe, FactObservation } from "../scenario.js";

// fcntl flags and epoll / umount2 numbers, the same on every arch.
const F_RDLCK = 0;
const DN_CREATE = 0x4;
const DN_MULTISHOT = 0x80000000;
const EPOLL_CTL_ADD = 1;
const EPOLLIN = 1;
const MNT_EXPIRE = 4;

/** Closes `fd` on release unless the call under test already did. */
function closeLater(scope: ResourceScope, fd: number): void {
  scope.defer(() => void (fdIsOpen(fd) && syscall("close", fd)));
}

/** Two fresh descriptors from pipe2: [read end, write end]. */
function pipe(scope: ResourceScope, flags: number): [number, number] {
  const fds = scope.add(Mapping.map(8));
  check("pipe2", syscall("pipe2", fds.address, flags), "pipe2");
  const ends: [number, number] = [fds.readU32(0), fds.readU32(4)];
  for (const fd of ends) closeLater(scope, fd);
  return ends;
}

/** A pipe's read end, made readable and watched by an epoll instance: the only descriptor of that open file. */
export interface Watched {
  fd: number;
  epfd: number;
  events: Mapping;
}

export function watchedPipe(scope: ResourceScope): Watched {
  const [fd, writeFd] = pipe(scope, oflags("O_NONBLOCK"));
  const byte = scope.add(Mapping.map(1));
  check("write", syscall("write", writeFd, byte.address, 1), "one byte into the pipe");
  const epfd = Number(check("epoll_create1", syscall("epoll_create1", 0), "epoll_create1"));
  closeLater(scope, epfd);
  // struct epoll_event is 12 bytes (packed) on x86_64, 16 elsewhere: 16 fits both.
  const events = scope.add(Mapping.map(16));
  events.writeU32(0, EPOLLIN);
  check("epoll_ctl", syscall("epoll_ctl", epfd, EPOLL_CTL_ADD, fd, events.address), "EPOLL_CTL_ADD");
  return { fd, epfd, events };
}

/** The descriptor numbers the epoll instance watches, from the "tfd:" lines of its fdinfo. */
function watchedFds(epfd: number): number[] {
  return [...readFileSync(`/proc/self/fdinfo/${epfd}`, "utf8").matchAll(/^tfd:\s*(\d+)/gm)].map((m) => Number(m[1]));
}

export const REMOVED_FROM_EPOLL: ClaimProbe<Watched> = {
  claim: "the closed file leaves the epoll interest list and its readiness is no longer reported",
  says: ["removed from interest lists"],
  opposite: ["remains in interest lists"],
  observe: (s) => {
    const watched = watchedFds(s.epfd);
    const ready = syscall("epoll_pwait", s.epfd, s.events.address, 1, 0, 0, 8);
    const reported = ready.errno ?? Number(ready.ret);
    return {
      holds: !watched.includes(s.fd) && reported === 0,
      facts: { watched: watched.join(",") || "none", reported },
      detail: `fdinfo of the epoll descriptor lists ${watched.length ? `tfd ${watched.join(", ")}` : "no watched descriptor"}; epoll_pwait reports ${reported} ready (the pipe still holds a byte)`,
    };
  },
};

/** A file opened read-only holding a read lease: its descriptor is the only reference to the open file. */
export interface Leased {
  fd: number;
  device: string;
  inode: number;
}

export function leasedFile(scope: ResourceScope): Leased {
  if (readFileSync("/proc/sys/fs/leases-enable", "utf8").trim() === "0") throw new ResourceUnavailable("leases are disabled", "fs.leases-enable is 0");
  const path = tempFile(scope);
  const fd = openFd(scope, path, oflags("O_RDONLY"));
  const r = syscall("fcntl", fd, constant("F_SETLEASE"), F_RDLCK);
  if (r.errno) throw new SetupError(`fcntl F_SETLEASE F_RDLCK failed: ${r.errno}`);
  const { dev, ino } = statSync(path);
  // /proc/locks prints the device as major:minor in hex (the stat encoding: minor's low byte, major, minor's high bits).
  const major = (dev >> 8) & 0xfff;
  const minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);
  const leased = { fd, device: `${major.toString(16).padStart(2, "0")}:${minor.toString(16).padStart(2, "0")}`, inode: ino };
  // The lease must be seen where the probe looks for it, or its absence after the close proves nothing.
  if (leasesOn(leased).length !== 1) throw new SetupError(`/proc/locks does not list the lease just taken under ${leased.device}:${leased.inode}`);
  return leased;
}

/** The LEASE lines of /proc/locks on the file. */
function leasesOn(s: Pick<Leased, "device" | "inode">): string[] {
  const id = `${s.device}:${s.inode}`;
  return readFileSync("/proc/locks", "utf8").split("\n").filter((l) => /\bLEASE\b/.test(l) && l.split(/\s+/).includes(id));
}

export const LEASE_REMOVED: ClaimProbe<Leased> = {
  claim: "no lease on the file is left in /proc/locks",
  says: ["removed file leases"],
  opposite: ["leases remain"],
  observe: (s) => {
    const leases = leasesOn(s);
    return { holds: leases.length === 0, facts: { leases: leases.length }, detail: leases.length ? `/proc/locks still lists: ${leases.join(" | ")}` : `/proc/locks lists no lease on ${s.device}:${s.inode}` };
  },
};

interface Space {
  blocks: number;
  inodes: number;
}

const freeSpace = (path: string): Space => {
  const s = statfsSync(path);
  return { blocks: s.bfree, inodes: s.ffree };
};

/** An unlinked file with data on a tmpfs of its own, kept only by the descriptor; `empty` is the tmpfs's free space before it was made. */
export interface Unlinked {
  fd: number;
  mount: string;
  empty: Space;
}

export function unlinkedFile(scope: ResourceScope): Unlinked {
  const mount = tmpfs(scope, 256).path;
  const empty = freeSpace(mount);
  const path = join(mount, "data");
  writeFileSync(path, Buffer.alloc(64 * 1024, 0x6b));
  const fd = openFd(scope, path, oflags("O_RDWR"));
  unlinkSync(path);
  const held = freeSpace(mount);
  if (held.blocks >= empty.blocks || held.inodes >= empty.inodes) throw new SetupError(`the open unlinked file holds no space on the tmpfs (free ${JSON.stringify(held)}, empty ${JSON.stringify(empty)})`);
  return { fd, mount, empty };
}

/** The tmpfs's free `field` is back to what the empty tmpfs had: the file no longer holds any. */
const spaceReturned = (claim: string, says: string, opposite: string, field: keyof Space): ClaimProbe<Unlinked> => ({
  claim,
  says: [says],
  opposite: [opposite],
  observe: (s): FactObservation => {
    const now = freeSpace(s.mount);
    return {
      holds: now[field] === s.empty[field],
      facts: { free: now[field], emptyFree: s.empty[field] },
      detail: `statfs of the file's tmpfs: ${now.blocks} free blocks, ${now.inodes} free inodes (empty: ${s.empty.blocks}, ${s.empty.inodes})`,
    };
  },
});

export const DATA_REMOVED = spaceReturned("the unlinked file's blocks return to the filesystem", "removed file data from filesystem", "file data remains", "blocks");
export const INODE_FREED = spaceReturned("the unlinked file's inode returns to the filesystem", "freed inode", "inode stays allocated", "inodes");

/** A file on a tmpfs of its own, whose one descriptor is the only reference that keeps the mount busy. */
export interface OnOwnMount {
  fd: number;
  mount: string;
  mountC: bigint;
}

export function fileOnOwnMount(scope: ResourceScope): OnOwnMount {
  const mount = tmpfs(scope, 64).path;
  const path = join(mount, "data");
  writeFileSync(path, "kapi-conform close\n");
  return { fd: openFd(scope, path, oflags("O_RDONLY")), mount, mountC: cString(scope, mount).address };
}

export const MOUNT_RELEASED: ClaimProbe<OnOwnMount> = {
  claim: "no reference to the file's mount is left (umount2 MNT_EXPIRE finds it unused)",
  says: ["released mount references"],
  opposite: ["mount references remain"],
  observe: (s) => {
    // EBUSY while anything but the mount tree holds the mount; EAGAIN marks an unused one expired (a second call would unmount it).
    const r = syscall("umount2", s.mountC, MNT_EXPIRE);
    const answer = r.errno ?? `returned ${r.ret}`;
    return { holds: r.errno === "EAGAIN", facts: { mntExpire: answer }, detail: `umount2(${s.mount}, MNT_EXPIRE): ${answer}` };
  },
};

/** A pipe whose write end, the only writer, is the descriptor closed; the read end stays open. */
export interface LastWriter {
  fd: number;
  readFd: number;
}

export function lastWriter(scope: ResourceScope): LastWriter {
  const [readFd, fd] = pipe(scope, oflags("O_NONBLOCK"));
  return { fd, readFd };
}

export const RELEASE_CALLED: ClaimProbe<LastWriter> = {
  claim: "the pipe's release callback ran: with its last writer gone, a read of the empty pipe returns end of file instead of EAGAIN",
  says: ["invoked release callback"],
  observe: (s) => {
    const buf = Mapping.map(1);
    try {
      const r = syscall("read", s.readFd, buf.address, 1);
      const answer = r.errno ?? Number(r.ret);
      return { holds: answer === 0, facts: { read: answer }, detail: `read of the empty pipe's read end: ${r.errno ?? `returned ${r.ret}`}` };
    } finally {
      buf.release();
    }
  },
};

/** After the call, the descriptor number refers to nothing (fcntl F_GETFD fails with EBADF). */
export const FD_INVALID: ClaimProbe<{ fd: number }> = {
  claim: "the descriptor is invalid once close has returned",
  says: ["invalid fd"],
  opposite: ["fd is valid"],
  observe: (s) => {
    const r = syscall("fcntl", s.fd, constant("F_GETFD"));
    return { holds: r.errno === "EBADF", facts: { fd: s.fd, getfd: r.errno ?? Number(r.ret) }, detail: `fcntl(${s.fd}, F_GETFD): ${r.errno ?? `returned ${r.ret}`}` };
  },
};

/**
 * A shell that reports each SIGIO and SIGPWR it receives, in order, as a line ("io", "pwr"). It is
 * single-threaded and runs pending traps lowest signal first, so a SIGIO sent before a SIGPWR is
 * reported before it: the SIGPWR marks the end of what to wait for.
 */
interface Watcher {
  pid: number;
  lines: string[];
  /** Resolves once a line equal to `line` is printed at index `from` or later. */
  until(line: string, from: number): Promise<void>;
}

async function watcher(scope: ResourceScope): Promise<Watcher> {
  const child = spawn("/bin/sh", ["-c", "trap 'echo io' IO; trap 'echo pwr' PWR; echo ready; while :; do sleep 1 & wait $!; done"], { stdio: ["ignore", "pipe", "ignore"] });
  child.on("error", () => undefined);
  scope.defer(() => void child.kill("SIGKILL"));
  const lines: string[] = [];
  const printed = createInterface({ input: child.stdout! });
  printed.on("line", (line) => void lines.push(line));
  const until = (line: string, from: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const seen = (): boolean => lines.indexOf(line, from) >= 0;
      if (seen()) return resolve();
      const timer = setTimeout(() => {
        printed.off("line", onLine);
        reject(new SetupError(`the signal watcher (/bin/sh) did not print "${line}" within 2 s`));
      }, 2000);
      const onLine = (): void => {
        if (!seen()) return;
        clearTimeout(timer);
        printed.off("line", onLine);
        resolve();
      };
      printed.on("line", onLine);
    });
  await until("ready", 0);
  if (child.pid === undefined) throw new SetupError("the signal watcher (/bin/sh) did not start");
  return { pid: child.pid, lines, until };
}

/** A directory's only descriptor, with a multishot DN_CREATE registration whose signal goes to a watcher process. */
export interface Notified {
  fd: number;
  dir: string;
  watcher: Watcher;
}

export async function notifiedDirectory(scope: ResourceScope): Promise<Notified> {
  const dir = tempDirectory(scope);
  const w = await watcher(scope);
  const fd = openFd(scope, dir, oflags("O_RDONLY", "O_DIRECTORY"));
  const r = syscall("fcntl", fd, constant("F_NOTIFY"), DN_CREATE | DN_MULTISHOT);
  if (r.errno === "EINVAL" && readFileSync("/proc/sys/fs/dir-notify-enable", "utf8").trim() === "0") throw new ResourceUnavailable("dnotify is disabled", "fs.dir-notify-enable is 0");
  if (r.errno) throw new SetupError(`fcntl F_NOTIFY failed: ${r.errno}`);
  // F_NOTIFY made this process the owner; the watcher receives the signals instead.
  check("fcntl", syscall("fcntl", fd, constant("F_SETOWN"), w.pid), "F_SETOWN to the watcher");
  const notified = { fd, dir, watcher: w };
  // While the registration stands, a creation must reach the watcher, or no SIGIO after the close proves nothing.
  if ((await creationSignals(notified)).io === 0) throw new SetupError("a file created in the registered directory sent the watcher no SIGIO");
  return notified;
}

/** Creates a file in the directory, then sends SIGPWR as a marker: the watcher's lines up to the marker, and how many were SIGIO. */
async function creationSignals(s: Notified): Promise<{ seen: string[]; io: number }> {
  const before = s.watcher.lines.length;
  writeFileSync(join(s.dir, `created-${before}`), "");
  process.kill(s.watcher.pid, "SIGPWR");
  await s.watcher.until("pwr", before);
  const seen = s.watcher.lines.slice(before);
  return { seen, io: seen.filter((l) => l === "io").length };
}

export const DNOTIFY_REMOVED: ClaimProbe<Notified> = {
  claim: "a file created in the directory afterwards sends no SIGIO to the registration's owner",
  says: ["cleaned up dnotify registrations"],
  opposite: ["dnotify registrations remain"],
  observe: async (s) => {
    const { seen, io } = await creationSignals(s);
    return { holds: io === 0, facts: { sigio: io }, detail: `a file created in the directory, then SIGPWR: the watcher reports ${seen.join(", ")}` };
  },
};
