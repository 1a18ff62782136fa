// SPDX-License-Identifier: GPL-2.0-only
// One suite for setxattr, lsetxattr and fsetxattr. Each scenario creates one
// condition on a fresh file and builds its arguments for the variant the
// spec documents (a path, followed or not, or a descriptor: see variant.ts);
// no entry states an errno or return value: those are read from the spec's
// items, found by their words, when the case runs. Every scenario that can
// read the attribute back also checks that a failed call changed nothing.
import { constant } from "../../kernel/constants.js";
import type { ResourceScope } from "../../kernel/scope.js";
import type { SyscallArg } from "../../kernel/syscall.js";
import { ResourceUnavailable, SetupError } from "../errors.js";
import { requiresRoot } from "../resources/mounts.js";
import { tempDirectory } from "../resources/files.js";
import { defineScenario, type ArgValue, type Args, type Check, type ClaimProbe, type Scenario, type ScenarioContext, type SyscallSuite, type Target, KERNEL_SIDE_UNOBSERVABLE } from "../scenario.js";
import { chmodSync, readFileSync, symlinkSync, watch, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chattr, fifo, fileMarkedNosec, fileOnFullTmpfs, fileOnReadOnlyTmpfs, procfsFile, regularFile, stickyDirectory, subjectAt, symlinkToFile, type OpenMode } from "./fixtures.js";
import {
  ATTRIBUTE_STATES,
  CHANGED_ONLY_ON_SUCCESS,
  CREATE_FAILS_IF_EXISTS,
  EMPTY_VALUE_CREATED,
  FLAGS0_CREATES_OR_REPLACES,
  FOLLOWS_LINK,
  ATTRIB_EVENT,
  BEYOND_FS_LIMIT_FAILS,
  NON_OWNER_REFUSED,
  NEEDS_FS_SUPPORT,
  NON_REGULAR_REFUSED,
  NOSEC_CLEARED,
  O_PATH_REFUSED,
  type Watched,
  ON_LINK_ITSELF,
  PREVIOUS_REPLACED,
  REPLACE_FAILS_IF_MISSING,
  SET_TO_VALUE,
  USER_ON_SYMLINK_ITSELF,
  type XattrState,
} from "./observe.js";
import { cString, readBack, setDirectly, subjectArg, trySet, unterminatedAtGuard, valueBuffer, variantOf, xattrArgs, type Subject, type Variant } from "./variant.js";

const NAME = "user.kapi-conform";

const VALUE = Buffer.from("kapi-value");
const OLD_VALUE = Buffer.from("old-value-kept");

type Flags = "0" | "create" | "replace" | "both";

function flagBits(flags: Flags): number {
  switch (flags) {
    case "0":
      return 0;
    case "create":
      return constant("XATTR_CREATE");
    case "replace":
      return constant("XATTR_REPLACE");
    case "both":
      return constant("XATTR_CREATE") | constant("XATTR_REPLACE");
  }
}

/** What the call acts on, for a variant; path-only conditions skip for the descriptor variant, and the other way round. */
type SubjectMaker = (scope: ResourceScope, variant: Variant) => Subject & { link?: { link: string; target: string } };

interface Prep {
  subject?: SubjectMaker;
  name?: string;
  /** The name argument when it is not the NUL-terminated `name` (unterminated, ...). */
  nameArg?: (scope: ResourceScope) => ArgValue;
  value?: Buffer;
  /** The value argument when it is not a buffer holding `value` (NULL, ...). */
  valueArg?: (scope: ResourceScope) => ArgValue;
  size?: SyscallArg;
  flags?: Flags;
  /** A value the attribute holds before the call. */
  old?: Buffer;
  /** The argument naming the subject, when it is not the subject's own (AT_FDCWD, ...). */
  at?: () => Record<string, ArgValue>;
  /** Runs after the old value is set (chattr +i would refuse it). */
  after?: (scope: ResourceScope, path: string) => void;
}

type State = XattrState & { args: Args };

const fileSubject =
  (opts: { mode?: number; dirMode?: number; open?: OpenMode } = {}): SubjectMaker =>
  (scope, variant) =>
    subjectAt(scope, variant, regularFile(scope, opts), opts.open);

