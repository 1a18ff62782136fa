// SPDX-License-Identifier: GPL-2.0-only
// What the open scenarios observe beyond the call's result: inode timestamps
// around the call, the descriptor table, the pathname limits, and I/O through
// an O_PATH descriptor. (Capabilities are dropped one at a time through
// resources/capabilities.ts, so a success as root is owed to the capability
// the item names.)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { constant } from "../../kernel/constants.js";
import { Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, syscall, type SyscallResult } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { cString, oflags } from "../resources/fds.js";
import type { FactObservation } from "../scenario.js";
import { agedTimes, timesOf, type Times } from "../resources/times.js";

const show = (t: bigint): string => new Date(Number(t / 1_000_000n)).toISOString();

/** Whether mtime and ctime of the path moved past the ones noted before the call. */
export function mtimeCtimeUpdated(what: string, path: string, before: Times): FactObservation {
  const after = timesOf(path);
  const holds = after.mtime > before.mtime && after.ctime > before.ctime;
  return {
    holds,
    facts: { mtimeBefore: show(before.mtime), mtimeAfter: show(after.mtime), ctimeBefore: show(before.ctime), ctimeAfter: show(after.ctime) },
    detail: `${what}: mtime ${show(before.mtime)} -> ${show(after.mtime)}, ctime ${show(before.ctime)} -> ${show(after.ctime)}`,
  };
}

/** Reads one byte through the descriptor (the access O_NOATIME is about). */
export function readOneByte(scope: ResourceScope, fd: bigint): SyscallResult {
  const buf = scope.add(Mapping.map(1));
  return syscall("read", fd, buf.address, 1);
}

/**
 * A fresh file of the directory whose atime a read moves when it is older than
 * mtime: else this mount (noatime, lazytime views) shows no atime update for
 * O_NOATIME to suppress, and a probe of it could not fail.
 */
export function atimeMovesOnRead(scope: ResourceScope, dir: string): void {
  const path = join(dir, "atime-calibration");
  writeFileSync(path, "kapi-conform atime\n");
  const before = agedTimes(path);
  const fd = check("open", syscall("open", cString(scope, path).address, oflags("O_RDONLY"), 0), path);
  try {
    check("read", readOneByte(scope, fd), path);
  } finally {
    syscall("close", fd);
  }
  if (timesOf(path).atime === before.atime) throw new ResourceUnavailable("a read updates no atime on this filesystem (noatime mount): O_NOATIME has nothing to suppress", dir);
}

/** F_RDLCK (asm-generic/fcntl.h, x86 alike) and SIGURG (23 on every arch open(2) exists on): not in the shared constant table. */
const F_RDLCK = 0;
const SIGURG = 23;

/**
 * A read lease on the file, held by this process on a read-only descriptor
 * until release. A conflicting open breaks it by signalling the holder: the
 * signal is set to SIGURG, whose default action is to ignore it, as the
 * default SIGIO would end the process.
 */
export function readLease(scope: ResourceScope, path: string): void {
  const fd = check("open", syscall("open", cString(scope, path).address, oflags("O_RDONLY"), 0), path);
  scope.defer(() => void syscall("close", fd));
  check("fcntl", syscall("fcntl", fd, constant("F_SETSIG"), SIGURG), "F_SETSIG SIGURG");
  const leased = syscall("fcntl", fd, constant("F_SETLEASE"), F_RDLCK);
  if (leased.errno) throw new ResourceUnavailable("no read lease can be taken here (fs.leases-enable off or the filesystem refuses leases)", `F_SETLEASE F_RDLCK on ${path}: ${leased.errno}`);
}

/** A device node made with mknod(1) (root: CAP_MKNOD), in a directory of a mount without nodev (else open refuses it for that). */
export function deviceNode(dir: string, name: string, major: number, minor: number): string {
  const path = join(dir, name);
  const made = spawnSync("mknod", [path, "c", String(major), String(minor)]);
  if (made.status !== 0) throw new ResourceUnavailable("mknod of a character device is refused here", `mknod ${path} c ${major} ${minor}: ${made.stderr?.toString().trim() ?? made.error}`);
  if (mountOptions(dir).includes("nodev")) throw new ResourceUnavailable("the temp directory's mount has nodev: device nodes cannot be opened there", dir);
  return path;
}

