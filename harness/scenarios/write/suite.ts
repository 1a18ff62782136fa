// SPDX-License-Identifier: GPL-2.0-only
// The write scenario table, for the RFC v5 and the PATCH v4 specs alike. No
// entry states an errno, return value or effect: each check names the spec
// item by its words and the expectation is read from it when the case runs.
// Every failing write on a regular file is also checked for atomicity: the
// offset and data claims, judged by the count returned, must find nothing changed.
// Signals the call sends are seen pending in the calling thread, where they are
// blocked for the call; capability items are checked by root with only the
// capability the item names dropped (observe.ts, capabilities.ts).
import { chmodSync, chownSync, closeSync, openSync, readFileSync, statSync } from "node:fs";
import { currentArch } from "../../kernel/arch.js";
import { constant } from "../../kernel/constants.js";
import { guardPage, Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { blockSignal, isPending } from "../../kernel/signal-mask.js";
import { check, rawSyscall, syscall } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { fileOffset, fillFile, fillPipe, ignoreSignal, interruptingSignal, lowerRlimit, oflags, openFd, pathFd, pipeFds, errorElsewhere } from "../resources/fds.js";
import { APPENDS_AT_END, COUNT_ZERO, FILE_CONTENT, misalignedDirectIo, epollFd, fileIo, memfdIo, OFFSET_ADVANCED, WRITE_STORES_BYTES, type FileIo } from "../resources/file-io.js";
import { tempDirectory } from "../resources/files.js";
import { requiresRoot, tmpfs } from "../resources/mounts.js";
import { capabilityNamed, dropEffective } from "../resources/capabilities.js";
import { COUNT_CLAMPED, CTIME_UPDATED, DAC_AT_OPEN, INTERRUPTED_AFTER_DATA, INTERRUPTED_BEFORE_DATA, MODIFY_EVENT, MTIME_UPDATED, queued, signalSent, SUID_CLEARED, SYSCW_ADDED, watchModify, WCHAR_ADDED, type PipeWrite, type SetId, type Timed } from "./observe.js";
import { agedTimes } from "../resources/times.js";
import type { Watched } from "../resources/inotify.js";
import { IoWatch, settleIo, type Accounted } from "../resources/task-io.js";
import { defineScenario, userMemory, type Args, type Check, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";

const badFd = (condition: string): Target => ({ section: "errors", summary: "bad file descriptor", condition });
const offsetEffect: Target = { section: "sideEffects", summary: "f_pos" };
const dataEffect: Target = { section: "sideEffects", summary: "file data" };
const einval = (condition: string): Target => ({ section: "errors", summary: "invalid argument", condition });
const PAYLOAD = Buffer.from("WRITTEN!");

/** A regular file opened with `flags`, the payload in the buffer, at `offset`. */
function writable(scope: ResourceScope, flags = oflags("O_WRONLY"), o: { offset?: bigint; dir?: string } = {}): FileIo {
  const s = fileIo(scope, { flags, count: PAYLOAD.length, offset: o.offset ?? 4n, ...(o.dir ? { dir: o.dir } : {}) });
  s.buf.write(0, PAYLOAD);
  return s;
}

const fileArgs = (s: FileIo): Args => ({ fd: s.fd, buf: userMemory(s.buf, Math.max(s.count, 1), s.bufOffset), count: s.count });

/** After a failing write, the offset and the data claims (by the count returned: none) find nothing changed. */
const atomic = (what: string): Check<unknown>[] => [
  { kind: "claims", id: "offset-kept", title: `${what}: the offset is unchanged`, about: offsetEffect, probes: [OFFSET_ADVANCED as never] },
  { kind: "claims", id: "data-kept", title: `${what}: the file content is unchanged`, about: dataEffect, probes: [WRITE_STORES_BYTES as never] },
];

interface FdWrite {
  fd: number;
  buf: Mapping;
  count: number;
}

const fdWrite = (scope: ResourceScope, fd: number, count = PAYLOAD.length): FdWrite => {
  const buf = scope.add(Mapping.map(4096));
  buf.write(0, PAYLOAD);
  return { fd, buf, count };
};
const fdArgs = (s: FdWrite): Args => ({ fd: s.fd, buf: s.buf.address, count: s.count });

/** The write end of a pipe whose read end is closed: owned alone (a dup), the pipe itself released at once. */
function writerWithoutReader(scope: ResourceScope): number {
  const pipe = pipeFds(scope);
  const fd = Number(check("dup", syscall("dup", pipe.writeFd), "dup of the write end"));
  scope.defer(() => void syscall("close", fd));
  pipe.close();
  return fd;
}

// socket(2) is outside the arch tables; the numbers of the generic and x86_64 tables.
const SOCKET: Partial<Record<string, number>> = { x86_64: 41, arm64: 198, riscv64: 198 };
const AF_INET = 2;
const SOCK_DGRAM = 2;

function unconnectedUdp(scope: ResourceScope): number {
  const nr = SOCKET[currentArch()];
  if (nr === undefined) throw new ResourceUnavailable("no socket number for this arch in kapi-conform", currentArch());
  const fd = Number(check("socket", rawSyscall(nr, AF_INET, SOCK_DGRAM, 0), "AF_INET SOCK_DGRAM"));
  scope.defer(() => void syscall("close", fd));
  return fd;
}

const AF_UNIX = 1;
const SOCK_STREAM = 1;

/** One end of a connected AF_UNIX stream pair whose peer is already closed. */
function socketWithoutPeer(scope: ResourceScope): number {
  const fds = scope.add(Mapping.map(8));
  check("socketpair", syscall("socketpair", AF_UNIX, SOCK_STREAM, 0, fds.address), "AF_UNIX SOCK_STREAM");
  const [mine, peer] = [fds.readU32(0), fds.readU32(4)];
  scope.defer(() => void syscall("close", mine));
  check("close", syscall("close", peer), "close the peer");
  return mine;
}

/** The signal ignored and blocked in the calling thread, so the call's sending it leaves it pending. */
function catchSignal(scope: ResourceScope, signal: "SIGPIPE" | "SIGXFSZ"): { pendingBefore: boolean } {
  ignoreSignal(scope, signal);
  blockSignal(scope, signal);
  return { pendingBefore: isPending(signal) };
}

const S_SETID = 0o6777;

/** A regular file with SUID and SGID set (and group exec, so SGID is a privilege too), open for writing. */
function setIdFile(scope: ResourceScope, owner?: number): FileIo & SetId {
  const s = writable(scope);
  if (owner !== undefined) chownSync(s.path, owner, owner);
  chmodSync(s.path, S_SETID);
  return { ...s, modePath: s.path, modeBefore: statSync(s.path).mode & 0o7777 };
}

/** The capability the spec says decides whether a write clears SUID/SGID: the item's name, read from the spec. */
function suidCapability(spec: { capabilities: Array<{ name: string; allows?: string; without?: string }> }): string {
  const found = spec.capabilities.filter((c) => /SUID/.test(`${c.allows ?? ""} ${c.without ?? ""}`));
  if (found.length !== 1) throw new ResourceUnavailable("the spec names no single capability for SUID/SGID clearing", `${found.length} items`);
  return found[0]!.name;
}

/** Root's mode-0000 file open for writing, then CAP_DAC_OVERRIDE dropped: DAC must now refuse to open it for writing. */
function dacDeniedFile(scope: ResourceScope): FileIo {
  const s = writable(scope);
  chmodSync(s.path, 0);
  dropEffective(scope, "CAP_DAC_OVERRIDE");
  let opened = false;
  try {
    closeSync(openSync(s.path, "r+"));
    opened = true;
  } catch {
    // EACCES: the condition holds.
  }
  if (opened) throw new SetupError("a mode-0000 file still opens for writing without CAP_DAC_OVERRIDE");
  return s;
}

const NOBODY = 65534;
const signalTarget = (name: string): Target => ({ section: "signals", summary: name });
const claim = (text: string): Target => ({ section: "claims", text });

export const writeSuite: SyscallSuite = {
  syscalls: ["write"],

  baseline: defineScenario<FileIo>({
    id: "write-file",
    condition: "8 bytes are written at offset 4 of a regular file opened O_WRONLY",
    setup: ({ scope }) => writable(scope),
    args: fileArgs,
    checks: [
      { kind: "claims", id: "offset-advanced", title: "the offset advances by the count returned", about: offsetEffect, probes: [OFFSET_ADVANCED] },
      { kind: "claims", id: "bytes-stored", title: "the file holds exactly the bytes written, where they were written", about: dataEffect, probes: [WRITE_STORES_BYTES] },
    ],
  }),

  scenarios: [
    defineScenario<FileIo>({
      id: "append",
      condition: "a regular file opened O_RDWR|O_APPEND, its offset at 0",
      setup: ({ scope }) => writable(scope, oflags("O_RDWR", "O_APPEND"), { offset: 0n }),
      args: fileArgs,
      checks: [
        { kind: "claims", id: "at-end", title: "O_APPEND writes at the end of the file", about: offsetEffect, probes: [APPENDS_AT_END, OFFSET_ADVANCED] },
        { kind: "claims", id: "bytes-stored", title: "the file holds the old content followed by the bytes written", about: dataEffect, probes: [WRITE_STORES_BYTES] },
      ],
    }),
    defineScenario<FileIo>({
      id: "count-zero",
      condition: "count is 0 on a regular file",
      setup: ({ scope }) => ({ ...writable(scope), count: 0 }),
      args: fileArgs,
      checks: [{ kind: "claims", id: "returns-zero", title: "a write of 0 bytes returns 0 and changes nothing", about: { section: "params", summary: /^count$/ }, probes: [COUNT_ZERO] }],
    }),
    defineScenario<FileIo>({
      id: "read-only-fd",
      condition: "fd is a regular file opened O_RDONLY",
      setup: ({ scope }) => writable(scope, oflags("O_RDONLY")),
      args: fileArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "write to a read-only descriptor", about: badFd("not opened for writing") },
        { kind: "outcome", id: "constraint", title: "the open-for-writing constraint", about: { section: "constraints", summary: "open for writing" } },
        { kind: "outcome", id: "fd-claim", title: "the fd param's claim about O_RDONLY descriptors", about: claim("opened with O_RDONLY, O_PATH, or that have been closed return EBADF") },
        ...atomic("read-only descriptor"),
      ],
    }),
    defineScenario<FdWrite>({
      id: "o-path-fd",
      condition: "fd was opened with O_PATH",
      setup: ({ scope }) => fdWrite(scope, pathFd(scope, tempDirectory(scope))),
      args: fdArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "write to an O_PATH descriptor", about: { section: "errors", summary: "bad file descriptor", text: "O_PATH" } }],
    }),
    defineScenario<FileIo & { guard: bigint }>({
      id: "buffer-unreadable",
      condition: "buf is a PROT_NONE page on a regular file opened O_WRONLY",
      setup: ({ scope }) => ({ ...writable(scope), guard: scope.add(guardPage()).address }),
      args: (s) => ({ fd: s.fd, buf: s.guard, count: s.count }),
      checks: [{ kind: "outcome", id: "rejected", title: "write from an unreadable buffer", about: { section: "errors", summary: "bad address" } }, ...atomic("unreadable buffer")],
    }),
    defineScenario<FdWrite>({
      id: "full-nonblocking-pipe",
      condition: "fd is the write end of a full pipe with O_NONBLOCK",
      setup: ({ scope }) => {
        const pipe = pipeFds(scope, oflags("O_NONBLOCK"));
        fillPipe(scope, pipe.writeFd);
        return fdWrite(scope, pipe.writeFd);
      },
      args: fdArgs,
      checks: [
        { kind: "outcome", id: "would-block", title: "write to a full non-blocking pipe", about: { section: "errors", summary: "resource temporarily unavailable" } },
        {
          kind: "outcome",
          id: "alias",
          title: "the EWOULDBLOCK alias the spec lists for the same condition",
          about: { section: "errors", summary: "operation would block" },
          expectFrom: { section: "errors", summary: "operation would block" },
          otherwise: { section: "errors", summary: "resource temporarily unavailable" },
        },
        { kind: "outcome", id: "notes-claim", title: "the notes' claim about a full pipe with O_NONBLOCK", about: claim("Blocks if pipe is full; returns EAGAIN with O_NONBLOCK") },
      ],
    }),
    defineScenario<FdWrite & PipeWrite>({
      id: "interrupted",
      condition: "a blocking write to a full pipe is interrupted by a signal whose handler lacks SA_RESTART",
      setup: ({ scope }) => {
        const pipe = pipeFds(scope, oflags("O_NONBLOCK"));
        fillPipe(scope, pipe.writeFd);
        check("fcntl", syscall("fcntl", pipe.writeFd, constant("F_SETFL"), 0), "write end back to blocking");
        const s = fdWrite(scope, pipe.writeFd);
        interruptingSignal(scope);
        return { ...s, readFd: pipe.readFd, queuedBefore: queued(pipe.readFd) };
      },
      args: fdArgs,
      checks: [
        { kind: "outcome", id: "interrupted", title: "blocking write interrupted by a signal", about: { section: "errors", summary: "interrupted system call" } },
        { kind: "claims", id: "any-signal", title: "a signal while waiting for space, before any byte went through", about: signalTarget("Any signal"), probes: [INTERRUPTED_BEFORE_DATA] },
        {
          kind: "precedence",
          id: "signal-claim",
          title: "the signal item's prose: interrupted before any data is written, one of the errnos it names",
          about: signalTarget("Any signal"),
          candidates: [{ section: "claims", text: "interrupted before any data is written" }],
        },
      ],
    }),
    defineScenario<FdWrite & PipeWrite>({
      id: "interrupted-after-data",
      condition: "a blocking 64 KiB write to a pipe with one free page is interrupted by a signal (no SA_RESTART) after that page went through",
      setup: ({ scope }) => {
        const pipe = pipeFds(scope, oflags("O_NONBLOCK"));
        fillPipe(scope, pipe.writeFd);
        const page = scope.add(Mapping.map(4096));
        check("read", syscall("read", pipe.readFd, page.address, 4096), "free one page of the pipe");
        check("fcntl", syscall("fcntl", pipe.writeFd, constant("F_SETFL"), 0), "write end back to blocking");
        const s = fdWrite(scope, pipe.writeFd, 65536);
        interruptingSignal(scope);
        return { ...s, readFd: pipe.readFd, queuedBefore: queued(pipe.readFd) };
      },
      args: fdArgs,
      checks: [{ kind: "claims", id: "any-signal", title: "a signal while waiting for space, after some bytes went through", about: signalTarget("Any signal"), probes: [INTERRUPTED_AFTER_DATA] }],
    }),
    defineScenario<FdWrite>({
      id: "no-reader",
      condition: "fd is the write end of a pipe whose read end is closed (SIGPIPE ignored for the call)",
      setup: ({ scope }) => {
        const fd = writerWithoutReader(scope);
        ignoreSignal(scope, "SIGPIPE");
        return fdWrite(scope, fd);
      },
      args: fdArgs,
      checks: [
        { kind: "outcome", id: "broken-pipe", title: "write to a pipe without readers", about: { section: "errors", summary: "broken pipe" } },
        { kind: "outcome", id: "notes-claim", title: "the notes' claim about pipes without readers", about: claim("SIGPIPE/EPIPE if no readers") },
      ],
    }),
    defineScenario<FdWrite & { pendingBefore: boolean }>({
      id: "no-reader-sigpipe",
      condition: "fd is the write end of a pipe whose read end is closed; SIGPIPE ignored and blocked in the calling thread",
      setup: ({ scope }) => {
        const fd = writerWithoutReader(scope);
        return { ...fdWrite(scope, fd), ...catchSignal(scope, "SIGPIPE") };
      },
      args: fdArgs,
      checks: [
        { kind: "claims", id: "sigpipe-sent", title: "SIGPIPE is sent to the writer", about: signalTarget("SIGPIPE"), probes: [signalSent("SIGPIPE")] },
        { kind: "outcome", id: "epipe-regardless", title: "EPIPE whatever SIGPIPE's disposition", about: signalTarget("SIGPIPE") },
      ],
    }),
    defineScenario<FdWrite & { pendingBefore: boolean }>({
      id: "peer-closed-socket",
      condition: "fd is an AF_UNIX stream socket whose peer is closed; SIGPIPE ignored and blocked in the calling thread",
      setup: ({ scope }) => {
        const fd = socketWithoutPeer(scope);
        return { ...fdWrite(scope, fd), ...catchSignal(scope, "SIGPIPE") };
      },
      args: fdArgs,
      checks: [
        { kind: "outcome", id: "broken-pipe", title: "write to a socket whose peer closed", about: { section: "errors", summary: "broken pipe" } },
        { kind: "outcome", id: "notes-claim", title: "the notes' claim about broken connections", about: claim("SIGPIPE/EPIPE for broken connections") },
        { kind: "claims", id: "sigpipe-sent", title: "SIGPIPE is sent to the writer", about: signalTarget("SIGPIPE"), probes: [signalSent("SIGPIPE")] },
      ],
    }),
    defineScenario<FileIo>({
      id: "beyond-rlimit-fsize",
      condition: "RLIMIT_FSIZE is 4096 and the write starts at offset 4096 (SIGXFSZ ignored for the call)",
      setup: ({ scope }) => {
        const s = writable(scope, oflags("O_RDWR"), { offset: 4096n });
        ignoreSignal(scope, "SIGXFSZ");
        lowerRlimit(scope, "RLIMIT_FSIZE", 4096n);
        return s;
      },
      args: fileArgs,
      checks: [
        { kind: "outcome", id: "too-large", title: "write beyond RLIMIT_FSIZE", about: { section: "errors", summary: "file too large" } },
        { kind: "outcome", id: "constraint", title: "the RLIMIT_FSIZE constraint", about: { section: "constraints", summary: "RLIMIT_FSIZE" } },
        ...atomic("beyond RLIMIT_FSIZE"),
      ],
    }),
    defineScenario<FileIo & { pendingBefore: boolean }>({
      id: "beyond-rlimit-fsize-sigxfsz",
      condition: "RLIMIT_FSIZE is 4096 and the write starts at offset 4096; SIGXFSZ ignored and blocked in the calling thread",
      setup: ({ scope }) => {
        const s = writable(scope, oflags("O_RDWR"), { offset: 4096n });
        const caught = catchSignal(scope, "SIGXFSZ");
        lowerRlimit(scope, "RLIMIT_FSIZE", 4096n);
        return { ...s, ...caught };
      },
      args: fileArgs,
      checks: [
        { kind: "claims", id: "sigxfsz-sent", title: "SIGXFSZ is sent to the writer", about: signalTarget("SIGXFSZ"), probes: [signalSent("SIGXFSZ")] },
        { kind: "outcome", id: "efbig", title: "the write returns EFBIG when SIGXFSZ is sent", about: signalTarget("SIGXFSZ") },
      ],
    }),
    defineScenario<FileIo>({
      id: "filesystem-full",
      condition: "a file on a 64 KiB tmpfs that writes have filled",
      requires: [requiresRoot],
      setup: ({ scope }) => {
        const fs = tmpfs(scope, 64);
        const s = writable(scope, oflags("O_RDWR"), { dir: fs.path });
        fillFile(scope, s.fd);
        const offset = fileOffset(s.fd);
        if (typeof offset !== "bigint") throw new ResourceUnavailable("cannot read the offset of the filled file", offset);
        return { ...s, offsetBefore: offset, contentBefore: readFileSync(s.path) };
      },
      args: fileArgs,
      checks: [{ kind: "outcome", id: "no-space", title: "write to a full filesystem", about: { section: "errors", summary: "no space left on device" } }, ...atomic("full filesystem")],
    }),
    defineScenario<FileIo>({
      id: "sealed-memfd",
      condition: "fd is a memfd sealed with F_SEAL_WRITE",
      setup: ({ scope }) => {
        const s = memfdIo(scope, { count: PAYLOAD.length, offset: 0n, seals: ["F_SEAL_WRITE"] });
        s.buf.write(0, PAYLOAD);
        return s;
      },
      args: fileArgs,
      checks: [
        { kind: "outcome", id: "sealed", title: "write to a write-sealed memfd", about: { section: "errors", summary: "operation not permitted", condition: "file seal" } },
        { kind: "outcome", id: "constraint", title: "the file seals constraint", about: { section: "constraints", summary: "file seals" } },
        ...atomic("sealed memfd"),
      ],
    }),
    defineScenario<FileIo>({
      id: "grow-sealed-memfd",
      condition: "fd is a memfd sealed with F_SEAL_GROW and the write starts at its end",
      setup: ({ scope }) => {
        const s = memfdIo(scope, { count: PAYLOAD.length, offset: BigInt(FILE_CONTENT.length), seals: ["F_SEAL_GROW"] });
        s.buf.write(0, PAYLOAD);
        return s;
      },
      args: fileArgs,
      checks: [{ kind: "outcome", id: "sealed", title: "a write that would grow a grow-sealed memfd", about: claim("With F_SEAL_GROW, writes that would extend file size fail with EPERM") }, ...atomic("grow-sealed memfd")],
    }),
    defineScenario<FileIo>({
      id: "o-direct-misaligned",
      condition: "fd was opened with O_DIRECT and buf is one byte past the filesystem's O_DIRECT alignment",
      setup: ({ scope }) => misalignedDirectIo(scope, "O_RDWR"),
      args: fileArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "misaligned O_DIRECT write", about: einval("O_DIRECT") },
        { kind: "outcome", id: "notes-claim", title: "the notes' claim about unaligned O_DIRECT writes", about: claim("Unaligned O_DIRECT writes return EINVAL") },
        ...atomic("misaligned O_DIRECT"),
      ],
    }),
    defineScenario<FdWrite>({
      id: "no-write-method",
      condition: "fd is an epoll instance, a file with no write method",
      setup: ({ scope }) => fdWrite(scope, epollFd(scope)),
      args: fdArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "write to a file with no write method", about: einval("not suitable for writing") }],
    }),
    defineScenario<FileIo>({
      id: "count-negative",
      condition: "count is 2^63, negative when cast to ssize_t, on a regular file",
      setup: ({ scope }) => writable(scope),
      args: (s) => ({ fd: s.fd, buf: s.buf.address, count: 1n << 63n }),
      checks: [{ kind: "outcome", id: "rejected", title: "count negative as ssize_t", about: einval("negative") }, ...atomic("negative count")],
    }),
    defineScenario<FileIo>({
      id: "offset-plus-count-overflows",
      condition: "the offset of a memfd (shmem allows offsets up to LLONG_MAX) is LLONG_MAX - 4 and count is 8: offset plus count exceeds LLONG_MAX",
      setup: ({ scope }) => {
        const s = memfdIo(scope, { count: PAYLOAD.length, offset: (1n << 63n) - 5n });
        s.buf.write(0, PAYLOAD);
        return s;
      },
      args: fileArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "offset plus count beyond LLONG_MAX", about: { section: "errors", summary: "value too large for defined data type" } }, ...atomic("offset overflow")],
    }),
    defineScenario<FdWrite>({
      id: "unconnected-datagram",
      condition: "fd is an AF_INET datagram socket with no peer address",
      setup: ({ scope }) => fdWrite(scope, unconnectedUdp(scope)),
      args: fdArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "write to an unconnected datagram socket", about: { section: "errors", summary: "destination address required" } },
        { kind: "outcome", id: "notes-claim", title: "the notes' claim about unconnected datagram sockets", about: claim("EDESTADDRREQ for unconnected datagram sockets") },
      ],
    }),
    defineScenario<FileIo & Timed & Accounted & Watched>({
      id: "write-file-effects",
      condition: "8 bytes are written to a regular file whose mtime is an hour old, watched by inotify for IN_MODIFY",
      setup: ({ scope }) => {
        const s = writable(scope);
        const watched = watchModify(scope, s.path);
        const timesBefore = agedTimes(s.path);
        // Last: nothing of the setup may count in the thread's counters.
        return { ...s, ...watched, timesPath: s.path, timesBefore, io: new IoWatch(scope) };
      },
      afterCall: settleIo,
      args: fileArgs,
      checks: [
        { kind: "claims", id: "io-accounting", title: "the thread's wchar and syscw count the write", about: { section: "sideEffects", summary: "task I/O accounting" }, probes: [WCHAR_ADDED, SYSCW_ADDED] },
        { kind: "claims", id: "timestamps", title: "a successful write moves mtime and ctime forward", about: { section: "sideEffects", summary: "inode timestamps" }, probes: [MTIME_UPDATED, CTIME_UPDATED] },
        { kind: "claims", id: "fsnotify", title: "an inotify watcher sees the write as IN_MODIFY", about: { section: "sideEffects", summary: "fsnotify events" }, probes: [MODIFY_EVENT] },
      ],
    }),
    defineScenario<FileIo & SetId>({
      id: "setid-file-as-nobody",
      condition: "nobody (no capabilities) writes through a descriptor root opened on root's file of mode 06777",
      as: "nobody",
      setup: ({ scope }) => setIdFile(scope),
      args: fileArgs,
      checks: [{ kind: "claims", id: "suid-cleared", title: "a write by a non-root user clears SUID", about: { section: "sideEffects", summary: "SUID/SGID bits" }, probes: [SUID_CLEARED] }],
    }),
    defineScenario<FileIo & SetId>({
      id: "setid-file-capability-dropped",
      condition: "root, without only the capability the spec names for SUID/SGID clearing, writes to nobody's file of mode 06777",
      requires: [requiresRoot],
      setup: ({ scope, spec }) => {
        const s = setIdFile(scope, NOBODY);
        dropEffective(scope, capabilityNamed(suidCapability(spec)));
        return s;
      },
      args: fileArgs,
      checks: [{ kind: "claims", id: "cleared-without", title: "without the capability a non-owner's write clears SUID", about: { section: "capabilities", text: "SUID/SGID" }, probes: [SUID_CLEARED] }],
    }),
    defineScenario<FileIo>({
      id: "dac-denied-capability-dropped",
      condition: "root without CAP_DAC_OVERRIDE writes through a descriptor it opened before the drop, on its own file of mode 0000 (an open for writing now fails)",
      requires: [requiresRoot],
      setup: ({ scope }) => dacDeniedFile(scope),
      args: fileArgs,
      checks: [{ kind: "claims", id: "checked-at-open", title: "where CAP_DAC_OVERRIDE is checked: at open, not in write", about: { section: "capabilities", summary: "CAP_DAC_OVERRIDE" }, probes: [DAC_AT_OPEN] }],
    }),
    defineScenario<FdWrite>({
      id: "fd-at-fdcwd",
      condition: "fd is AT_FDCWD (-100), which the fd param says is not valid",
      setup: ({ scope }) => fdWrite(scope, constant("AT_FDCWD")),
      args: fdArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "AT_FDCWD is no descriptor for write", about: { section: "params", summary: /^fd$/ }, value: "AT_FDCWD", otherwise: { section: "errors", summary: "bad file descriptor" } }],
    }),
    defineScenario<FdWrite>({
      id: "count-beyond-max-rw-count",
      condition: "count is 2 GiB (beyond INT_MAX & PAGE_MASK) from a 2 GiB readable mapping, to /dev/null",
      setup: ({ scope }) => {
        const fd = openFd(scope, "/dev/null", oflags("O_WRONLY"));
        const count = 2 ** 31;
        // Never touched: /dev/null reads nothing of it, so no page is ever allocated. Read-only, so not
        // charged against the overcommit limit either (with less RAM and swap than 2 GiB, the default
        // heuristic refuses that much writable private memory).
        return { fd, buf: scope.add(Mapping.map(count, "read")), count };
      },
      args: fdArgs,
      checks: [{ kind: "claims", id: "clamped", title: "the count is clamped to MAX_RW_COUNT", about: { section: "constraints", summary: "MAX_RW_COUNT" }, probes: [COUNT_CLAMPED] }],
    }),
  ],

  environmentOnly: [
    errorElsewhere("quota", "disk quota exceeded", "needs a filesystem with disk quotas enabled and a user over quota", "kapi-conform sets up no quota"),
    errorElsewhere("io-error", "input/output error", "needs a failing storage device or filesystem", "no faulty device here"),
    errorElsewhere("swapfile", "text file busy", "needs an active swap file to write to (swapon)", "kapi-conform does not enable swap on the test machine"),
    errorElsewhere("watch-queue", "cross-device link", "needs a pipe configured as a watch queue (O_NOTIFICATION_PIPE)", "kapi-conform does not set up watch queues"),
    errorElsewhere("out-of-memory", "out of memory", "needs kernel memory exhaustion while allocating pipe pages", "not created deliberately on a shared machine"),
    errorElsewhere("restartsys", "restart system call", "ERESTARTSYS is kernel-internal: the signal code turns it into EINTR or a restart before user space returns", "user space cannot observe this errno"),
    errorElsewhere("lsm-denied", "permission denied", "needs an LSM policy (SELinux, AppArmor) that denies write on an open file", "no denying policy loaded by kapi-conform"),
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