function prepare(ctx: ScenarioContext, prep: Prep): State {
  const { scope } = ctx;
  const variant = variantOf(ctx.spec);
  const made = (prep.subject ?? fileSubject())(scope, variant);
  const name = prep.name ?? NAME;
  const value = prep.value ?? VALUE;
  if (prep.old) setDirectly(made.link?.target ?? made.path, name, prep.old);
  prep.after?.(scope, made.path);
  const subject: Subject = made.fd === undefined ? { path: made.path } : { path: made.path, fd: made.fd };
  const before = readBack(variant, subject, name);
  const nameArg = prep.nameArg ? prep.nameArg(scope) : cString(scope, name);
  const valueArg = prep.valueArg ? prep.valueArg(scope) : valueBuffer(scope, value);
  const args = xattrArgs(prep.at?.() ?? subjectArg(variant, subject, scope), nameArg, valueArg, prep.size ?? value.length, flagBits(prep.flags ?? "0"));
  return { variant, subject, name, value, before, args, ...(made.link ? { link: made.link } : {}) };
}

/** Conditions of path lookup: a descriptor-based variant resolves no path. */
const pathOnly =
  (make: (scope: ResourceScope) => string): SubjectMaker =>
  (scope, variant) => {
    if (variant.kind === "fd") throw new ResourceUnavailable("the spec's call takes a descriptor: no path is resolved", `${variant.spec} has parameter ${variant.param}`);
    return { path: make(scope) };
  };

/** Conditions of a descriptor: a path-based variant takes none. */
const fdOnly =
  (path: (scope: ResourceScope) => string, mode: OpenMode): SubjectMaker =>
  (scope, variant) => {
    if (variant.kind !== "fd") throw new ResourceUnavailable("the spec's call takes a path: no descriptor is given", `${variant.spec} has parameter ${variant.param}`);
    return subjectAt(scope, variant, path(scope), mode);
  };

// Spec items, found by what they say.
const ATTRS_EFFECT: Target = { section: "sideEffects", summary: "extended attributes" };
const ATTR_TRANSITION: Target = { section: "stateTransitions", summary: "extended attribute" };
const RETURN: Target = { section: "return" };
const FS_SUPPORT: Target = { section: "constraints", summary: "filesystem support" };
const param = (name: string): Target => ({ section: "params", summary: new RegExp(`^${name}$`) });
const notPermitted = (condition: string | RegExp): Target => ({ section: "errors", summary: "operation not permitted", condition });
const errorWhen = (condition: string | RegExp): Target => ({ section: "errors", condition });

const outcome = (id: string, title: string, about: Target, extra: { expectFrom?: Target; otherwise?: Target; value?: string } = {}): Check<unknown> => ({ kind: "outcome", id, title, about, ...extra });
const claims = (id: string, title: string, about: Target, probes: ClaimProbe<XattrState>[]): Check<unknown> => ({ kind: "claims", id, title, about, probes: probes as ClaimProbe<unknown>[] });
/** After any call: created or modified only on success, else left byte for byte. */
const atomic = claims("attribute-unchanged-unless-success", "the attribute changes only when the call succeeds", ATTRS_EFFECT, [CHANGED_ONLY_ON_SUCCESS]);

function scenario(id: string, condition: string, prep: Prep, checks: Check<unknown>[], extra: { as?: "nobody"; requires?: Scenario["requires"] } = {}): Scenario<unknown> {
  return defineScenario<State>({
    id,
    condition,
    ...(extra.as ? { as: extra.as } : {}),
    ...(extra.requires ? { requires: extra.requires } : {}),
    setup: (ctx) => prepare(ctx, prep),
    args: (s) => s.args,
    checks: checks as Check<State>[],
  });
}

/** A symbolic link to a fresh regular file; the descriptor variant opens the file through it. */
const viaLink: SubjectMaker = (scope, variant) => {
  const link = symlinkToFile(scope);
  return { ...subjectAt(scope, variant, link.link), link };
};

/** A directory component that is a symbolic link to itself. */
function loopPath(scope: ResourceScope): string {
  const dir = tempDirectory(scope);
  symlinkSync("loop", join(dir, "loop"));
  return join(dir, "loop", "file");
}

/** Bytes of value below XATTR_SIZE_MAX that ext4 without ea_inode cannot hold (one block per inode's xattrs). */
const FS_LIMIT_PROBE = 8000;

