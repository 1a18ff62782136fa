// SPDX-License-Identifier: GPL-2.0-only
// The open scenario table, for the RFC v5 and the PATCH v4 specs alike. No
// entry states an errno, return value or effect: each check names the spec
// item by its words and the expectation is read from it when the case runs.
// open(2) does not exist on arm64 and riscv64 (only openat): there every case
// is a skip saying so; the spec is of open, so openat is not substituted.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, existsSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentArch, hasSyscall } from "../../kernel/arch.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { Mapping } from "../../kernel/memory.js";
import { syscall, type SyscallResult } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { cString, fdIsOpen, interruptingSignal, lowerRlimit, lowestFreeFd, oflags, errorElsewhere, sealedMemfd } from "../resources/fds.js";
import { directIoAlignment } from "../resources/file-io.js";
import { tempDirectory } from "../resources/files.js";
import { chattr } from "../xattr/fixtures.js";
import { requiresRoot, tmpfs } from "../resources/mounts.js";
import { atimeMovesOnRead, describe, fdTarget, mtimeCtimeUpdated, openOnce, pathOfLength, claimedLoopDevice, deviceNode, kernelConfig, unregisteredCharMajor, unregisteredMiscMinor, readLease, readOneByte } from "./observe.js";
import { agedTimes, timesOf, type Times } from "../resources/times.js";
import { dropEffective, requireEffective, type CapabilityName } from "../resources/capabilities.js";
import { defineScenario, type Args, type Check, type ClaimProbe, type Said, type EnvironmentOnly, type Scenario, type FactObservation, type SyscallSuite, type Target, type UserMemory, type Words, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";

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
  /** Timestamps noted before the call, and of which path (the file, or its parent directory). */
  times?: { path: string; before: Times };
  /** Calls made on probes' behalf (read/write buffers, paths): released with the scenario. */
  scope: ResourceScope;
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
  return { dir, path, filename, flags: o.flags, mode: o.mode ?? 0, lowest, scope, ...(existsSync(path) && statSync(path).isFile() ? { sizeBefore: statSync(path).size } : {}) };
}

const openArgs = (s: OpenCall): Args => ({ filename: s.filename, flags: s.flags, mode: s.mode });
const err = (summary: string, condition?: string, text?: string): Target => ({ section: "errors", summary, ...(condition ? { condition } : {}), ...(text ? { text } : {}) });
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

/** The number the sentence gives `name` ("PATH_MAX (4096 bytes)", "S_IALLUGO (07777)"); a skip when it gives none. */
function numberSaid(said: Said, name: string): number {
  const m = new RegExp(`${name}\\W*\\(?\\s*(?:usually\\s+)?(0[0-7]+|\\d+)`).exec(said.sentence);
  if (!m) throw new ResourceUnavailable(`the sentence gives ${name} no value to check`, said.sentence);
  return m[1]!.length > 1 && m[1]!.startsWith("0") ? parseInt(m[1]!, 8) : Number(m[1]);
}

