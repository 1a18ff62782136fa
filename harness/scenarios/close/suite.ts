// SPDX-License-Identifier: GPL-2.0-only
// The close scenario table, for the RFC v5 and the PATCH v4 specs alike. No
// entry states an errno or return value: those are read from the spec.
import { Mapping } from "../../kernel/memory.js";
import { check, syscall } from "../../kernel/syscall.js";
import { SetupError } from "../errors.js";
import { fdIsOpen, lowestFreeFd, oflags, openFd } from "../resources/fds.js";
import { tempFile } from "../resources/files.js";
import { requiresRoot } from "../resources/mounts.js";
import { DATA_REMOVED, DNOTIFY_REMOVED, notifiedDirectory, FD_INVALID, fileOnOwnMount, INODE_FREED, LEASE_REMOVED, lastWriter, leasedFile, MOUNT_RELEASED, RELEASE_CALLED, REMOVED_FROM_EPOLL, unlinkedFile, watchedPipe } from "./observe.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { defineScenario, type ClaimProbe, type ClaimsCheck, type Requirement, type Scenario, type FactObservation, type StateModel, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";

const badFd = (condition: string): Target => ({ section: "errors", summary: "bad file descriptor", condition });
const fdTableEntry: Target = { section: "sideEffects", summary: "file descriptor table entry" };
const fileStructures: Target = { section: "sideEffects", summary: "struct file and related structures" };
const flushNeeded = () => ({
  reason: "needs a filesystem whose flush callback fails at close (NFS with a failing or full server); local filesystems have no close-time flush",
  detail: "tmpfs and local block filesystems define no ->flush that can fail",
});

// Open file description locks (F_OFD_*), the same numbers on every arch; struct flock is 32 bytes.
const F_OFD_GETLK = 36;
const F_OFD_SETLK = 37;
// Traditional POSIX record lock; on 64-bit arches struct flock has the same layout as for the OFD commands.
const F_SETLK = 6;
const F_WRLCK = 1;
const F_UNLCK = 2;

/** A regular file opened read-write, and the other descriptors open before the call. */
interface OpenFile {
  path: string;
  fd: number;
  /** A second descriptor of the same file (not a dup): must stay open whatever close does to `fd`. */
  bystander: number;
  dup?: number;
}

function openFile(scope: ResourceScope, withLock?: "ofd" | "posix"): OpenFile {
  const path = tempFile(scope, "kapi-conform close\n");
  const fd = openFd(scope, path, oflags("O_RDWR"));
  const bystander = openFd(scope, path, oflags("O_RDWR"));
  if (withLock) recordLock(scope, fd, F_WRLCK, withLock === "ofd" ? F_OFD_SETLK : F_SETLK);
  return { path, fd, bystander };
}

/** A record lock (F_OFD_SETLK or F_SETLK) of `type` over the whole file. */
function recordLock(scope: ResourceScope, fd: number, type: number, cmd: number): void {
  const flock = scope.add(Mapping.map(32));
  flock.writeU32(0, type); // l_type (short) + l_whence SEEK_SET (short) = 0
  const r = syscall("fcntl", fd, cmd, flock.address);
  if (r.errno) throw new SetupError(`fcntl ${cmd} (record lock) failed: ${r.errno}`);
}

const open = (fd: number): FactObservation => {
  const isOpen = fdIsOpen(fd);
  return { holds: isOpen, facts: { fd, open: isOpen }, detail: `fcntl(${fd}, F_GETFD) ${isOpen ? "succeeds: open" : "fails: not open"}` };
};

/** A descriptor: open (fcntl F_GETFD succeeds) or closed and free for reuse (it fails, and the lowest free number is at most it). */
const FD_STATES: StateModel<OpenFile> = {
  object: "file descriptor",
  states: [
    { names: [/^\s*open\b/i], how: "fcntl F_GETFD on it succeeds", observe: (s) => open(s.fd) },
    {
      names: ["closed", "free"],
      how: "fcntl F_GETFD on it fails and its number is free for the next descriptor",
      observe: (s) => {
        const seen = open(s.fd);
        const lowest = lowestFreeFd();
        return { holds: !seen.holds && lowest <= s.fd, facts: { ...seen.facts, lowestFree: lowest }, detail: `${seen.detail}; lowest free descriptor ${lowest}` };
      },
    },
  ],
};

