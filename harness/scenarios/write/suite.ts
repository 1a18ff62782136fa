// SPDX-License-Identifier: GPL-2.0-only
// The write scenario table, for the RFC v5 and the PATCH v4 specs alike. No
// entry states an errno, return value or effect: each check names the spec
// item by its words and the expectation is read from it when the case runs.
// Every failing write on a regular file is also checked for atomicity: the
// offset and data claims, judged by the count returned, must find nothing changed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentArch } from "../../kernel/arch.js";
import { constant } from "../../kernel/constants.js";
import { guardPage, Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, rawSyscall, syscall } from "../../kernel/syscall.js";
import { ResourceUnavailable } from "../errors.js";
import { fileOffset, fillFile, fillPipe, ignoreSignal, interruptingSignal, lowerRlimit, oflags, pathFd, pipeFds, errorElsewhere } from "../resources/fds.js";
import { APPENDS_AT_END, COUNT_ZERO, directIoAlignment, epollFd, fileIo, memfdIo, OFFSET_ADVANCED, WRITE_STORES_BYTES, type FileIo } from "../resources/file-io.js";
import { tempDirectory } from "../resources/files.js";
import { requiresRoot, tmpfs } from "../resources/mounts.js";
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
      ],
    }),
    defineScenario<FdWrite>({
      id: "interrupted",
      condition: "a blocking write to a full pipe is interrupted by a signal whose handler lacks SA_RESTART",
      setup: ({ scope }) => {
        const pipe = pipeFds(scope, oflags("O_NONBLOCK"));
        fillPipe(scope, pipe.writeFd);
        check("fcntl", syscall("fcntl", pipe.writeFd, constant("F_SETFL"), 0), "write end back to blocking");
        const s = fdWrite(scope, pipe.writeFd);
        interruptingSignal(scope);
        return s;
      },
      args: fdArgs,
      checks: [{ kind: "outcome", id: "interrupted", title: "blocking write interrupted by a signal", about: { section: "errors", summary: "interrupted system call" } }],
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
      checks: [{ kind: "outcome", id: "broken-pipe", title: "write to a pipe without readers", about: { section: "errors", summary: "broken pipe" } }],
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
      id: "o-direct-misaligned",
      condition: "fd was opened with O_DIRECT and buf is one byte past the filesystem's O_DIRECT alignment",
      setup: ({ scope }) => {
        const dir = tempDirectory(scope);
        writeFileSync(join(dir, "data"), "");
        const align = directIoAlignment(scope, join(dir, "data"));
        return fileIo(scope, { flags: oflags("O_RDWR", "O_DIRECT"), count: Math.max(align, 4096), dir, bufOffset: 1, content: Buffer.alloc(8192, 0x61) });
      },
      args: fileArgs,
      checks: [{ kind: "outcome", id: "rejected", title: "misaligned O_DIRECT write", about: einval("O_DIRECT") }, ...atomic("misaligned O_DIRECT")],
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
      checks: [{ kind: "outcome", id: "rejected", title: "write to an unconnected datagram socket", about: { section: "errors", summary: "destination address required" } }],
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