const HIGH_MODE_BITS_MASKED: ClaimProbe<OpenCall> = {
  claim: "mode bits above the mask the sentence names (S_IALLUGO) are dropped: the call succeeds and the file gets (mode & mask) & ~umask",
  says: ["mode values exceeding S_IALLUGO are masked off"],
  observe: (s, call, said) => {
    const mask = numberSaid(said, "S_IALLUGO");
    const bits = existsSync(s.path) ? statSync(s.path).mode & 0o7777 : -1;
    const want = s.mode & mask & ~umask();
    return { holds: call.errno === undefined && bits === want, facts: { returned: String(call.errno ?? call.ret), created: bits < 0 ? "missing" : `0${bits.toString(8)}` }, detail: `mode 0${s.mode.toString(8)}, mask 0${mask.toString(8)}: open returned ${call.errno ?? call.ret}, file ${bits < 0 ? "missing" : `has 0${bits.toString(8)}`}, expected 0${want.toString(8)}` };
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
const timestamps: Target = { section: "sideEffects", summary: "inode timestamps" };
const capability = (name: string): Target => ({ section: "capabilities", summary: name });

/** The times noted in setup, for probes of scenarios that note none a setup error. */
function noted(s: OpenCall): { path: string; before: Times } {
  if (!s.times) throw new SetupError("the scenario noted no timestamps before the call");
  return s.times;
}

const opened = (call: { errno?: string }): boolean => call.errno === undefined;

const FD_IN_TABLE: ClaimProbe<OpenCall> = {
  claim: "the returned descriptor is in the process's descriptor table (/proc/self/fd), naming the opened file",
  says: ["allocates a new file descriptor in the process's fd table"],
  observe: (s, call) => {
    const target = opened(call) ? fdTarget(call.ret) : undefined;
    const want = realpathSync(s.path);
    return { holds: target === want, facts: { returned: describe(call), entry: target ?? "none" }, detail: `/proc/self/fd/${call.ret} ${target === undefined ? "does not exist" : `-> ${target}`}; the file is ${want}` };
  },
};

const PARENT_TIMES: ClaimProbe<OpenCall> = {
  claim: "the parent directory's mtime and ctime move forward",
  says: ["updates parent directory mtime and ctime"],
  observe: (s) => mtimeCtimeUpdated("parent directory", noted(s).path, noted(s).before),
};

const TRUNCATE_TIMES: ClaimProbe<OpenCall> = {
  claim: "the truncated file's mtime and ctime move forward",
  says: ["updates file mtime and ctime", "opens for writing that truncate update mtime and ctime"],
  observe: (s) => mtimeCtimeUpdated("truncated file", noted(s).path, noted(s).before),
};

const NOATIME_KEEPS_ATIME: ClaimProbe<OpenCall> = {
  claim: "with O_NOATIME, neither the open nor a read through its descriptor moves the file's atime (a read without it does, on this mount)",
  says: ["unless O_NOATIME is specified"],
  observe: (s, call) => {
    const read = opened(call) ? describe(readOneByte(s.scope, call.ret)) : "not opened";
    const { before } = noted(s);
    const after = timesOf(s.path).atime;
    return { holds: opened(call) && after === before.atime, facts: { returned: describe(call), read, atimeBefore: String(before.atime), atimeAfter: String(after) }, detail: `open ${describe(call)}, read ${read}: atime ${before.atime} -> ${after} ns` };
  },
};

/** The call under test succeeded where only the named capability of the caller allows it. */
function allowedBy(claim: string, says: string): ClaimProbe<OpenCall> {
  return {
    claim,
    says: [says],
    observe: (_s, call) => ({ holds: opened(call), facts: { returned: describe(call) }, detail: `open returned ${describe(call)}` }),
  };
}

/** The call under test is refused without the named capability. */
function refusedWithout(cap: string, says: Words): ClaimProbe<OpenCall> {
  return {
    claim: `the open is refused without ${cap}`,
    says: [says],
    observe: (_s, call) => ({ holds: !opened(call), facts: { returned: describe(call) }, detail: `open returned ${describe(call)}` }),
  };
}

const DAC_OVERRIDE_BYPASS = allowedBy("the open succeeds with CAP_DAC_OVERRIDE alone (CAP_DAC_READ_SEARCH dropped)", "bypass file read, write, and execute permission checks");
const DAC_OVERRIDE_WITHOUT = refusedWithout("CAP_DAC_OVERRIDE", "standard DAC checks are applied");
const READ_SEARCH_BYPASS = allowedBy("the open succeeds with CAP_DAC_READ_SEARCH alone (CAP_DAC_OVERRIDE dropped)", "bypass read permission on files and search permission on directories");
// A regular expression: by its content words alone the phrase would match the "allows" sentence too.
const READ_SEARCH_WITHOUT = refusedWithout("CAP_DAC_READ_SEARCH", /\bmust have read permission on file/i);
const NOATIME_NOT_OWNER = allowedBy("the O_NOATIME open of another user's file succeeds with CAP_FOWNER", "use O_NOATIME on files not owned by caller");

/** PATH_MAX (the sentence's) counts the terminating NUL: a path of PATH_MAX - 1 bytes opens, one of PATH_MAX bytes is refused. */
const PATH_MAX_BOUND: ClaimProbe<OpenCall> = {
  claim: "a path of PATH_MAX - 1 bytes (PATH_MAX with its NUL) opens; one of PATH_MAX bytes is refused",
  says: ["maximum length PATH_MAX bytes including null terminator"],
  observe: (s, _call, said) => {
    const limit = numberSaid(said, "PATH_MAX");
    const file = realpathSync(s.path);
    const within = openOnce(s.scope, pathOfLength(file, limit - 1), oflags("O_RDONLY"));
    const beyond = openOnce(s.scope, pathOfLength(file, limit), oflags("O_RDONLY"));
    return { holds: opened(within) && !opened(beyond), facts: { pathMax: limit, within: describe(within), beyond: describe(beyond) }, detail: `PATH_MAX ${limit}: a ${limit - 1}-byte path ${describe(within)}; a ${limit}-byte path to the same file ${describe(beyond)}` };
  },
};

const NAME_MAX_BOUND: ClaimProbe<OpenCall> = {
  claim: "a name of NAME_MAX bytes is created; one of NAME_MAX + 1 is refused",
  says: ["path components must not exceed NAME_MAX"],
  observe: (s, _call, said) => {
    const limit = numberSaid(said, "NAME_MAX");
    const flags = oflags("O_CREAT", "O_WRONLY");
    const at = openOnce(s.scope, join(s.dir, "n".repeat(limit)), flags, 0o600);
    const beyond = openOnce(s.scope, join(s.dir, "m".repeat(limit + 1)), flags, 0o600);
    return { holds: opened(at) && !opened(beyond), facts: { nameMax: limit, nameAt: describe(at), nameBeyond: describe(beyond) }, detail: `NAME_MAX ${limit}: O_CREAT of a ${limit}-byte name ${describe(at)}; of a ${limit + 1}-byte name ${describe(beyond)}` };
  },
};

const O_PATH_IO_FAILS: ClaimProbe<OpenCall> = {
  claim: "read and write through an O_PATH descriptor fail with the errno the sentence names",
  says: ["I/O operations will fail with"],
  observe: (s, call, said): FactObservation => {
    if (!opened(call)) return { holds: false, facts: { returned: describe(call) }, detail: `the O_PATH open itself failed: ${describe(call)}` };
    const read = readOneByte(s.scope, call.ret);
    const buf = cString(s.scope, "x");
    const write = syscall("write", call.ret, buf.address, 1);
    const named = (r: SyscallResult): boolean => r.errno !== undefined && said.errnos.includes(r.errno);
    return { holds: named(read) && named(write), facts: { read: describe(read), write: describe(write) }, detail: `read: ${describe(read)}; write: ${describe(write)}` };
  },
};

/** The file an O_DIRECT scenario opens: its content, and the buffer alignment O_DIRECT needs there. */
interface DirectCall extends OpenCall {
  content: Buffer;
  align: number;
}

const UNALIGNED_DIRECT_READ: ClaimProbe<DirectCall> = {
  claim: "a read through the O_DIRECT descriptor into a buffer off its alignment fails with the errno the sentence names, or returns the file's bytes (buffered)",
  says: ["unaligned I/O may fail with or fall back to buffered I/O"],
  observe: (s, call, said): FactObservation => {
    if (!opened(call)) return { holds: false, facts: { returned: describe(call) }, detail: `the O_DIRECT open itself failed: ${describe(call)}` };
    const buf = s.scope.add(Mapping.map(2 * s.align));
    const r = syscall("pread64", call.ret, buf.address + 1n, s.align, 0);
    const got = r.errno === undefined ? buf.read(1, Number(r.ret)) : Buffer.alloc(0);
    const buffered = r.errno === undefined && got.equals(s.content.subarray(0, got.length)) && got.length > 0;
    return {
      holds: (r.errno !== undefined && said.errnos.includes(r.errno)) || buffered,
      facts: { read: r.errno ?? `${r.ret} bytes`, alignment: s.align, bytesMatch: buffered },
      detail: `pread of ${s.align} bytes into a buffer 1 byte past a ${s.align}-byte boundary: ${r.errno ?? `${r.ret} bytes, ${buffered ? "the file's" : "not the file's"}`}`,
    };
  },
};

const NO_DEVICE: Target = { section: "errors", summary: /^\s*no such device\s*$/i };

const NOT_ALLOWED = err("permission denied", "requested access to the file is not allowed");

/**
 * Root opens a mode-0000 file (in a directory of `dirMode` when given) with
 * the named capabilities dropped from its effective set, so that what remains
 * (or nothing) decides.
 */
function lockedFileScenario(id: string, access: "O_RDONLY" | "O_WRONLY" | "O_RDWR", dropped: CapabilityName[], checks: Check<OpenCall>[], kept: CapabilityName[] = [], dirMode?: number): Scenario<unknown> {
  return defineScenario<OpenCall>({
    id,
    condition: `${access} by root on a mode-0000 file${dirMode === undefined ? "" : ` in a mode-0${dirMode.toString(8)} directory`}, ${dropped.join(" and ")} dropped from the effective set`,
    requires: [requiresRoot],
    setup: ({ scope }) => {
      const s = openCall(scope, { flags: oflags(access) });
      chmodSync(s.path, 0);
      if (dirMode !== undefined) chmodSync(s.dir, dirMode);
      requireEffective(...kept);
      dropEffective(scope, ...dropped);
      return s;
    },
    args: openArgs,
    checks,
  });
}


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

/** An error only a kernel with some build options can show here: the detail says which this kernel has. */
function needsKernelOptions(id: string, summary: string, reason: string, options: string[]): EnvironmentOnly {
  return {
    id,
    title: summary,
    about: err(summary),
    reason: () => {
      const config = kernelConfig(options);
      return { reason, detail: config ? Object.entries(config).map(([o, v]) => `${o}=${v}`).join(", ") : "no /proc/config.gz to tell which options this kernel has" };
    },
  };
}

/** Items about fs.file-max: reaching it is a change of the whole (shared) kernel. */
function fileMaxUnreached(id: string, title: string, about: Target): EnvironmentOnly {
  return { id, title, about, reason: () => ({ reason: "needs fs.file-max reached: lowering the system-wide limit would make every process on this shared kernel fail with ENFILE", detail: "fs.file-max is not namespaced" }) };
}

export const openSuite: SyscallSuite = {
  syscalls: ["open"],

  baseline: defineScenario<OpenCall>({
    id: "open-existing",
    condition: "an existing regular file is opened O_RDONLY",
    setup: ({ scope }) => openCall(scope, { flags: oflags("O_RDONLY") }),
    args: openArgs,
    checks: [
      { kind: "claims", id: "lowest-fd", title: "the descriptor returned is the lowest free one", about: success, probes: [LOWEST_FD] },
      { kind: "claims", id: "fd-table", title: "the new descriptor is in the process's descriptor table", about: { section: "sideEffects", summary: "file descriptor" }, probes: [FD_IN_TABLE] },
    ],
  }),

  scenarios: [
    defineScenario<OpenCall>({
      id: "create",
      condition: "O_CREAT|O_EXCL|O_WRONLY with mode 0666 on a path that does not exist",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, flags: oflags("O_CREAT", "O_EXCL", "O_WRONLY"), mode: 0o666 });
        return { ...s, times: { path: s.dir, before: agedTimes(s.dir) } };
      },
      args: openArgs,
      checks: [
        { kind: "claims", id: "created", title: "the file is created, its directory's mtime and ctime updated", about: creation, probes: [FILE_CREATED, PARENT_TIMES] },
        { kind: "claims", id: "mode-umask", title: "the new file's mode is mode & ~umask", about: { section: "params", summary: /^mode$/ }, probes: [CREATED_WITH_UMASK] },
        { kind: "claims", id: "lowest-fd", title: "the descriptor returned is the lowest free one", about: success, probes: [LOWEST_FD] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "create-mode-high-bits",
      condition: "O_CREAT|O_EXCL|O_WRONLY with mode 0170644 (file-type bits above S_IALLUGO) on a path that does not exist",
      setup: ({ scope }) => openCall(scope, { content: null, flags: oflags("O_CREAT", "O_EXCL", "O_WRONLY"), mode: 0o170644 }),
      args: openArgs,
      checks: [{ kind: "claims", id: "mode-masked", title: "mode bits beyond 07777 are masked off, not refused", about: { section: "params", summary: /^mode$/ }, probes: [HIGH_MODE_BITS_MASKED] }],
    }),
    defineScenario<OpenCall>({
      id: "truncate",
      condition: "O_WRONLY|O_TRUNC on an existing non-empty file",
      setup: ({ scope }) => openCall(scope, { flags: oflags("O_WRONLY", "O_TRUNC") }),
      args: openArgs,
      checks: [{ kind: "claims", id: "truncated", title: "O_TRUNC truncates the file to zero length", about: truncation, probes: [TRUNCATED] }],
    }),
    defineScenario<OpenCall>({
      id: "truncate-timestamps",
      condition: "O_WRONLY|O_TRUNC on an existing non-empty file whose mtime is in 2001",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_WRONLY", "O_TRUNC") });
        return { ...s, times: { path: s.path, before: agedTimes(s.path) } };
      },
      args: openArgs,
      checks: [
        { kind: "claims", id: "file-content-times", title: "the truncation updates the file's mtime and ctime", about: truncation, probes: [TRUNCATE_TIMES] },
        { kind: "claims", id: "inode-times", title: "an open for writing that truncates updates mtime and ctime", about: timestamps, probes: [TRUNCATE_TIMES] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "noatime-owner",
      condition: "O_RDONLY|O_NOATIME by root on its own file whose atime is in 2001, on a mount where a read moves atime",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY", "O_NOATIME") });
        atimeMovesOnRead(scope, s.dir);
        return { ...s, times: { path: s.path, before: agedTimes(s.path) } };
      },
      args: openArgs,
      checks: [{ kind: "claims", id: "atime-kept", title: "O_NOATIME: the open and a read through it leave atime", about: timestamps, probes: [NOATIME_KEEPS_ATIME] }],
    }),
    defineScenario<OpenCall>({
      id: "noatime-not-owner-fowner",
      condition: "O_RDONLY|O_NOATIME by root (CAP_FOWNER) on a file owned by nobody",
      requires: [requiresRoot],
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY", "O_NOATIME") });
        chownSync(s.path, 65534, 65534);
        requireEffective("CAP_FOWNER");
        return s;
      },
      args: openArgs,
      checks: [{ kind: "claims", id: "capability", title: "CAP_FOWNER allows O_NOATIME on another user's file", about: capability("CAP_FOWNER"), probes: [NOATIME_NOT_OWNER] }],
    }),
    defineScenario<OpenCall>({
      id: "noatime-not-owner-without-fowner",
      condition: "O_RDONLY|O_NOATIME by root with CAP_FOWNER dropped from its effective set, on a file owned by nobody",
      requires: [requiresRoot],
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY", "O_NOATIME") });
        chownSync(s.path, 65534, 65534);
        dropEffective(scope, "CAP_FOWNER");
        return s;
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "capability", title: "without CAP_FOWNER, O_NOATIME on another user's file is refused", about: capability("CAP_FOWNER") }],
    }),
    lockedFileScenario(
      "mode-000-dac-override",
      "O_RDWR",
      ["CAP_DAC_READ_SEARCH"],
      [{ kind: "claims", id: "capability", title: "CAP_DAC_OVERRIDE bypasses read and write permission", about: capability("CAP_DAC_OVERRIDE"), probes: [DAC_OVERRIDE_BYPASS] }],
      ["CAP_DAC_OVERRIDE"],
    ),
    lockedFileScenario("mode-000-write-without-dac-override", "O_WRONLY", ["CAP_DAC_OVERRIDE"], [
      { kind: "claims", id: "capability", title: "without CAP_DAC_OVERRIDE the write permission check applies", about: capability("CAP_DAC_OVERRIDE"), probes: [DAC_OVERRIDE_WITHOUT] },
      { kind: "outcome", id: "rejected", title: "no write permission", about: NOT_ALLOWED },
    ]),
    lockedFileScenario(
      "mode-000-dac-read-search",
      "O_RDONLY",
      ["CAP_DAC_OVERRIDE"],
      [{ kind: "claims", id: "capability", title: "CAP_DAC_READ_SEARCH bypasses read permission on the file and search permission on its directory", about: capability("CAP_DAC_READ_SEARCH"), probes: [READ_SEARCH_BYPASS] }],
      ["CAP_DAC_READ_SEARCH"],
      0,
    ),
    lockedFileScenario("mode-000-read-without-dac-capabilities", "O_RDONLY", ["CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH"], [
      { kind: "claims", id: "capability", title: "without CAP_DAC_READ_SEARCH read permission is needed", about: capability("CAP_DAC_READ_SEARCH"), probes: [READ_SEARCH_WITHOUT] },
      { kind: "outcome", id: "rejected", title: "no read permission", about: NOT_ALLOWED },
    ]),
    defineScenario<OpenCall>({
      id: "path-at-limit",
      condition: "a path of 4095 bytes (4096 with its NUL, slashes padding an existing file's absolute path)",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY") });
        return { ...s, filename: cString(scope, pathOfLength(realpathSync(s.path), 4095)) };
      },
      args: openArgs,
      checks: [
        { kind: "claims", id: "constraint", title: "the PATH_MAX and NAME_MAX bounds", about: { section: "constraints", summary: "PATH_MAX" }, probes: [PATH_MAX_BOUND, NAME_MAX_BOUND] },
        { kind: "claims", id: "filename-length", title: "the filename's PATH_MAX bound counts the NUL", about: { section: "params", summary: /^filename$/ }, probes: [PATH_MAX_BOUND] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "path-descriptor-io",
      condition: "O_PATH on an existing file, then read and write through the descriptor",
      setup: ({ scope }) => openCall(scope, { flags: oflags("O_PATH") }),
      args: openArgs,
      checks: [{ kind: "claims", id: "io-fails", title: "the notes: I/O through an O_PATH descriptor fails", about: { section: "claims", text: "I/O operations will fail" }, probes: [O_PATH_IO_FAILS] }],
    }),
    defineScenario<DirectCall>({
      id: "direct-unaligned-read",
      condition: "O_RDONLY|O_DIRECT on a file of the temp filesystem, which needs aligned buffers; then a read into a misaligned buffer",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY", "O_DIRECT") });
        return { ...s, content: readFileSync(s.path), align: directIoAlignment(scope, s.path) };
      },
      args: openArgs,
      checks: [{ kind: "claims", id: "unaligned-io", title: "the notes: unaligned O_DIRECT I/O fails with EINVAL or falls back to buffered I/O", about: { section: "claims", text: "unaligned I/O" }, probes: [UNALIGNED_DIRECT_READ] }],
    }),
    defineScenario<OpenCall>({
      id: "direct-unsupported",
      condition: "O_RDONLY|O_DIRECT on /proc/self/status: procfs files have no direct I/O",
      setup: ({ scope }) => openCall(scope, { path: "/proc/self/status", flags: oflags("O_RDONLY", "O_DIRECT") }),
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_DIRECT where the filesystem lacks it", about: err("invalid argument", "O_DIRECT requested but filesystem doesn't support it") }],
    }),
    defineScenario<OpenCall>({
      id: "lease-nonblocking",
      condition: "O_WRONLY|O_NONBLOCK on a file this process holds a read lease on (F_SETLEASE F_RDLCK)",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_WRONLY", "O_NONBLOCK") });
        readLease(scope, s.path);
        return s;
      },
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "a conflicting lease, non-blocking", about: err("resource temporarily unavailable", undefined, "lease") },
        { kind: "outcome", id: "would-block", title: "a regular file whose open would block, O_NONBLOCK", about: err("resource temporarily unavailable", undefined, "operation would block"), otherwise: err("resource temporarily unavailable", undefined, "lease") },
      ],
    }),
    defineScenario<OpenCall>({
      id: "block-device-claimed",
      condition: "O_RDONLY|O_EXCL on an unbound loop device this process already holds open O_EXCL (claimed, as a mount claims its device)",
      requires: [requiresRoot],
      setup: ({ scope }) => {
        const device = claimedLoopDevice(scope);
        return openCall(scope, { path: device, flags: oflags("O_RDONLY", "O_EXCL") });
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "O_EXCL on a block device in use", about: err("device or resource busy") }],
    }),
    ...(
      [
        ["misc-device-absent", "a character device node of the misc major (10) with a minor no driver registered", (dir: string) => deviceNode(dir, "misc", 10, unregisteredMiscMinor())],
        ["char-device-absent", "a character device node of a major no driver registered", (dir: string) => deviceNode(dir, "chr", unregisteredCharMajor(), 0)],
      ] as const
    ).map(([id, condition, node]) =>
      defineScenario<OpenCall>({
        id,
        condition: `O_RDONLY on ${condition}`,
        requires: [requiresRoot],
        setup: ({ scope }) => {
          const dir = tempDirectory(scope);
          return openCall(scope, { dir, path: node(dir), flags: oflags("O_RDONLY") });
        },
        args: openArgs,
        checks: [
          {
            kind: "precedence",
            id: "rejected",
            title: "a device special file with no device: ENODEV's and ENXIO's texts both describe it",
            about: NO_DEVICE,
            candidates: [NO_DEVICE, err("no such device or address", "device special file that does not exist")],
          },
        ],
      }),
    ),
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
      id: "truncate-directory",
      condition: "O_RDONLY|O_TRUNC on a directory",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, flags: oflags("O_RDONLY", "O_TRUNC") });
        return { ...s, path: s.dir, filename: cString(scope, s.dir) };
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "a directory opened with O_TRUNC", about: { section: "errors", summary: /^\s*is a directory\s*$/i, condition: "O_TRUNC" } }],
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
      id: "create-parent-not-writable",
      condition: "O_CREAT|O_WRONLY by nobody of a new file in a root-owned 0755 directory",
      as: "nobody",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, flags: oflags("O_CREAT", "O_WRONLY"), mode: 0o644 });
        chmodSync(s.dir, 0o755);
        return s;
      },
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "create without write permission on the directory", about: err("permission denied", "write access to the parent directory is not allowed") },
        { kind: "claims", id: "atomic", title: "the failing create leaves no file behind", about: creation, probes: [UNTOUCHED] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "truncate-not-writable",
      condition: "O_RDONLY|O_TRUNC by nobody on a root-owned 0644 file (readable, not writable)",
      as: "nobody",
      setup: ({ scope }) => {
        const s = openCall(scope, { flags: oflags("O_RDONLY", "O_TRUNC") });
        chmodSync(s.dir, 0o755);
        chmodSync(s.path, 0o644);
        return s;
      },
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "O_TRUNC without write permission", about: err("permission denied", "O_TRUNC is specified but write permission is denied") },
        { kind: "claims", id: "atomic", title: "the failing open leaves the file's content", about: truncation, probes: [UNTOUCHED] },
      ],
    }),
    defineScenario<OpenCall>({
      id: "dangling-symlink",
      condition: "O_RDONLY on a symbolic link whose target does not exist",
      setup: ({ scope }) => {
        const s = openCall(scope, { content: null, flags: oflags("O_RDONLY") });
        const link = join(s.dir, "dangling");
        symlinkSync(join(s.dir, "missing"), link);
        return { ...s, filename: cString(scope, link) };
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "a dangling symbolic link", about: err("no such file or directory", "dangling symbolic link") }],
    }),
    defineScenario<OpenCall>({
      id: "unknown-flag",
      condition: "O_RDONLY with bit 0x40000000, which no O_* flag uses, on an existing file",
      setup: ({ scope }) => openCall(scope, { flags: oflags("O_RDONLY") | 0x40000000 }),
      args: openArgs,
      checks: [{ kind: "outcome", id: "flags-text", title: "what the flags' text says of unknown flags", about: { section: "params", summary: /^flags$/ }, value: "unknown flags" }],
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
    ...(
      [
        ["immutable-file", "O_WRONLY on a file made immutable (chattr +i), as root", "i", oflags("O_WRONLY"), "immutable"],
        ["append-only-file", "O_WRONLY without O_APPEND on a file made append-only (chattr +a), as root", "a", oflags("O_WRONLY"), "append-only"],
      ] as const
    ).map(([id, condition, flag, flags, words]) =>
      defineScenario<OpenCall>({
        id,
        condition,
        requires: [requiresRoot],
        setup: ({ scope }) => {
          const s = openCall(scope, { flags });
          chattr(scope, s.path, flag);
          return s;
        },
        args: openArgs,
        checks: [{ kind: "outcome", id: "rejected", title: `write access to an ${words} file`, about: err("operation not permitted", words) }],
      }),
    ),
    defineScenario<OpenCall>({
      id: "sealed-truncate",
      condition: "O_WRONLY|O_TRUNC on a non-empty memfd sealed with F_SEAL_SHRINK, through /proc/self/fd",
      setup: ({ scope }) => {
        const fd = sealedMemfd(scope, Buffer.from("kapi-conform sealed\n"), ["F_SEAL_SHRINK"]);
        return openCall(scope, { path: `/proc/self/fd/${fd}`, flags: oflags("O_WRONLY", "O_TRUNC") });
      },
      args: openArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "a truncation a seal forbids", about: err("operation not permitted", "a seal prevents the operation") }],
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
      checks: [
        { kind: "outcome", id: "rejected", title: "O_TMPFILE without write access", about: err("invalid argument", "O_TMPFILE with read-only") },
        { kind: "outcome", id: "flags-text", title: "what the flags' text says of O_TMPFILE combinations", about: { section: "params", summary: /^flags$/ }, value: "O_TMPFILE" },
      ],
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
      checks: [
        { kind: "outcome", id: "interrupted", title: "blocking FIFO open interrupted by a signal", about: err("interrupted system call") },
        { kind: "outcome", id: "signal", title: "the signal item: a blocked open a signal interrupts returns its error", about: { section: "signals", summary: "Any signal" } },
      ],
    }),
    defineScenario<OpenCall>({
      id: "tmpfile-unsupported",
      condition: "O_TMPFILE|O_RDWR on /proc, a filesystem without tmpfile support",
      setup: ({ scope }) => ({ ...openCall(scope, { content: null, flags: oflags("O_TMPFILE", "O_RDWR"), mode: 0o600 }), path: "/proc", filename: cString(scope, "/proc") }),
      args: openArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "O_TMPFILE where the filesystem lacks it", about: err("operation not supported") },
        { kind: "outcome", id: "eisdir-text", title: "what EISDIR's text says of O_TMPFILE on a directory without tmpfile support", about: err("is a directory", "O_TMPFILE is used on a directory that doesn't support tmpfile operations") },
      ],
    }),
  ],

  environmentOnly: [
    needsKernelOptions("quota", "disk quota exceeded", "needs a filesystem enforcing an inode quota (ext4 needs CONFIG_QFMT_V2, XFS CONFIG_XFS_QUOTA, tmpfs CONFIG_TMPFS_QUOTA) and a user at its limit", ["CONFIG_QFMT_V2", "CONFIG_XFS_QUOTA", "CONFIG_TMPFS_QUOTA"]),
    errorElsewhere("system-file-limit", "too many open files in system", "needs fs.file-max reached by an unprivileged process: would starve every process on this shared machine", "not created deliberately"),
    fileMaxUnreached("file-max-capability", "CAP_SYS_ADMIN exceeds fs.file-max", capability("CAP_SYS_ADMIN")),
    fileMaxUnreached("file-max-constraint", "the file-max constraint", { section: "constraints", summary: "file-max" }),
    fileMaxUnreached("file-max-enfile", "ENFILE without CAP_SYS_ADMIN at the limit (CAP_SYS_ADMIN's text)", { section: "claims", text: "returns ENFILE when system limit is reached" }),
    fileMaxUnreached("file-max-constraint-enfile", "ENFILE without CAP_SYS_ADMIN at the limit (the constraint's text)", { section: "claims", text: "processes without CAP_SYS_ADMIN receive ENFILE" }),
    {
      id: "rcu-walk-echild",
      title: "the RCU lock's text: ECHILD from RCU lookup falls back to reference walk",
      about: { section: "claims", text: "RCU lookup fails" },
      reason: () => ({ reason: "ECHILD is internal to path lookup (unlazy walk): open never returns it, so no outcome shows the fallback", detail: "a kernel-side path: observable with tracing (kprobe on try_to_unlazy), not from the call" }),
    },
    {
      id: "killable-lock-eintr",
      title: "the parent directory lock's text: a killable wait returns EINTR on a fatal signal",
      about: { section: "claims", text: "killable variant" },
      reason: () => ({ reason: "a fatal signal ends the caller: the EINTR of a killable wait reaches no user space", detail: "only the process's death is observable, not the errno" }),
    },
    needsKernelOptions("out-of-memory", "out of memory", "needs a kernel allocation of open to fail: fault injection (CONFIG_FAILSLAB) aimed at this task; exhausting memory would hit every process of this shared kernel", ["CONFIG_FAILSLAB"]),
    errorElsewhere("overflow-32bit", "value too large for defined data type", "only 32-bit processes without O_LARGEFILE can hit it; kapi-conform runs 64-bit", "64-bit process: O_LARGEFILE is forced"),
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
