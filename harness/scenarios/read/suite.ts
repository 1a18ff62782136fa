// SPDX-License-Identifier: GPL-2.0-only
// The read scenario table, for the RFC v5 and the PATCH v4 specs alike. No
// entry states an errno, return value or effect: each check names the spec
// item by its words and the expectation is read from it when the case runs.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { directoryFd, interruptingSignal, oflags, pathFd, pipeFds, errorElsewhere } from "../resources/fds.js";
import { memfdIo, directIoAlignment, epollFd, FILE_CONTENT, fileIo, OFFSET_ADVANCED, READ_FILLS_BUFFER, timerFd, type FileIo, COUNT_ZERO, ZERO_AT_EOF } from "../resources/file-io.js";
import { tempDirectory } from "../resources/files.js";
import { defineScenario, userMemory, type Args, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";

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
    defineScenario<FileIo>({
      id: "write-only-fd",
      condition: "fd is a regular file opened O_WRONLY",
      setup: ({ scope }) => fileIo(scope, { flags: oflags("O_WRONLY"), count: 16 }),
      args: fileArgs,
      checks: [
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
      checks: [{ kind: "outcome", id: "rejected", title: "read from a directory", about: { section: "errors", summary: "is a directory" } }],
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
    defineScenario<FdRead>({
      id: "empty-nonblocking-pipe",
      condition: "fd is the read end of an empty pipe with O_NONBLOCK",
      setup: ({ scope }) => fdRead(scope, pipeFds(scope, oflags("O_NONBLOCK")).readFd),
      args: fdArgs,
      checks: [
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
      checks: [{ kind: "outcome", id: "interrupted", title: "blocking read interrupted by a signal", about: { section: "errors", summary: "interrupted system call" } }],
    }),
    defineScenario<FileIo>({
      id: "o-direct-misaligned",
      condition: "fd was opened with O_DIRECT and buf is one byte past the filesystem's O_DIRECT alignment",
      setup: ({ scope }) => {
        const dir = tempDirectory(scope);
        writeFileSync(join(dir, "data"), "");
        const align = directIoAlignment(scope, join(dir, "data"));
        return fileIo(scope, { flags: oflags("O_RDONLY", "O_DIRECT"), count: Math.max(align, 4096), dir, bufOffset: 1, content: Buffer.alloc(8192, 0x61) });
      },
      args: fileArgs,
      checks: [
        { kind: "outcome", id: "rejected", title: "misaligned O_DIRECT read", about: einval("O_DIRECT") },
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
  ],

  environmentOnly: [
    errorElsewhere("io-error", "input/output error", "needs a failing storage device or a background process reading its controlling terminal", "no faulty device or job-control terminal here"),
    errorElsewhere("watch-queue-nobufs", "no buffer space available", "needs a pipe configured as a watch queue (O_NOTIFICATION_PIPE, IOC_WATCH_QUEUE_SET_SIZE) with a queued notification", "kapi-conform does not set up watch queues"),
    errorElsewhere("restartsys", "restart system call", "ERESTARTSYS is kernel-internal: the signal code turns it into EINTR or a restart before user space returns", "user space cannot observe this errno"),
    errorElsewhere("lsm-denied", "permission denied", "needs an LSM policy (SELinux, AppArmor) that denies read on an open file", "no denying policy loaded by kapi-conform"),
    errorElsewhere("fanotify-denied", "operation not permitted", "needs a fanotify listener with FAN_ACCESS_PERM that denies the read", "kapi-conform runs no fanotify permission listener"),
    errorElsewhere("fscache-nodata", "no data available", "needs a filesystem backed by fscache/cachefiles with an uncached range", "no cachefiles setup here"),
    errorElsewhere("not-supported", "operation not supported", "needs a special file or filesystem whose read returns EOPNOTSUPP", "no such file known to kapi-conform on this machine"),
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
