// SPDX-License-Identifier: GPL-2.0-only
// The read scenario table, for the RFC v5 and the PATCH v4 specs alike. No
// entry states an errno, return value or effect: each check names the spec
// item by its words and the expectation is read from it when the case runs.
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { constant } from "../../kernel/constants.js";
import { openPipe } from "../../kernel/pipe.js";
import { SyscallError } from "../../kernel/syscall.js";
import { Mapping } from "../../kernel/memory.js";
import { blockAllSignals } from "../../kernel/signal-mask.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { directoryFd, interruptingSignal, oflags, openFd, pathFd, pipeFds, errorElsewhere } from "../resources/fds.js";
import { memfdIo, misalignedDirectIo, epollFd, FILE_CONTENT, fileIo, OFFSET_ADVANCED, READ_FILLS_BUFFER, timerFd, type FileIo, COUNT_ZERO, ZERO_AT_EOF } from "../resources/file-io.js";
import { tempDirectory } from "../resources/files.js";
import { requiresRoot, tmpfs } from "../resources/mounts.js";
import { defineScenario, userMemory, type Args, type SyscallSuite, type Target, type ClaimsCheck, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";
import {
  ACCESS_EVENT,
  agedAtime,
  ATIME_KEPT_WITH_NOATIME,
  ATIME_UPDATED,
  bypassesReadPermission,
  CHECKED_AT_OPEN,
  CLAMPED_TO_MAX_RW_COUNT,
  hugeZeroRead,
  RCHAR_COUNTS_BYTES,
  recentAtime,
  RELATIME_KEEPS_RECENT_ATIME,
  SYSCR_COUNTS_EVERY_CALL,
  watchAccess,
  type HugeRead,
  type Timed,
  type Unreadable,
} from "./observe.js";
import { denyReads } from "./fanotify.js";
import type { Watched } from "../resources/inotify.js";
import { IoWatch, settleIo, type Accounted } from "../resources/task-io.js";

const badFd = (condition: string): Target => ({ section: "errors", summary: "bad file descriptor", condition });
const offsetEffect: Target = { section: "sideEffects", summary: "f_pos" };
const success: Target = { section: "return" };
const einval = (condition: string): Target => ({ section: "errors", summary: "invalid argument", condition });

const fileArgs = (s: FileIo): Args => ({ fd: s.fd, buf: userMemory(s.buf, Math.max(s.count, 1), s.bufOffset), count: s.count });

/** A descriptor of some kind and a fresh buffer for `count` bytes. */
interface FdRead {
  fd: number;
  buf: Mapping;
  count: number;
}

const fdRead = (scope: ResourceScope, fd: number, count = 16): FdRead => ({ fd, buf: scope.add(Mapping.map(4096)), count });
const fdArgs = (s: FdRead): Args => ({ fd: s.fd, buf: s.buf.address, count: s.count });

const ioAccounting: Target = { section: "sideEffects", summary: "task I/O accounting" };
const atime: Target = { section: "sideEffects", summary: "atime" };
/** The thread's I/O counters, read last in setup so that only the call under test moves them before the check. */
const accounted = <S>(scope: ResourceScope, s: S): S & Accounted => ({ ...s, io: new IoWatch(scope) });
const ioChecks: ClaimsCheck<Accounted> = { kind: "claims", id: "io-accounting", title: "the call's rchar and syscr in /proc/thread-self/io", about: ioAccounting, probes: [RCHAR_COUNTS_BYTES, SYSCR_COUNTS_EVERY_CALL] };

/** A file on a tmpfs of its own (mounted relatime, the default) with its atime set by `age`. */
function timedFile(scope: ResourceScope, flags: number, age: (path: string) => Timed = agedAtime): FileIo & Timed {
  const s = fileIo(scope, { flags, count: 16, dir: tmpfs(scope).path });
  return { ...s, ...age(s.path) };
}

/** What pipe2(O_NOTIFICATION_PIPE) (the flag is O_EXCL) does on this kernel: whether it has watch queues (CONFIG_WATCH_QUEUE). */
function notificationPipes(): string {
  try {
    openPipe(oflags("O_EXCL")).close();
    return "pipe2(O_NOTIFICATION_PIPE) succeeds on this kernel";
  } catch (err) {
    const errno = err instanceof SyscallError ? err.errno : undefined;
    return errno === "ENOPKG" ? "pipe2(O_NOTIFICATION_PIPE): ENOPKG, a kernel built without CONFIG_WATCH_QUEUE" : `pipe2(O_NOTIFICATION_PIPE): ${errno ?? String(err)}`;
  }
}

/** A mode-000 file root opened O_RDONLY, in a directory everyone may search; the call reads it as nobody. */
function unreadable(scope: ResourceScope): FdRead & Unreadable {
  const dir = tempDirectory(scope);
  chmodSync(dir, 0o755);
  const path = join(dir, "data");
  writeFileSync(path, FILE_CONTENT, { mode: 0 });
  return { ...fdRead(scope, openFd(scope, path, oflags("O_RDONLY"))), path, scope };
}


export const readSuite: SyscallSuite = {
  syscalls: ["read"],

  baseline: defineScenario<FileIo>({
    id: "read-file",
    condition: "16 bytes are read from offset 0 of a regular file opened O_RDONLY",
    setup: ({ scope }) => fileIo(scope, { flags: oflags("O_RDONLY"), count: 16 }),
    args: fileArgs,
    checks: [
      { kind: "claims", id: "offset-advanced", title: "the offset advances by the count returned", about: offsetEffect, probes: [OFFSET_ADVANCED] },
      { kind: "claims", id: "buffer-filled", title: "the buffer holds the file's bytes, as many as returned", about: success, probes: [READ_FILLS_BUFFER] },
    ],
  }),

  scenarios: [
    defineScenario<FileIo>({
      id: "count-zero",
      condition: "count is 0 on a regular file",
      setup: ({ scope }) => fileIo(scope, { flags: oflags("O_RDONLY"), count: 0 }),
      args: fileArgs,
      checks: [{ kind: "claims", id: "returns-zero", title: "a read of 0 bytes returns 0 and moves nothing", about: { section: "params", summary: /^count$/ }, probes: [COUNT_ZERO] }],
    }),
    defineScenario<FileIo>({
      id: "at-eof",
      condition: "the offset is at the end of a regular file",
      setup: ({ scope }) => fileIo(scope, { flags: oflags("O_RDONLY"), count: 16, offset: BigInt(FILE_CONTENT.length) }),
      args: fileArgs,
      checks: [
        { kind: "claims", id: "returns-zero", title: "a read at end of file returns 0", about: success, probes: [ZERO_AT_EOF] },
        { kind: "claims", id: "offset-kept", title: "a read at end of file leaves the offset", about: offsetEffect, probes: [OFFSET_ADVANCED] },
      ],
    }),
    defineScenario<FileIo & Accounted>({
      id: "write-only-fd",
      condition: "fd is a regular file opened O_WRONLY",
      setup: ({ scope }) => accounted(scope, fileIo(scope, { flags: oflags("O_WRONLY"), count: 16 })),
      afterCall: settleIo,
      args: fileArgs,
      checks: [
        ioChecks,
        { kind: "outcome", id: "rejected", title: "read from a write-only descriptor", about: badFd("not opened for reading") },
        { kind: "outcome", id: "constraint", title: "the open-for-reading constraint", about: { section: "constraints", summary: "open for reading" } },
        { kind: "claims", id: "atomic", title: "the failing read leaves the offset", about: offsetEffect, probes: [OFFSET_ADVANCED] },
        { kind: "claims", id: "buffer-untouched", title: "the failing read writes nothing to the buffer", about: success, probes: [READ_FILLS_BUFFER] },
      ],
    }),
    defineScenario<FdRead>({
      id: "o-path-fd",
      condition: "fd was opened with O_PATH",
      setup: ({ scope }) => fdRead(scope, pathFd(scope, tempDirectory(scope))),
      args: fdArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "read from an O_PATH descriptor", about: { section: "errors", summary: "bad file descriptor", text: "O_PATH" } }],
    }),
    defineScenario<FdRead>({
      id: "directory",
      condition: "fd is a directory opened O_RDONLY|O_DIRECTORY",
      setup: ({ scope }) => fdRead(scope, directoryFd(scope, tempDirectory(scope))),
      args: fdArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "read from a directory", about: { section: "errors", summary: "is a directory" } },
        { kind: "outcome", id: "fd-claim", title: "fd's text: directories return EISDIR", about: { section: "claims", text: "descriptors for directories return" } },
      ],
    }),
    defineScenario<FileIo>({
      id: "buffer-read-only",
      condition: "buf is a read-only mapping: the kernel cannot copy the file's bytes into it",
      setup: ({ scope }) => {
        const s = fileIo(scope, { flags: oflags("O_RDONLY"), count: 16 });
        s.buf.protect("read");
        return s;
      },
      args: (s) => ({ fd: s.fd, buf: s.buf.address, count: s.count }),
      checks: [
        { kind: "outcome", id: "rejected", title: "read into a read-only buffer", about: { section: "errors", summary: "bad address" } },
        { kind: "claims", id: "atomic", title: "the failing read leaves the offset", about: offsetEffect, probes: [OFFSET_ADVANCED] },
      ],
    }),
    defineScenario<FdRead & Accounted>({
      id: "empty-nonblocking-pipe",
      condition: "fd is the read end of an empty pipe with O_NONBLOCK",
      setup: ({ scope }) => accounted(scope, fdRead(scope, pipeFds(scope, oflags("O_NONBLOCK")).readFd)),
      afterCall: settleIo,
      args: fdArgs,
      checks: [
        ioChecks,
        { kind: "outcome", id: "notes-claim", title: "the notes: O_NONBLOCK on an empty pipe", about: { section: "claims", text: "O_NONBLOCK returns when empty instead of blocking" } },
        { kind: "outcome", id: "would-block", title: "read from an empty non-blocking pipe", about: { section: "errors", summary: "resource temporarily unavailable" } },
        {
          kind: "outcome",
          id: "alias",
          title: "the EWOULDBLOCK alias the spec lists for the same condition",
          about: { section: "errors", summary: "operation would block" },
          expectFrom: { section: "errors", summary: "operation would block" },
          otherwise: { section: "errors", summary: "resource temporarily unavailable" },
        },
      ],
    }),
    defineScenario<FdRead & { sent: string }>({
      id: "interrupted",
      condition: "a blocking read of an empty pipe is interrupted by a signal whose handler lacks SA_RESTART",
      setup: ({ scope }) => {
        const pipe = pipeFds(scope);
        return { ...fdRead(scope, pipe.readFd), ...interruptingSignal(scope) };
      },
      args: fdArgs,
      checks: [
        { kind: "outcome", id: "interrupted", title: "blocking read interrupted by a signal", about: { section: "errors", summary: "interrupted system call" } },
        { kind: "outcome", id: "signal", title: "the signal item's errno for a read interrupted before any data", about: { section: "signals", summary: "Any signal" } },
        {
          kind: "precedence",
          id: "signal-claim",
          title: "the signal item's prose: interrupted before any data is read, one of the errnos it names",
          about: { section: "signals", summary: "Any signal" },
          candidates: [{ section: "claims", text: "interrupted before any data is read" }],
        },
      ],
    }),
    defineScenario<FileIo>({
      id: "o-direct-misaligned",
      condition: "fd was opened with O_DIRECT and buf is one byte past the filesystem's O_DIRECT alignment",
      setup: ({ scope }) => misalignedDirectIo(scope, "O_RDONLY"),
      args: fileArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "misaligned O_DIRECT read", about: einval("O_DIRECT") },
        { kind: "outcome", id: "notes-claim", title: "the notes: unaligned O_DIRECT reads", about: { section: "claims", text: "Unaligned O_DIRECT reads fail" } },
        { kind: "claims", id: "atomic", title: "the failing read leaves the offset", about: offsetEffect, probes: [OFFSET_ADVANCED] },
      ],
    }),
    defineScenario<FdRead>({
      id: "no-read-method",
      condition: "fd is an epoll instance, a file with no read method",
      setup: ({ scope }) => fdRead(scope, epollFd(scope)),
      args: fdArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "read from a file with no read method", about: einval("not suitable for reading") }],
    }),
    defineScenario<FdRead>({
      id: "timerfd-small-buffer",
      condition: "fd is a timerfd and count is 4, smaller than its 8-byte expiration count",
      setup: ({ scope }) => fdRead(scope, timerFd(scope), 4),
      args: fdArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "timerfd read with a 4-byte buffer", about: einval("timerfd") }],
    }),
    defineScenario<FileIo>({
      id: "count-negative",
      condition: "count is 2^63, negative when cast to ssize_t, on a regular file",
      setup: ({ scope }) => fileIo(scope, { flags: oflags("O_RDONLY"), count: 16 }),
      args: (s) => ({ fd: s.fd, buf: s.buf.address, count: 1n << 63n }),
      checks: [
        { kind: "outcome", id: "rejected", title: "count negative as ssize_t", about: einval("negative") },
        { kind: "claims", id: "atomic", title: "the failing read leaves the offset", about: offsetEffect, probes: [OFFSET_ADVANCED] },
      ],
    }),
    defineScenario<FileIo>({
      id: "offset-plus-count-overflows",
      condition: "the offset of a memfd (shmem allows offsets up to LLONG_MAX) is LLONG_MAX - 4 and count is 16: offset plus count exceeds LLONG_MAX",
      setup: ({ scope }) => memfdIo(scope, { count: 16, offset: (1n << 63n) - 5n }),
      args: fileArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "offset plus count beyond LLONG_MAX", about: { section: "errors", summary: "value too large for defined data type" } },
        { kind: "claims", id: "atomic", title: "the failing read leaves the offset", about: offsetEffect, probes: [OFFSET_ADVANCED] },
      ],
    }),
    defineScenario<FileIo & Accounted & Watched & Timed>({
      id: "side-effects",
      condition: "16 bytes are read from a regular file on a relatime tmpfs whose atime is two days old, watched by inotify for IN_ACCESS",
      requires: [requiresRoot],
      setup: ({ scope }) => {
        const s = timedFile(scope, oflags("O_RDONLY"));
        return accounted(scope, { ...s, ...watchAccess(scope, s.path) });
      },
      afterCall: settleIo,
      args: fileArgs,
      checks: [
        ioChecks,
        { kind: "claims", id: "fsnotify", title: "an inotify watcher is told of the read", about: { section: "sideEffects", summary: "fsnotify events" }, probes: [ACCESS_EVENT] },
        { kind: "claims", id: "atime", title: "the read updates the file's atime", about: atime, probes: [ATIME_UPDATED] },
      ],
    }),
    defineScenario<FileIo & Timed>({
      id: "o-noatime",
      condition: "16 bytes are read through an O_NOATIME descriptor (root owns the file) from a relatime tmpfs file whose atime is two days old",
      requires: [requiresRoot],
      setup: ({ scope }) => timedFile(scope, oflags("O_RDONLY", "O_NOATIME")),
      args: fileArgs,
      checks: [{ kind: "claims", id: "atime-kept", title: "O_NOATIME keeps the atime", about: atime, probes: [ATIME_KEPT_WITH_NOATIME] }],
    }),
    defineScenario<FileIo & Timed>({
      id: "relatime-recent-atime",
      condition: "16 bytes are read from a relatime tmpfs file whose atime is a minute ahead, newer than its mtime and ctime",
      requires: [requiresRoot],
      setup: ({ scope }) => timedFile(scope, oflags("O_RDONLY"), recentAtime),
      args: fileArgs,
      checks: [{ kind: "claims", id: "atime-kept", title: "relatime leaves a recent atime", about: atime, probes: [RELATIME_KEEPS_RECENT_ATIME] }],
    }),
    defineScenario<FdRead & Unreadable>({
      id: "mode-000-as-nobody",
      condition: "nobody reads a mode-000 file root owns, through a descriptor root opened O_RDONLY",
      as: "nobody",
      setup: ({ scope }) => unreadable(scope),
      args: fdArgs,
      checks: [
        { kind: "outcome", id: "reads", title: "nobody's read through root's descriptor returns as a success does", about: success },
        ...(["CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH"] as const).map((cap) => ({
          kind: "claims" as const,
          id: cap.toLowerCase().replace(/_/g, "-"),
          title: `${cap}: what it bypasses, and when it is checked`,
          about: { section: "capabilities" as const, summary: cap },
          probes: [bypassesReadPermission(cap), CHECKED_AT_OPEN],
        })),
      ],
    }),
    defineScenario<HugeRead>({
      id: "count-beyond-max-rw-count",
      condition: "count is 2 GiB + 1 MiB, beyond MAX_RW_COUNT, reading /dev/zero into a buffer mapped for all of it",
      setup: ({ scope }) => {
        const huge = hugeZeroRead(scope);
        // /dev/zero's read stops at a pending signal (a helper's SIGCHLD): a short count would blame a correct spec.
        blockAllSignals(scope);
        return huge;
      },
      args: (s) => ({ fd: s.fd, buf: s.buf, count: s.count }),
      checks: [{ kind: "claims", id: "clamped", title: "a count beyond MAX_RW_COUNT is clamped", about: { section: "constraints", summary: "MAX_RW_COUNT" }, probes: [CLAMPED_TO_MAX_RW_COUNT] }],
    }),
    defineScenario<FileIo>({
      id: "fanotify-denied",
      condition: "a fanotify listener (FAN_ACCESS_PERM) answers FAN_DENY to the read of a regular file",
      requires: [requiresRoot],
      setup: ({ scope }) => {
        const s = fileIo(scope, { flags: oflags("O_RDONLY"), count: 16 });
        denyReads(scope, s.path);
        // Opened after the mark: since 6.14 a file opened while no permission mark exists gets no permission events.
        return { ...s, fd: openFd(scope, s.path, oflags("O_RDONLY")) };
      },
      args: fileArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "a read a fanotify listener denies", about: { section: "errors", summary: "operation not permitted" } },
        { kind: "claims", id: "atomic", title: "the denied read leaves the offset", about: offsetEffect, probes: [OFFSET_ADVANCED] },
      ],
    }),
    defineScenario<FdRead>({
      id: "fd-at-fdcwd",
      condition: "fd is AT_FDCWD",
      setup: ({ scope }) => fdRead(scope, constant("AT_FDCWD")),
      args: fdArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "fd's text on AT_FDCWD", about: { section: "params", summary: /^fd$/ }, value: "AT_FDCWD", expectFrom: badFd("not a valid file descriptor") }],
    }),
  ],

  environmentOnly: [
    errorElsewhere("io-error", "input/output error", "needs a failing storage device or a background process reading its controlling terminal", "no faulty device or job-control terminal here"),
    {
      id: "watch-queue-nobufs",
      title: "no buffer space available",
      about: { section: "errors", summary: "no buffer space available" },
      reason: () => ({ reason: "needs a pipe configured as a watch queue (O_NOTIFICATION_PIPE, IOC_WATCH_QUEUE_SET_SIZE) with a queued notification; kapi-conform sets up none", detail: notificationPipes() }),
    },
    errorElsewhere("restartsys", "restart system call", "ERESTARTSYS is kernel-internal: the signal code turns it into EINTR or a restart before user space returns", "user space cannot observe this errno"),
    errorElsewhere("lsm-denied", "permission denied", "needs an LSM policy (SELinux, AppArmor) that denies read on an open file", "no denying policy loaded by kapi-conform"),
    errorElsewhere("fscache-nodata", "no data available", "needs a filesystem backed by fscache/cachefiles with an uncached range", "no cachefiles setup here"),
    errorElsewhere("not-supported", "operation not supported", "needs a special file or filesystem whose read returns EOPNOTSUPP", "no such file known to kapi-conform on this machine"),
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
