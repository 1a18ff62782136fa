// SPDX-License-Identifier: GPL-2.0-only
// The open scenario table, for the RFC v5 and the PATCH v4 specs alike. No
// entry states an errno, return value or effect: each check names the spec
// item by its words and the expectation is read from it when the case runs.
// open(2) does not exist on arm64 and riscv64 (only openat): there every case
// is a skip saying so; the spec is of open, so openat is not substituted.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentArch, hasSyscall } from "../../kernel/arch.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { syscall } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { cString, fdIsOpen, interruptingSignal, lowerRlimit, lowestFreeFd, oflags, errorElsewhere } from "../resources/fds.js";
import { tempDirectory } from "../resources/files.js";
import { requiresRoot, tmpfs } from "../resources/mounts.js";
import { defineScenario, type Args, type ClaimProbe, type SyscallSuite, type Target, type UserMemory, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";

/** What every open scenario sets up: the path, the flags and mode, and the descriptor number the call should get. */
interface OpenCall {
  dir: string;
  path: string;
  filename: UserMemory | bigint;
  flags: number;
  mode: number;
  /** The lowest free descriptor before the call. */
  lowest: number;
  sizeBefore?: number;
}

/** open(2) exists on this arch, else a skip naming what the arch has instead. */
function onArch(): void {
  if (!hasSyscall("open")) throw new ResourceUnavailable("open(2) does not exist on this arch (only openat); the spec is of open", `arch ${currentArch()}`);
}

/**
 * The call's path, flags and mode. The lowest free descriptor is noted last,
 * and closed on release if the call opened it.
 */
function openCall(scope: ResourceScope, o: { dir?: string; name?: string; path?: string; content?: string | null; flags: number; mode?: number; filename?: bigint }): OpenCall {
  onArch();
  const dir = o.dir ?? tempDirectory(scope);
  const path = o.path ?? join(dir, o.name ?? "file");
  if (o.content !== null && o.path === undefined) writeFileSync(path, o.content ?? "kapi-conform open\n");
  const filename = o.filename ?? cString(scope, path);
  const lowest = lowestFreeFd();
  scope.defer(() => {
    if (fdIsOpen(lowest)) syscall("close", lowest);
  });
  return { dir, path, filename, flags: o.flags, mode: o.mode ?? 0, lowest, ...(existsSync(path) && statSync(path).isFile() ? { sizeBefore: statSync(path).size } : {}) };
}

const openArgs = (s: OpenCall): Args => ({ filename: s.filename, flags: s.flags, mode: s.mode });
const err = (summary: string, condition?: string): Target => ({ section: "errors", summary, ...(condition ? { condition } : {}) });
const success: Target = { section: "return" };

/** The process's umask, from /proc/self/status. */
function umask(): number {
  const m = /^Umask:\s*([0-7]+)/m.exec(readFileSync("/proc/self/status", "utf8"));
  if (!m) throw new SetupError("no Umask line in /proc/self/status");
  return parseInt(m[1]!, 8);
}

const LOWEST_FD: ClaimProbe<OpenCall> = {
  claim: "the descriptor returned is the lowest-numbered one not open before the call",
  says: ["lowest-numbered descriptor not currently open"],
  observe: (s, call) => ({ holds: call.errno === undefined && call.ret === BigInt(s.lowest), facts: { returned: String(call.errno ?? call.ret), lowestFree: s.lowest }, detail: `returned ${call.errno ?? call.ret}; lowest free before the call ${s.lowest}` }),
};

const CREATED_WITH_UMASK: ClaimProbe<OpenCall> = {
  claim: "the created file's permission bits are mode & ~umask",
  says: ["effective mode umask"],
  observe: (s) => {
    const mask = umask();
    const bits = existsSync(s.path) ? statSync(s.path).mode & 0o7777 : -1;
    const want = s.mode & ~mask & 0o7777;
    return { holds: bits === want, facts: { mode: `0${s.mode.toString(8)}`, umask: `0${mask.toString(8)}`, created: bits < 0 ? "missing" : `0${bits.toString(8)}` }, detail: `mode 0${s.mode.toString(8)}, umask 0${mask.toString(8)}: file ${bits < 0 ? "missing" : `has 0${bits.toString(8)}`}, expected 0${want.toString(8)}` };
  },
};

const FILE_CREATED: ClaimProbe<OpenCall> = {
  claim: "a new file exists at the path after the call",
  says: ["creates new file"],
  observe: (s) => ({ holds: existsSync(s.path), facts: { exists: existsSync(s.path) }, detail: `${s.path} ${existsSync(s.path) ? "exists" : "does not exist"}` }),
};

const TRUNCATED: ClaimProbe<OpenCall> = {
  claim: "the existing file is truncated to zero length",
  says: ["truncates file zero length"],
  observe: (s) => {
    const size = statSync(s.path).size;
    return { holds: size === 0, facts: { sizeBefore: s.sizeBefore ?? -1, sizeAfter: size }, detail: `size ${s.sizeBefore} before, ${size} after` };
  },
};

/** The file at the path is as it was: failing calls leave it (content and size) alone. */
const UNTOUCHED: ClaimProbe<OpenCall> = {
  claim: "a failing open creates and truncates nothing: the path is as before",
  says: ["creates new file", "truncates file zero length"],
  observe: (s) => {
    const size = existsSync(s.path) ? statSync(s.path).size : -1;
    const holds = s.sizeBefore === undefined ? size === -1 || statSync(s.path).isDirectory() : size === s.sizeBefore;
    return { holds, facts: { sizeBefore: s.sizeBefore ?? -1, sizeAfter: size }, detail: `size ${s.sizeBefore ?? "absent"} before, ${size < 0 ? "absent" : size} after` };
  },
};

const creation: Target = { section: "sideEffects", summary: "filesystem inode" };
const truncation: Target = { section: "sideEffects", summary: "file content" };


/** A running copy of /bin/sleep: its file is an executable being executed. */
function runningExecutable(scope: ResourceScope, dir: string): string {
  const path = join(dir, "running");
  copyFileSync("/bin/sleep", path);
  chmodSync(path, 0o755);
  const child = spawn(path, ["30"], { stdio: "ignore" });
  scope.defer(() => void child.kill("SIGKILL"));
  // Wait until the exec happened (the child's exe is the copy).
  const until = Date.now() + 2000;
  while (Date.now() < until) {
    try {
      if (child.pid !== undefined && readFileSync(`/proc/${child.pid}/cmdline`, "utf8").startsWith(path)) return path;
    } catch {
      /* not yet */
    }
  }
  throw new SetupError(`${path} did not start within 2 s`);
}

export const openSuite: SyscallSuite = {
  syscalls: ["open"],

  baseline: defineScenario<OpenCall>({
    id: "open-existing",
    condition: "an existing regular file is opened O_RDONLY",
    setup: ({ scope }) => openCall(scope, { flags: oflags("O_RDONLY") }),
    args: openArgs,
    checks: [{ kind: "claims", id: "lowest-fd", title: "the descriptor returned is the lowest free one", about: success, probes: [LOWEST_FD] }],
  }),

  scenarios: [
    defineScenario<OpenCall>({
      id: "create",
      condition: "O_CREAT|O_EXCL|O_WRONLY with mode 0666 on a path that does not exist",
      setup: ({ scope }) => openCall(scope, { content: null, flags: oflags("O_CREAT", "O_EXCL", "O_WRONLY"), mode: 0o666 }),
      args: openArgs,
      checks: [
        { kind: "claims", id: "created", title: "the file is created", about: creation, probes: [FILE_CREATED] },
        { kind: "claims", id: "mode-umask", title: "the new file's mode is mode & ~umask", about: { section: "params", summary: /^mode$/ }, probes: [CREATED_WITH_UMASK] },
        { kind: "claims", id: "lowest-fd", title: "the descriptor returned is the lowest free one", about: success, probes: [LOWEST_FD] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "truncate",
      condition: "O_WRONLY|O_TRUNC on an existing non-empty file",
      setup: ({ scope }) => openCall(scope, { flags: oflags("O_WRONLY", "O_TRUNC") }),
      args: openArgs,
      checks: [{ kind: "claims", id: "truncated", title: "O_TRUNC truncates the file to zero length", about: truncation, probes: [TRUNCATED] }],
    }),
    defineScenario<OpenCall>({
      id: "exclusive-existing",
      condition: "O_CREAT|O_EXCL|O_WRONLY|O_TRUNC on a path that exists",
      setup: ({ scope }) => openCall(scope, { flags: oflags("O_CREAT", "O_EXCL", "O_WRONLY", "O_TRUNC"), mode: 0o600 }),
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "exclusive create of an existing path", about: err("file exists") },
        { kind: "claims", id: "atomic", title: "the failing open leaves the existing file (no truncation)", about: truncation, probes: [UNTOUCHED] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "directory-flag-on-file",
      condition: "O_DIRECTORY on a regular file",
      setup: ({ scope }) => openCall(scope, { flags: oflags("O_RDONLY", "O_DIRECTORY") }),
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_DIRECTORY on a file", about: err("not a directory", "O_DIRECTORY was specified") }],
    }),
    defineScenario<OpenCall>({
      id: "write-directory",
      condition: "O_WRONLY on a directory",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, flags: oflags("O_WRONLY") });
        return { ...s, path: s.dir, filename: cString(scope, s.dir) };
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "a directory opened for writing", about: { section: "errors", summary: /^\s*is a directory\s*$/i } }],
    }),
    defineScenario<OpenCall>({
      id: "nofollow-symlink",
      condition: "O_NOFOLLOW on a symbolic link to a regular file",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY", "O_NOFOLLOW") });
        const link = join(s.dir, "link");
        symlinkSync(s.path, link);
        return { ...s, path: link, filename: cString(scope, link) };
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_NOFOLLOW on a symlink", about: err("too many symbolic links", "O_NOFOLLOW was specified but pathname refers to a symbolic link") }],
    }),
    defineScenario<OpenCall>({
      id: "no-read-permission",
      condition: "a file of mode 0600 owned by root, opened O_RDONLY by nobody",
      as: "nobody",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY") });
        chmodSync(s.dir, 0o755);
        chmodSync(s.path, 0o600);
        return s;
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "open without read permission", about: err("permission denied", "requested access to the file is not allowed") }],
    }),
    defineScenario<OpenCall>({
      id: "noatime-not-owner",
      condition: "O_NOATIME by nobody on a readable file owned by root",
      as: "nobody",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY", "O_NOATIME") });
        chmodSync(s.dir, 0o755);
        chmodSync(s.path, 0o644);
        return s;
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_NOATIME on another user's file", about: err("operation not permitted", "O_NOATIME") }],
    }),
    defineScenario<OpenCall>({
      id: "read-only-filesystem",
      condition: "O_WRONLY on an existing file of a tmpfs remounted read-only",
      requires: [requiresRoot],
      setup: ({ scope }) => {
        const fs = tmpfs(scope, 64);
        const s = openCall(scope, { dir: fs.path, flags: oflags("O_WRONLY") });
        fs.makeReadOnly();
        return s;
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "write access on a read-only filesystem", about: err("read-only file system") }],
    }),
    defineScenario<OpenCall>({
      id: "no-inode-left",
      condition: "O_CREAT of a new file on a tmpfs mounted with nr_inodes=2, whose one free inode is used",
      requires: [requiresRoot],
      setup: ({ scope }) => {
        const fs = tmpfs(scope, 64, "nr_inodes=2");
        writeFileSync(join(fs.path, "first"), "");
        return openCall(scope, { dir: fs.path, content: null, name: "second", flags: oflags("O_CREAT", "O_WRONLY"), mode: 0o600 });
      },
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "create on a filesystem with no room for a new file", about: err("no space left on device") },
        { kind: "claims", id: "atomic", title: "the failing create leaves no file behind", about: creation, probes: [UNTOUCHED] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "descriptor-limit",
      condition: "RLIMIT_NOFILE lowered to the lowest free descriptor (restored after the call)",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY") });
        lowerRlimit(scope, "RLIMIT_NOFILE", BigInt(s.lowest));
        return s;
      },
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "no descriptor below RLIMIT_NOFILE", about: err("too many open files", "per-process limit") },
        { kind: "outcome", id: "constraint", title: "the RLIMIT_NOFILE constraint", about: { section: "constraints", summary: "RLIMIT_NOFILE" } },
      ],
    }),
    defineScenario<OpenCall>({
      id: "path-null",
      condition: "filename is NULL",
      setup: ({ scope }) => openCall(scope, { content: null, flags: oflags("O_RDONLY"), filename: 0n }),
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "a NULL path", about: err("bad address") }],
    }),
    defineScenario<OpenCall>({
      id: "path-empty",
      condition: "filename is the empty string",
      setup: ({ scope }) => ({ ...openCall(scope, { flags: oflags("O_RDONLY") }), filename: cString(scope, "") }),
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "an empty path", about: err("no such file or directory", "empty string") }],
    }),
    defineScenario<OpenCall>({
      id: "tmpfile-read-only",
      condition: "O_TMPFILE with O_RDONLY on a directory",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, flags: oflags("O_TMPFILE", "O_RDONLY"), mode: 0o600 });
        return { ...s, path: s.dir, filename: cString(scope, s.dir) };
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_TMPFILE without write access", about: err("invalid argument", "O_TMPFILE with read-only") }],
    }),
    defineScenario<OpenCall>({
      id: "tmpfile-without-directory",
      condition: "O_TMPFILE's own bit without O_DIRECTORY, O_RDWR, on a directory",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, flags: (oflags("O_TMPFILE") & ~oflags("O_DIRECTORY")) | oflags("O_RDWR"), mode: 0o600 });
        return { ...s, path: s.dir, filename: cString(scope, s.dir) };
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_TMPFILE without O_DIRECTORY", about: err("invalid argument", "O_TMPFILE without O_DIRECTORY") }],
    }),
    defineScenario<OpenCall>({
      id: "directory-and-creat",
      condition: "O_DIRECTORY|O_CREAT on a path that does not exist",
      setup: ({ scope }) => openCall(scope, { content: null, flags: oflags("O_DIRECTORY", "O_CREAT", "O_RDONLY"), mode: 0o700 }),
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "O_DIRECTORY with O_CREAT", about: err("invalid argument", "O_DIRECTORY|O_CREAT") },
        { kind: "outcome", id: "flags-text", title: "what the flags' text says of O_CREAT with O_DIRECTORY", about: { section: "params", summary: /^flags$/ }, value: "O_CREAT" },
        { kind: "claims", id: "atomic", title: "the failing open creates nothing", about: creation, probes: [UNTOUCHED] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "path-with-creat",
      condition: "O_PATH|O_CREAT on an existing file: a flag O_PATH does not permit",
      setup: ({ scope }) => openCall(scope, { flags: oflags("O_PATH", "O_CREAT"), mode: 0o600 }),
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_PATH with O_CREAT", about: err("invalid argument", "O_PATH with flags other") }],
    }),
    defineScenario<OpenCall>({
      id: "running-executable",
      condition: "O_WRONLY on a copy of /bin/sleep that is being executed",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, flags: oflags("O_WRONLY") });
        const path = runningExecutable(scope, s.dir);
        return { ...s, path, filename: cString(scope, path), sizeBefore: statSync(path).size };
      },
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "writing a running executable", about: err("text file busy") },
        { kind: "claims", id: "atomic", title: "the failing open leaves the executable", about: truncation, probes: [UNTOUCHED] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "fifo-no-reader",
      condition: "O_WRONLY|O_NONBLOCK on a FIFO that no process has open for reading",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, name: "fifo", flags: oflags("O_WRONLY", "O_NONBLOCK") });
        const made = spawnSync("mkfifo", [s.path]);
        if (made.status !== 0) throw new SetupError(`mkfifo ${s.path} failed: ${made.stderr?.toString().trim() ?? made.error}`);
        return s;
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "FIFO without readers, non-blocking", about: err("no such device or address", "FIFO") }],
    }),
    defineScenario<OpenCall>({
      id: "fifo-interrupted",
      condition: "O_RDONLY on a FIFO with no writer blocks; a signal whose handler lacks SA_RESTART interrupts it",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, name: "fifo", flags: oflags("O_RDONLY") });
        const made = spawnSync("mkfifo", [s.path]);
        if (made.status !== 0) throw new SetupError(`mkfifo ${s.path} failed: ${made.stderr?.toString().trim() ?? made.error}`);
        interruptingSignal(scope);
        return s;
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "interrupted", title: "blocking FIFO open interrupted by a signal", about: err("interrupted system call") }],
    }),
    defineScenario<OpenCall>({
      id: "tmpfile-unsupported",
      condition: "O_TMPFILE|O_RDWR on /proc, a filesystem without tmpfile support",
      setup: ({ scope }) => ({ ...openCall(scope, { content: null, flags: oflags("O_TMPFILE", "O_RDWR"), mode: 0o600 }), path: "/proc", filename: cString(scope, "/proc") }),
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_TMPFILE where the filesystem lacks it", about: err("operation not supported") }],
    }),
  ],

  environmentOnly: [
    errorElsewhere("busy-block-device", "device or resource busy", "needs a mounted block device this process may open with O_EXCL", "opening /dev/vda here is denied (EPERM) by the sandbox's device policy"),
    errorElsewhere("quota", "disk quota exceeded", "needs a filesystem with quotas enabled and a user over its inode quota", "kapi-conform sets up no quota"),
    errorElsewhere("system-file-limit", "too many open files in system", "needs fs.file-max reached by an unprivileged process: would starve every process on this shared machine", "not created deliberately"),
    errorElsewhere("no-device", /^\s*no such device\s*$/i, "needs a device special file whose driver is absent and reports ENODEV", "kapi-conform creates no device nodes"),
    errorElsewhere("out-of-memory", "out of memory", "needs kernel memory exhaustion during open", "not created deliberately on a shared machine"),
    errorElsewhere("overflow-32bit", "value too large for defined data type", "only 32-bit processes without O_LARGEFILE can hit it; kapi-conform runs 64-bit", "64-bit process: O_LARGEFILE is forced"),
    errorElsewhere("lease", "resource temporarily unavailable", "needs a conflicting lease held by another process on the file", "kapi-conform takes no leases", "lease"),
    errorElsewhere("would-block", "resource temporarily unavailable", "needs openat2 with RESOLVE_CACHED or a FIFO/regular file whose open would block with O_NONBLOCK; open(2) has neither here", "a FIFO opened O_RDONLY|O_NONBLOCK returns at once", "operation would block"),
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