/** A regular file on a filesystem that refuses a FS_LIMIT_PROBE-byte value (tried on a scratch file first), else a skip. */
const fileBelowLimit: SubjectMaker = (scope, variant) => {
  const scratch = regularFile(scope);
  const tried = trySet(scratch, "user.kapi-conform-limit", Buffer.alloc(FS_LIMIT_PROBE));
  if (tried.errno === "ENOSPC" || tried.errno === "E2BIG") return subjectAt(scope, variant, regularFile(scope));
  if (tried.errno) throw new SetupError(`a ${FS_LIMIT_PROBE}-byte value on a scratch file failed otherwise than for its size: ${tried.errno}`);
  throw new ResourceUnavailable(`the temp filesystem holds a ${FS_LIMIT_PROBE}-byte value: no limit below XATTR_SIZE_MAX to exceed`, `scratch file ${scratch}`);
};

/** The LSMs this kernel runs, for the LSM constraint's detail. */
function activeLsms(): string {
  try {
    return readFileSync("/sys/kernel/security/lsm", "utf8").trim() || "none";
  } catch {
    return "unknown (securityfs not mounted)";
  }
}

/** A root-owned 0666 file in `dir`. */
function fileIn(dir: string): string {
  const path = join(dir, "file");
  writeFileSync(path, "kapi-conform\n");
  chmodSync(path, 0o666);
  return path;
}

/** A well-formed VFS_CAP_REVISION_2 value (magic_etc, then permitted/inheritable for two words), granting nothing. */
const V2_CAPABILITY = (() => {
  const b = Buffer.alloc(20);
  b.writeUInt32LE(0x02000000, 0);
  return b;
})();

/** A fresh directory nobody can search, holding a file anyone could write. */
function unsearchable(scope: ResourceScope): string {
  return regularFile(scope, { dirMode: 0o700, mode: 0o666 });
}