/** The options of the mount holding `path` (the longest mount point that prefixes it), from /proc/self/mountinfo. */
function mountOptions(path: string): string[] {
  let best = { point: "", options: [] as string[] };
  for (const line of readFileSync("/proc/self/mountinfo", "utf8").split("\n")) {
    const fields = line.split(" ");
    const point = fields[4];
    if (point === undefined || fields[5] === undefined) continue;
    const within = point === "/" || path === point || path.startsWith(`${point}/`);
    if (within && point.length >= best.point.length) best = { point, options: fields[5].split(",") };
  }
  return best.options;
}

/** Registered numbers of a /proc list (/proc/misc: "minor name"; /proc/devices' character section: "major name"). */
function registered(text: string): Set<number> {
  return new Set(text.split("\n").flatMap((l) => (/^\s*(\d+)\s/.test(l) ? [Number(/^\s*(\d+)/.exec(l)![1])] : [])));
}

/** A misc minor in 240-254 (devices.txt: reserved for local use) that no driver registered: misc_open finds no device. */
export function unregisteredMiscMinor(): number {
  const used = registered(readFileSync("/proc/misc", "utf8"));
  for (let minor = 254; minor >= 240; minor--) if (!used.has(minor)) return minor;
  throw new ResourceUnavailable("every misc minor of 240-254 is registered here", "/proc/misc");
}

/** A character major of 234-254 (devices.txt: dynamic and local use) that no driver registered: chrdev_open finds no driver. */
export function unregisteredCharMajor(): number {
  const devices = readFileSync("/proc/devices", "utf8");
  const used = registered(devices.slice(0, devices.indexOf("Block devices:")));
  for (let major = 254; major >= 234; major--) if (!used.has(major)) return major;
  throw new ResourceUnavailable("every character major of 234-254 is registered here", "/proc/devices");
}

/**
 * An unbound loop device (no backing file), claimed by an exclusive open
 * (O_EXCL on a block device) until release, as a mount claims its device.
 */
export function claimedLoopDevice(scope: ResourceScope): string {
  const free = readdirSync("/dev").filter((n) => /^loop\d+$/.test(n) && !existsSync(`/sys/block/${n}/loop/backing_file`));
  for (const name of free) {
    const path = `/dev/${name}`;
    const r = syscall("open", cString(scope, path).address, oflags("O_RDONLY", "O_EXCL"), 0);
    if (r.errno !== undefined) continue;
    scope.defer(() => void syscall("close", r.ret));
    return path;
  }
  throw new ResourceUnavailable("needs a block device this process may open with O_EXCL", `no unbound /dev/loopN opened O_EXCL (tried ${free.length})`);
}

/** What /proc/config.gz says of each option ("y", "m", "off"), or undefined when the kernel exports no config. */
export function kernelConfig(options: string[]): Record<string, string> | undefined {
  let text: string;
  try {
    text = gunzipSync(readFileSync("/proc/config.gz")).toString("utf8");
  } catch {
    return undefined;
  }
  return Object.fromEntries(options.map((o) => [o, new RegExp(`^${o}=(\\w+)$`, "m").exec(text)?.[1] ?? "off"]));
}

/** The path the descriptor names in /proc/self/fd, or undefined when it is not in the table. */
export function fdTarget(fd: bigint): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** A path naming `file` (an absolute path) that is exactly `length` bytes long, padded with slashes after the root. */
export function pathOfLength(file: string, length: number): string {
  if (file.length > length) throw new SetupError(`${file} is longer than ${length} bytes`);
  return "/".repeat(length - file.length) + file;
}

/** One open made by a probe, closed at once: its result only. */
export function openOnce(scope: ResourceScope, path: string, flags: number, mode = 0): SyscallResult {
  const r = syscall("open", cString(scope, path).address, flags, mode);
  if (r.errno === undefined) syscall("close", r.ret);
  return r;
}

export const describe = (r: SyscallResult): string => r.errno ?? `returned ${r.ret}`;