/** The open file, as reachable through the descriptors that refer to it. */
const REFERENCE_STATES: StateModel<OpenFile> = {
  object: "file reference count",
  states: [
    {
      names: [/^\s*n\s*$/i],
      how: "the open file is reachable through the descriptor and through its dup",
      observe: (s) => {
        const both = fdIsOpen(s.fd) && s.dup !== undefined && fdIsOpen(s.dup);
        return { holds: both, facts: { fd: s.fd, dup: s.dup ?? -1 }, detail: `descriptor ${s.fd} and dup ${s.dup} ${both ? "both open" : "not both open"}` };
      },
    },
    {
      names: [/n\s*-\s*1/i],
      how: "the descriptor is gone and the open file is still reachable (and readable) through the dup",
      observe: (s): FactObservation => {
        if (s.dup === undefined) return { holds: false, facts: { dup: "none" }, detail: "no dup" };
        const buf = Mapping.map(64);
        try {
          const r = syscall("pread64", s.dup, buf.address, 64, 0);
          const holds = !fdIsOpen(s.fd) && r.errno === undefined && r.ret > 0n;
          return { holds, facts: { fdOpen: fdIsOpen(s.fd), preadThroughDup: r.errno ?? Number(r.ret) }, detail: `descriptor ${s.fd} ${fdIsOpen(s.fd) ? "still open" : "closed"}; pread64 through the dup ${r.errno ?? `read ${r.ret} bytes`}` };
        } finally {
          buf.release();
        }
      },
    },
  ],
};

/** Only the descriptor passed is removed: every other descriptor stays open (a failing close removes none). */
const ONLY_THAT_ENTRY: ClaimProbe<OpenFile> = {
  claim: "the descriptor passed leaves the table (if it was open) and no other descriptor does",
  says: ["file descriptor removed from process's file descriptor table"],
  opposite: ["file descriptor remains in file descriptor table"],
  observe: (s) => {
    const bystander = fdIsOpen(s.bystander);
    const fd = fdIsOpen(s.fd);
    return { holds: bystander && !fd, facts: { fdOpen: fd, otherOpen: bystander }, detail: `descriptor ${s.fd} ${fd ? "open" : "not open"}; another descriptor of the process (${s.bystander}) ${bystander ? "open" : "closed"}` };
  },
};

/** The OFD lock taken through the closed descriptor is gone: another open file description sees no conflicting lock. */
const LOCKS_REMOVED: ClaimProbe<OpenFile> = {
  claim: "the advisory lock held through the closed descriptor is removed",
  says: ["advisory locks held on file removed", "locks removed"],
  opposite: ["locks are not removed", "locks remain"],
  observe: (s) => {
    const buf = Mapping.map(32);
    try {
      buf.writeU32(0, F_WRLCK);
      check("fcntl", syscall("fcntl", s.bystander, F_OFD_GETLK, buf.address), "F_OFD_GETLK");
      const type = buf.readU32(0) & 0xffff;
      return { holds: type === F_UNLCK, facts: { lockType: type }, detail: `F_OFD_GETLK through another open file description reports ${type === F_UNLCK ? "no lock" : `a conflicting lock (type ${type})`}` };
    } finally {
      buf.release();
    }
  },
};

/** A scenario closing the one descriptor `setup` makes, the last reference to its open file. */
function lastClose<S extends { fd: number }>(id: string, condition: string, setup: (scope: ResourceScope) => S | Promise<S>, check: ClaimsCheck<S>, requires?: Requirement[]): Scenario<unknown> {
  return defineScenario<S>({ id, condition, ...(requires ? { requires } : {}), setup: ({ scope }) => setup(scope), args: (s) => ({ fd: s.fd }), checks: [check] });
}

/** POSIX locks go with any close of the process's descriptors of the file, even while a dup keeps the open file open. */
const POSIX_LOCK_REMOVED: ClaimProbe<OpenFile> = {
  ...LOCKS_REMOVED,
  claim: "the POSIX lock the process held on the file is removed",
  says: ["removed POSIX locks"],
  opposite: ["POSIX locks remain"],
};