export const xattrSuite: SyscallSuite = {
  syscalls: ["setxattr", "lsetxattr", "fsetxattr"],

  baseline: scenario(
    "set-new",
    `a new ${NAME} attribute of ${VALUE.length} bytes is set on a regular file with flags 0`,
    {},
    [
      { kind: "transition", id: "attribute-gets-new-value", title: "the attribute goes from absent to the new value", about: ATTR_TRANSITION, model: ATTRIBUTE_STATES } as Check<unknown>,
      claims("value-stored", "the value read back is the value set", RETURN, [SET_TO_VALUE]),
      atomic,
    ],
  ),

  scenarios: [
    // flags
    scenario("create-missing", "XATTR_CREATE for an attribute the file does not have", { flags: "create" }, [outcome("accepted", "XATTR_CREATE creates a missing attribute", RETURN), atomic]),
    scenario("create-existing", "XATTR_CREATE for an attribute the file already has", { flags: "create", old: OLD_VALUE }, [
      outcome("rejected", "XATTR_CREATE on an existing attribute", errorWhen("XATTR_CREATE was specified but the named attribute already exists")),
      claims("flags-claim", "the flags' text on XATTR_CREATE", param("flags"), [CREATE_FAILS_IF_EXISTS]),
      atomic,
    ]),
    scenario("replace-missing", "XATTR_REPLACE for an attribute the file does not have", { flags: "replace" }, [
      outcome("rejected", "XATTR_REPLACE on a missing attribute", errorWhen("XATTR_REPLACE was specified but the named attribute does not exist")),
      claims("flags-claim", "the flags' text on XATTR_REPLACE", param("flags"), [REPLACE_FAILS_IF_MISSING]),
      atomic,
    ]),
    scenario("replace-existing", "XATTR_REPLACE for an attribute the file has", { flags: "replace", old: OLD_VALUE }, [
      outcome("accepted", "XATTR_REPLACE replaces an existing attribute", RETURN),
      claims("previous-replaced", "the previous value is replaced", RETURN, [PREVIOUS_REPLACED]),
      atomic,
    ]),
    scenario("flags-zero-existing", "flags 0 for an attribute the file has", { old: OLD_VALUE }, [
      claims("flags-claim", "the flags' text on flags=0", param("flags"), [FLAGS0_CREATES_OR_REPLACES]),
      { kind: "transition", id: "old-to-new", title: "the attribute goes from its old value to the new one", about: ATTR_TRANSITION, model: ATTRIBUTE_STATES } as Check<unknown>,
      atomic,
    ]),
    // Both flags: each documented condition applies to its half.
    scenario("both-flags-existing", "XATTR_CREATE|XATTR_REPLACE for an attribute the file has", { flags: "both", old: OLD_VALUE }, [
      outcome("rejected", "both flags, attribute exists: XATTR_CREATE was specified", errorWhen("XATTR_CREATE was specified but the named attribute already exists")),
      atomic,
    ]),
    scenario("both-flags-missing", "XATTR_CREATE|XATTR_REPLACE for an attribute the file does not have", { flags: "both" }, [
      outcome("rejected", "both flags, attribute missing: XATTR_REPLACE was specified", errorWhen("XATTR_REPLACE was specified but the named attribute does not exist")),
      atomic,
    ]),

    // name
    scenario("name-empty", "the name is the empty string", { name: "", nameArg: (scope) => cString(scope, "") }, [
      outcome("rejected", "an empty name", errorWhen("name is empty")),
      outcome("param-claim", "the name's text on an empty name", param("name"), { expectFrom: errorWhen("name is empty"), value: "empty" }),
    ]),
    scenario("name-too-long", "the name is 256 characters, one more than XATTR_NAME_MAX", { name: `user.${"n".repeat(251)}` }, [
      outcome("rejected", "a name longer than XATTR_NAME_MAX", errorWhen("exceeds XATTR_NAME_MAX")),
    ]),
    scenario("name-max-length", "the name is 255 characters, XATTR_NAME_MAX", { name: `user.${"m".repeat(250)}` }, [outcome("accepted", "a name of XATTR_NAME_MAX characters", param("name"), { expectFrom: RETURN }), atomic]),
    scenario("name-unknown-namespace", "the name has a prefix no namespace handler knows (kapi.)", { name: "kapi.conform" }, [
      outcome("einval-claim", "EINVAL's text: the name matches no handler prefix", errorWhen("xattr name doesn't match any handler prefix")),
      outcome("eopnotsupp-claim", "EOPNOTSUPP's text: no handler for the namespace prefix", errorWhen("no xattr handler exists for the given namespace prefix")),
    ]),
    scenario("name-unterminated", "the name has no NUL before a PROT_NONE page (8 readable bytes)", { nameArg: (scope) => unterminatedAtGuard(scope, "user.kap") , name: "user.kap" }, [
      outcome("rejected", "an unterminated name running into a guard page", errorWhen("points to memory that cannot be accessed")),
      atomic,
    ]),

    // value and size
    scenario("value-null-size-nonzero", `value is NULL with size ${VALUE.length}`, { valueArg: () => 0n }, [
      outcome("rejected", "NULL value with a non-zero size", errorWhen("points to memory that cannot be accessed")),
      atomic,
    ]),
    scenario("size-zero", "size 0 with a valid value pointer", { size: 0, value: Buffer.alloc(0) }, [
      outcome("accepted", "size 0", param("size"), { expectFrom: RETURN }),
      claims("empty-value", "size 0 creates an attribute with an empty value", param("size"), [EMPTY_VALUE_CREATED]),
    ]),

    // the file: symbolic links, kinds of file
    scenario("symlink-trusted", "trusted.* through a symbolic link to a regular file, as root", { name: "trusted.kapi-conform", subject: viaLink }, [
      outcome("accepted", "trusted.* through a symbolic link, as root", RETURN),
      claims("follows-or-not", "the path's text on following symbolic links", param("pathname"), [FOLLOWS_LINK]),
      claims("lands-on", "the side effect's text on where the attribute is set", ATTRS_EFFECT, [ON_LINK_ITSELF, CHANGED_ONLY_ON_SUCCESS]),
    ]),
    scenario("symlink-user", "user.* through a symbolic link to a regular file", { subject: viaLink }, [
      outcome("handled", "user.* through a symbolic link", param("pathname"), { expectFrom: notPermitted("user namespace on a symbolic link"), otherwise: RETURN }),
      outcome("constraint", "the user.* namespace constraint on symbolic links", { section: "constraints", summary: "user.* namespace restrictions" }, { value: "symbolic links", otherwise: RETURN }),
      claims("fs-support-on-symlinks", "the filesystem-support constraint on user.* for symbolic links themselves", FS_SUPPORT, [USER_ON_SYMLINK_ITSELF]),
      atomic,
    ]),
    scenario("user-on-fifo", "user.* on a FIFO", { subject: (scope, variant) => subjectAt(scope, variant, fifo(scope)) }, [
      claims("non-regular-rejected", "user.* is refused on file types other than regular files and directories", { section: "constraints", summary: "user.* namespace restrictions" }, [NON_REGULAR_REFUSED]),
      outcome("write-claim", "the constraint's errno for a write of user.* on another file type", { section: "claims", text: "user.* namespace restrictions", condition: "write" }),
    ]),
    scenario("procfs-no-xattr", "user.* on a procfs file (procfs has no xattr handlers)", { subject: procfsFile }, [
      outcome("rejected", "a filesystem without extended attributes", errorWhen("filesystem does not support extended attributes")),
      claims("fs-support", "the filesystem-support constraint: a filesystem without xattr handlers refuses the call", FS_SUPPORT, [NEEDS_FS_SUPPORT]),
    ]),
    defineScenario<State & { watched: Watched }>({
      id: "watched-file",
      condition: "user.* on a regular file watched with inotify (fs.watch)",
      setup: (ctx) => {
        const state = prepare(ctx, {});
        const events: string[] = [];
        let arrived: () => void = () => undefined;
        const watcher = watch(state.subject.path, (type) => {
          events.push(type);
          arrived();
        });
        ctx.scope.defer(() => watcher.close());
        const wait = (ms: number): Promise<void> =>
          events.length > 0
            ? Promise.resolve()
            : new Promise((resolve) => {
                const timer = setTimeout(resolve, ms);
                arrived = () => {
                  clearTimeout(timer);
                  resolve();
                };
              });
        return { ...state, watched: { events, wait } };
      },
      args: (s) => s.args,
      checks: [
        { kind: "claims", id: "attrib-event", title: "watchers are notified of the change", about: { section: "sideEffects", summary: "fsnotify event" }, probes: [ATTRIB_EVENT] },
      ],
    }),
    scenario("trusted-as-root", "trusted.* on a regular file, as root", { name: "trusted.kapi-conform" }, [
      outcome("accepted", "trusted.* with CAP_SYS_ADMIN", RETURN),
      atomic,
    ]),

    // permissions
    scenario("no-write-permission", "user.* on a root-owned 0644 file, as nobody", { subject: fileSubject({ mode: 0o644, dirMode: 0o755 }), old: OLD_VALUE }, [
      outcome("rejected", "no write permission on the file", errorWhen("write access to the file is denied")),
      atomic,
    ], { as: "nobody" }),
    scenario("no-search-permission", "user.* on a 0666 file in a root-owned 0700 directory, as nobody", { subject: pathOnly(unsearchable) }, [
      outcome("rejected", "no search permission on a directory of the path", errorWhen("search permission on a directory component")),
      atomic,
    ], { as: "nobody" }),
    scenario("trusted-as-nobody", "trusted.* on a 0666 file, as nobody", { name: "trusted.kapi-conform", subject: fileSubject({ mode: 0o666, dirMode: 0o755 }) }, [
      outcome("rejected", "trusted.* without CAP_SYS_ADMIN", notPermitted(/trusted/)),
      outcome("capability", "CAP_SYS_ADMIN's text on trusted.*", { section: "capabilities", summary: "CAP_SYS_ADMIN" }, { value: "trusted" }),
      atomic,
    ], { as: "nobody" }),
    scenario("security-as-nobody", "security.* on a 0666 file, as nobody", { name: "security.kapi-conform", subject: fileSubject({ mode: 0o666, dirMode: 0o755 }) }, [
      outcome("rejected", "security.* without CAP_SYS_ADMIN", notPermitted(/security\.\*/)),
      outcome("capability", "CAP_SYS_ADMIN's text on security.*", { section: "capabilities", summary: "CAP_SYS_ADMIN" }, { value: "security" }),
      atomic,
    ], { as: "nobody" }),
    scenario("sticky-directory-as-nobody", "user.* on a root-owned sticky 01777 directory, as nobody", { subject: (scope, variant) => subjectAt(scope, variant, stickyDirectory(scope), "rdonly") }, [
      outcome("rejected", "user.* on a sticky directory by a non-owner", notPermitted(/sticky/)),
      atomic,
    ], { as: "nobody" }),
    scenario("file-in-sticky-directory-as-nobody", "user.* on a root-owned 0666 file in a sticky 01777 directory, as nobody", { subject: (scope, variant) => subjectAt(scope, variant, fileIn(stickyDirectory(scope))) }, [
      claims("cap-fowner", "CAP_FOWNER's text on files in sticky directories", { section: "capabilities", summary: "CAP_FOWNER" }, [NON_OWNER_REFUSED]),
      atomic,
    ], { as: "nobody" }),
    scenario("security-capability-malformed", "security.capability with a 10-byte value that is no capability header, as root", { name: "security.capability" }, [
      outcome("rejected", "a malformed security.capability value", errorWhen("malformed capability values")),
      atomic,
    ]),
    scenario("security-capability-as-nobody", "security.capability with a valid v2 header on a 0666 file, as nobody", { name: "security.capability", value: V2_CAPABILITY, subject: fileSubject({ mode: 0o666, dirMode: 0o755 }) }, [
      outcome("capability", "CAP_SETFCAP's text on security.capability", { section: "capabilities", summary: "CAP_SETFCAP" }),
      atomic,
    ], { as: "nobody" }),
    scenario("security-capability-clears-nosec", "security.capability (valid v2 header) on a tmpfs file a write has marked S_NOSEC, as root", { name: "security.capability", value: V2_CAPABILITY, subject: fileMarkedNosec }, [
      claims("nosec-cleared", "S_NOSEC is cleared: the next write removes the capability", { section: "sideEffects", summary: "S_NOSEC" }, [NOSEC_CLEARED]),
    ], { requires: [requiresRoot] }),
    scenario("immutable-file", "user.* on a file made immutable (chattr +i), as root", { after: (scope, path) => chattr(scope, path, "i"), old: OLD_VALUE }, [
      outcome("rejected", "an immutable file", notPermitted(/immutable/)),
      atomic,
    ]),
    scenario("append-only-file", "user.* on a file made append-only (chattr +a), as root", { after: (scope, path) => chattr(scope, path, "a"), old: OLD_VALUE }, [
      outcome("rejected", "an append-only file", notPermitted(/append-only/)),
      atomic,
    ]),

    // filesystems of the scenario's own
    scenario("read-only-filesystem", "user.* on a file of a tmpfs remounted read-only", { subject: fileOnReadOnlyTmpfs }, [
      outcome("rejected", "a read-only filesystem", { section: "errors", summary: "read-only filesystem" }),
      atomic,
    ], { requires: [requiresRoot] }),
    scenario("no-space", "a 4096-byte user.* value on a tmpfs whose xattr space (nr_inodes=3) is used up", { subject: (scope, variant) => fileOnFullTmpfs(scope, variant, 4096), value: Buffer.alloc(4096, 0x61) }, [
      outcome("rejected", "no space for the attribute", { section: "errors", summary: "no space left on device" }),
      atomic,
    ], { requires: [requiresRoot] }),

    scenario("beyond-filesystem-limit", `an ${FS_LIMIT_PROBE}-byte user.* value on the temp filesystem, whose own limit is smaller`, { subject: fileBelowLimit, value: Buffer.alloc(FS_LIMIT_PROBE, 0x62) }, [
      {
        kind: "precedence",
        id: "reported",
        title: "a value beyond the filesystem's limit: ENOSPC or E2BIG, as the size-limits constraint says",
        about: { section: "constraints", summary: "filesystem-specific size limits" },
        candidates: [{ section: "constraints", summary: "filesystem-specific size limits" }],
      },
      claims("refused", "the size-limits constraint: exceeding the limit fails", { section: "constraints", summary: "filesystem-specific size limits" }, [BEYOND_FS_LIMIT_FAILS]),
    ]),

    // path lookup (path-based variants)
    scenario("path-missing", "the path names no file", { subject: pathOnly((scope) => join(tempDirectory(scope), "missing")) }, [
      outcome("rejected", "a missing file", errorWhen("pathname does not exist")),
    ]),
    scenario("path-file-as-directory", "a regular file is used as a directory component", { subject: pathOnly((scope) => join(regularFile(scope), "x")) }, [
      outcome("rejected", "a file as a directory component", errorWhen("component of the path prefix is not a directory")),
    ]),
    scenario("path-too-long", "the path is longer than PATH_MAX", { subject: pathOnly((scope) => `${tempDirectory(scope)}/${"d/".repeat(2100)}f`) }, [
      outcome("rejected", "a path longer than PATH_MAX", errorWhen("pathname exceeds the system limit")),
    ]),
    scenario("path-component-too-long", "a path component is longer than NAME_MAX", { subject: pathOnly((scope) => join(tempDirectory(scope), "c".repeat(256))) }, [
      outcome("rejected", "a component longer than NAME_MAX", errorWhen("component of the pathname exceeds the system limit")),
    ]),
    scenario("path-symlink-loop", "a directory component is a symbolic link to itself", { subject: pathOnly(loopPath) }, [
      outcome("rejected", "a symbolic link loop in the path", { section: "errors", summary: "too many symbolic links" }),
    ]),

    // descriptors (the descriptor-based variant)
    scenario("fd-o-path", "the descriptor was opened with O_PATH", { subject: fdOnly((scope) => regularFile(scope), "path") }, [
      outcome("rejected", "an O_PATH descriptor", errorWhen("fd is not valid")),
      outcome("constraint", "the O_PATH constraint", { section: "constraints", summary: "O_PATH" }, { expectFrom: errorWhen("fd is not valid") }),
      claims("constraint-claim", "the O_PATH constraint: such a descriptor is refused", { section: "constraints", summary: "O_PATH" }, [O_PATH_REFUSED]),
    ]),
    // XATTR_REPLACE of a name the current directory lacks: a kernel that takes AT_FDCWD as the
    // current directory answers without changing it (a plain set would write to the worker's cwd).
    scenario("fd-at-fdcwd", "fd is AT_FDCWD (-100), with XATTR_REPLACE of a name no file has", { name: "user.kapi-conform-at-fdcwd", flags: "replace", subject: fdOnly((scope) => regularFile(scope), "rdwr"), at: () => ({ fd: constant("AT_FDCWD") }) }, [
      outcome("rejected", "AT_FDCWD is no descriptor for this call", param("fd"), { expectFrom: errorWhen("fd is not valid"), value: "AT_FDCWD" }),
    ]),
    scenario("fd-read-only", "the descriptor is open read-only (not for writing), as root", { subject: fdOnly((scope) => regularFile(scope), "rdonly") }, [
      outcome("rejected", "a descriptor not open for writing", errorWhen("not open for writing")),
      atomic,
    ]),
  ],

  environmentOnly: [
    {
      id: "no-memory",
      title: "the kernel cannot allocate the value's buffer",
      about: { section: "errors", summary: "out of memory" },
      reason: () => ({ reason: "needs a kernel allocation to fail (fault injection: failslab with CONFIG_FAULT_INJECTION); kapi-conform injects no faults", detail: "a 64 KiB value is the largest allocation a call makes" }),
    },
    {
      id: "bad-inode",
      title: "the inode is marked bad",
      about: { section: "errors", summary: "I/O error" },
      reason: () => ({ reason: "needs an inode the filesystem marked bad (a corrupted filesystem image); kapi-conform corrupts none" }),
    },
    {
      id: "quota-exceeded",
      title: "the user's quota is used up",
      about: { section: "errors", summary: "disk quota exceeded" },
      reason: () => ({ reason: "needs a filesystem with quota accounting (ext4/XFS with usrquota) and a user at its limit; kapi-conform sets up no quota" }),
    },
    {
      id: "stale-handle",
      title: "the file handle goes stale during the call",
      about: { section: "errors", summary: "stale file handle" },
      reason: () => ({ reason: "needs an NFS mount whose file is replaced on the server during the call" }),
    },
    {
      id: "delegation-break-signal",
      title: "a signal arrives while the call waits for a delegation break",
      // "Any" is a stop word to word matching: the whole summary, then.
      about: { section: "signals", summary: /^Any$/ },
      reason: () => ({ reason: "needs an NFSv4 delegation held by another client (knfsd), so that the call waits in __break_lease" }),
    },
    {
      id: "value-buffer",
      title: "the kernel copy of the value is allocated and freed within the call",
      about: { section: "sideEffects", summary: "kernel buffer for attribute value" },
      reason: () => ({ reason: "the value's kernel copy lives only inside the call; user space cannot see its allocation or release (kmemleak or slab tracing can)" }),
    },
    {
      id: "lsm-policy",
      title: "a Linux Security Module refuses the change",
      about: { section: "constraints", summary: "LSM checks" },
      reason: () => ({ reason: "needs an LSM policy that denies setxattr (SELinux, Smack or AppArmor rules); kapi-conform loads none", detail: `active LSMs: ${activeLsms()}` }),
    },
  ],

  unobservableSections: {
    ...KERNEL_SIDE_UNOBSERVABLE,
  },
};