/** A never-used number: the table has room for it but no file is assigned. */
function unassigned(): number {
  const fd = lowestFreeFd();
  if (fdIsOpen(fd)) throw new SetupError(`descriptor ${fd} is open`);
  return fd;
}

export const closeSuite: SyscallSuite = {
  syscalls: ["close"],

  baseline: defineScenario<OpenFile>({
    id: "close-open-file",
    condition: "a regular file's descriptor, opened read-write, holding an OFD write lock, is closed",
    setup: ({ scope }) => openFile(scope, "ofd"),
    args: (s) => ({ fd: s.fd }),
    checks: [
      { kind: "transition", id: "descriptor-freed", title: "the descriptor goes from open to closed and free", about: { section: "stateTransitions", summary: "file_descriptor" }, model: FD_STATES },
      { kind: "claims", id: "table-entry-removed", title: "the descriptor, and only it, leaves the table", about: fdTableEntry, probes: [ONLY_THAT_ENTRY] },
      { kind: "claims", id: "locks-released", title: "the lock held through the descriptor is released", about: { section: "sideEffects", summary: "advisory locks" }, probes: [LOCKS_REMOVED] },
      { kind: "claims", id: "fd-invalid-after", title: "once close has returned, the descriptor is invalid", about: { section: "constraints", summary: "file descriptor reuse race" }, probes: [FD_INVALID] },
    ],
  }),

  scenarios: [
    defineScenario<{ fd: number }>({
      id: "above-int-max",
      condition: "fd is INT_MAX + 1: representable in the unsigned int parameter, beyond its documented range",
      setup: () => ({ fd: 0x80000000 }),
      args: (s) => ({ fd: s.fd }),
      checks: [{ kind: "outcome", id: "rejected", title: "a descriptor exceeding INT_MAX", about: { section: "params", summary: /^fd$/ }, value: "exceeding INT_MAX", expectFrom: badFd("out of range") }],
    }),
    defineScenario<OpenFile>({
      id: "posix-locked-with-dup",
      condition: "a descriptor through which the process holds a POSIX write lock is closed while a dup keeps the open file open",
      setup: ({ scope }) => {
        const s = openFile(scope, "posix");
        const dup = Number(check("dup", syscall("dup", s.fd), "dup"));
        scope.defer(() => void syscall("close", dup));
        return { ...s, dup };
      },
      args: (s) => ({ fd: s.fd }),
      checks: [{ kind: "claims", id: "posix-lock-released", title: "the POSIX lock is released though the file stays open", about: { section: "sideEffects", summary: "advisory locks" }, probes: [POSIX_LOCK_REMOVED] }],
    }),
    lastClose("last-close-epoll-watched", "the only descriptor of a readable pipe's read end, in an epoll interest list, is closed", watchedPipe, {
      kind: "claims", id: "interest-removed", title: "the file leaves the epoll interest list", about: { section: "sideEffects", summary: "epoll interest lists" }, probes: [REMOVED_FROM_EPOLL],
    }),
    lastClose("last-close-leased", "the only descriptor of a file holding a read lease is closed", leasedFile, {
      kind: "claims", id: "lease-removed", title: "the lease is removed", about: { section: "sideEffects", summary: "file leases" }, probes: [LEASE_REMOVED],
    }),
    lastClose("last-close-unlinked", "the only descriptor of an unlinked 64 KiB file on a tmpfs of its own is closed", unlinkedFile, {
      kind: "claims", id: "deleted", title: "the file's data and inode return to the filesystem", about: { section: "sideEffects", summary: "unlinked file deletion" }, probes: [DATA_REMOVED, INODE_FREED],
    }, [requiresRoot]),
    lastClose("last-close-own-mount", "the only descriptor of a file on a tmpfs of its own is closed", fileOnOwnMount, {
      kind: "claims", id: "mount-released", title: "the file's mount reference is released", about: fileStructures, probes: [MOUNT_RELEASED],
    }, [requiresRoot]),
    lastClose("close-dnotify-directory", "a directory's only descriptor, with a dnotify registration (DN_CREATE) signalling a watcher process, is closed", notifiedDirectory, {
      kind: "claims", id: "registration-removed", title: "the dnotify registration is cleaned up", about: { section: "sideEffects", summary: "dnotify registrations" }, probes: [DNOTIFY_REMOVED],
    }),
    lastClose("last-close-pipe-writer", "a pipe's write end, its only writer, is closed while the read end stays open", lastWriter, {
      kind: "claims", id: "release-called", title: "the file's release callback runs", about: fileStructures, probes: [RELEASE_CALLED],
    }),
    defineScenario<OpenFile>({
      id: "already-closed",
      condition: "fd was open and has been closed already",
      setup: ({ scope }) => {
        const s = openFile(scope);
        check("close", syscall("close", s.fd), "first close");
        return s;
      },
      args: (s) => ({ fd: s.fd }),
      checks: [
        { kind: "outcome", id: "rejected", title: "closing a closed descriptor", about: badFd("was already closed") },
        { kind: "claims", id: "atomic", title: "a failing close leaves every other descriptor open", about: fdTableEntry, probes: [ONLY_THAT_ENTRY] },
      ],
    }),
    defineScenario<{ fd: number; nofile: number }>({
      id: "out-of-range",
      condition: "fd is beyond the process's descriptor table (above RLIMIT_NOFILE and fs.nr_open)",
      setup: () => ({ fd: 0x7fffffff, nofile: 0 }),
      args: (s) => ({ fd: s.fd }),
      checks: [{ kind: "outcome", id: "rejected", title: "descriptor out of range", about: badFd("out of range") }],
    }),
    defineScenario<{ fd: number }>({
      id: "no-file-assigned",
      condition: "fd is the lowest free number: inside the table, with no file assigned",
      setup: () => ({ fd: unassigned() }),
      args: (s) => ({ fd: s.fd }),
      checks: [{ kind: "outcome", id: "rejected", title: "descriptor with no file", about: badFd("no file assigned") }],
    }),
    defineScenario<OpenFile>({
      id: "close-with-dup",
      condition: "a descriptor with a dup is closed: the open file stays reachable through the dup",
      setup: ({ scope }) => {
        const s = openFile(scope);
        const dup = Number(check("dup", syscall("dup", s.fd), "dup"));
        scope.defer(() => void syscall("close", dup));
        return { ...s, dup };
      },
      args: (s) => ({ fd: s.fd }),
      checks: [
        { kind: "outcome", id: "succeeds", title: "close of a dup'ed descriptor", about: { section: "return" } },
        { kind: "transition", id: "reference-dropped", title: "the file's reference count drops by one; the file stays open", about: { section: "stateTransitions", summary: "file_reference_count" }, model: REFERENCE_STATES },
      ],
    }),
  ],

  environmentOnly: [
    // One row per error block about a failing flush, found by its summary's words, never by its errno; the ids keep their short slugs.
    ...([
      ["eintr", "interrupted system call"],
      ["eio", "I/O error"],
      ["enospc", "no space left on device"],
      ["edquot", "disk quota exceeded"],
    ] as const).map(([slug, summary]) => ({
      id: `flush-${slug}`,
      title: `a close-time flush fails: ${summary}`,
      about: { section: "errors" as const, text: /flush/i, summary },
      reason: flushNeeded,
    })),
    // Prose claims about a failing flush: one sentence naming EIO, ENOSPC and EDQUOT stands for each of them.
    { id: "restart-codes-eintr", title: "restart codes of an interrupted flush become EINTR", about: { section: "claims", text: "kernel restart codes converted" }, reason: flushNeeded },
    { id: "final-flush-failed", title: "close's errors say the final flush failed", about: { section: "claims", text: "final flush of buffered data failed" }, reason: flushNeeded },
    { id: "written-data-lost", title: "flush errors say written data may not have reached storage", about: { section: "claims", text: "error codes indicate previously" }, reason: flushNeeded },
    { id: "flush-interrupted-signal", title: "a signal interrupts a close-time flush's wait", about: { section: "signals", summary: "pending_signals" }, reason: flushNeeded },
    {
      id: "flush-buffered-data",
      title: "the close-time flush callback writes buffered data",
      about: { section: "sideEffects", summary: "buffered data" },
      reason: () => ({
        reason: "needs a filesystem with a close-time flush callback (NFS, CIFS, FUSE) whose server can show what was flushed; local filesystems define no ->flush",
        detail: "tmpfs and local block filesystems keep written data in the page cache; close starts no writeback there",
      }),
    },
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
