// SPDX-License-Identifier: GPL-2.0-only
// Self-check: the FFI layer against C. ffi-vs-c.c makes raw calls with libc's
// syscall() and the kernel's uapi headers; the same checks run here through
// harness/kernel, and every "name ret errno" line must agree. Both sides are
// separate processes, so process-specific values are compared as relations.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { AioContext, rawIoCancel, rawIoSetup, rawIoSubmit } from "../../harness/kernel/aio.js";
import { encodeIocb, IO_EVENT_SIZE, IOCB_CMD, IOCB_SIZE, iocbOffsets } from "../../harness/kernel/aio-abi.js";
import { currentArch, SYSCALL_NUMBERS, syscallNumber, type SyscallName } from "../../harness/kernel/arch.js";
import { compileC } from "../../harness/kernel/cc.js";
import { errnoName, errnoNumber } from "../../harness/kernel/errno.js";
import { defaultSpecPath, loadSpecs } from "../../harness/spec/load.js";
import { guardPage, Mapping, mapPages, PAGE_SIZE } from "../../harness/kernel/memory.js";
import { openPipe } from "../../harness/kernel/pipe.js";
import { ResourceScope } from "../../harness/kernel/scope.js";
import { rawSyscall, syscall, SyscallError, type SyscallResult } from "../../harness/kernel/syscall.js";
import { expectAioReleasedAfterBlock, projectRoot } from "./support.js";
import { skipBecause } from "../support/skip.js";

const DATA = "kapi-conform ffi-vs-c self-check\n";
const PIPE_MSG = "kapi\n";
const POLLIN = 1n;
const O_NONBLOCK = 0o4000;
/** What the suites see from the kernel (scenarios, races, setup), beyond the spec's own errors. */
const OBSERVED_ERRNOS = ["EFAULT", "EINVAL", "EINPROGRESS", "EBADF", "EAGAIN", "ENOSYS", "ESRCH", "ESPIPE"];

type Section = "abi" | "numbers" | "processes" | "pipes" | "memory" | "wide" | "aio";
const SECTIONS: readonly Section[] = ["abi", "numbers", "processes", "pipes", "memory", "wide", "aio"];

/** name -> "ret errno" (errno as a number, 0 unless ret is -1), as ffi-vs-c prints. */
type Lines = Map<string, string>;

class Recorder {
  readonly lines: Lines = new Map();
  readonly sectionOf = new Map<string, Section>();
  section: Section = "abi";

  rec(name: string, r: SyscallResult): void {
    const errno = r.ret === -1n ? (r.errno === undefined ? "?" : String(errnoNumber(r.errno) ?? r.errno)) : "0";
    this.#put(name, `${r.ret} ${errno}`);
  }

  val(name: string, v: bigint | number | boolean): void {
    this.#put(name, `${typeof v === "boolean" ? Number(v) : v} 0`);
  }

  #put(name: string, line: string): void {
    if (this.lines.has(name)) throw new Error(`duplicate check ${name}`);
    this.lines.set(name, line);
    this.sectionOf.set(name, this.section);
  }
}

/** A harness call that throws SyscallError on failure, as a SyscallResult (success is ret 0). */
function attempt(fn: () => void): SyscallResult {
  try {
    fn();
    return { ret: 0n };
  } catch (e) {
    if (e instanceof SyscallError) return e.errno === undefined ? { ret: e.ret } : { ret: e.ret, errno: e.errno };
    throw e;
  }
}

function cString(scope: ResourceScope, text: string): bigint {
  const m = scope.add(mapPages(1));
  m.write(0, Buffer.from(`${text}\0`));
  return m.address;
}

/** The same checks as ffi-vs-c.c, through the FFI layer. */
function ffiChecks(dataPath: string): Recorder {
  const r = new Recorder();
  const scope = new ResourceScope();
  try {
    r.section = "abi";
    r.val("abi_sizeof_iocb", IOCB_SIZE);
    r.val("abi_sizeof_io_event", IO_EVENT_SIZE);
    for (const [field, offset] of Object.entries(iocbOffsets())) r.val(`abi_off_${field}`, offset);
    for (const [name, value] of Object.entries(IOCB_CMD)) r.val(`abi_cmd_${name}`, value);

    r.section = "numbers";
    for (const name of Object.keys(SYSCALL_NUMBERS[currentArch()]) as SyscallName[]) r.val(`nr_${name}`, syscallNumber(name));

    r.section = "processes";
    r.val("getpid_is_self", syscall("getpid").ret === BigInt(process.pid));
    r.rec("close_ebadf", syscall("close", -1));
    r.rec("unknown_syscall", rawSyscall(100000));
    r.rec("kill_self_0", syscall("kill", process.pid, 0));
    r.rec("kill_nonexistent", syscall("kill", 2 ** 31 - 1, 0));

    r.section = "pipes";
    const fds = scope.add(mapPages(1));
    r.rec("pipe2", syscall("pipe2", fds.address, 0));
    const [readFd, writeFd] = [fds.readU32(0) | 0, fds.readU32(4) | 0];
    r.rec("pipe2_bad_flags", syscall("pipe2", fds.address, -1));
    const msg = scope.add(mapPages(1));
    msg.write(0, Buffer.from(PIPE_MSG));
    r.rec("pipe_write", syscall("write", writeFd, msg.address, PIPE_MSG.length));
    const buf = scope.add(mapPages(1));
    const n = syscall("read", readFd, buf.address, 64);
    r.rec("pipe_read", n);
    r.val("pipe_data_equal", n.ret === BigInt(PIPE_MSG.length) && buf.read(0, PIPE_MSG.length).toString() === PIPE_MSG);
    r.rec("pipe_close_read", syscall("close", readFd));
    r.rec("pipe_close_write", syscall("close", writeFd));
    r.rec("pipe_read_closed", syscall("read", readFd, buf.address, 64));
    // errno as the suites see it, each different from the one before, so a
    // stale or misplaced errno read fails here: EAGAIN, EFAULT, ESPIPE, EBADF.
    r.rec("pipe2_nonblock", syscall("pipe2", fds.address, O_NONBLOCK));
    const [nbRead, nbWrite] = [fds.readU32(0) | 0, fds.readU32(4) | 0];
    r.rec("pipe_read_empty_nonblock", syscall("read", nbRead, buf.address, 64));
    r.rec("pipe_write_one", syscall("write", nbWrite, msg.address, 1));
    r.rec("pipe_read_null_buf", syscall("read", nbRead, 0, 1));
    r.rec("pipe_lseek", syscall("lseek", nbRead, 0, 0));
    r.rec("pipe_read_nonblock", syscall("read", nbRead, buf.address, 64));
    r.rec("pipe_read_again_nonblock", syscall("read", nbRead, buf.address, 64));
    r.rec("pipe_nonblock_close_read", syscall("close", nbRead));
    r.rec("pipe_close_read_again", syscall("close", nbRead));
    r.rec("pipe_nonblock_close_write", syscall("close", nbWrite));

    r.section = "memory";
    const m = Mapping.map(PAGE_SIZE);
    r.val("mmap_anon_ok", m.address % BigInt(PAGE_SIZE) === 0n);
    r.rec("munmap_unaligned", syscall("munmap", m.address + 1n, PAGE_SIZE));
    r.rec("mprotect_none", attempt(() => m.protect("none")));
    r.rec("munmap", attempt(() => m.release()));

    r.section = "wide";
    const memfd = syscall("memfd_create", cString(scope, "kapi"), 0);
    r.val("memfd_ok", memfd.ret >= 0n);
    r.rec("lseek_max", syscall("lseek", memfd.ret, 2n ** 63n - 1n, 0));
    r.rec("lseek_2p62", syscall("lseek", memfd.ret, 2n ** 62n + 12345n, 0));
    r.rec("lseek_negative", syscall("lseek", memfd.ret, -1n, 0));
    r.rec("lseek_end_overflow", syscall("lseek", memfd.ret, 2n ** 63n - 1n, 1));
    r.rec("memfd_close", syscall("close", memfd.ret));

    r.section = "aio";
    aioChecks(r, scope, dataPath);
  } finally {
    const errors = scope.releaseAll();
    if (errors.length > 0) throw new AggregateError(errors, "releasing the FFI checks' resources failed");
  }
  return r;
}

function aioChecks(r: Recorder, scope: ResourceScope, dataPath: string): void {
  const ev = scope.add(mapPages(1));
  const guard = scope.add(guardPage());
  const iocbs = scope.add(mapPages(1));
  const place = (slot: number, bytes: Buffer): bigint => {
    iocbs.write(slot * IOCB_SIZE, bytes);
    return iocbs.addressAt(slot * IOCB_SIZE);
  };
  const fd = openSync(dataPath, "r");
  scope.defer(() => closeSync(fd));

  r.rec("io_setup_zero_events", attempt(() => scope.add(AioContext.setup(0))));
  const other = scope.add(mapPages(1));
  other.writeU64(0, 5n);
  r.rec("io_setup_nonzero_ctxp", rawIoSetup(8, other.address));
  let ctx: AioContext | undefined;
  r.rec("io_setup", attempt(() => (ctx = scope.add(AioContext.setup(8)))));
  if (!ctx) return;
  const header = ctx.ringHeader();
  r.val("ring_magic", header.magic);
  r.val("ring_nr", header.nr);
  r.val("ring_header_length", header.headerLength);
  r.val("ring_head_tail_zero", header.head === 0 && header.tail === 0);

  const never = place(0, encodeIocb({ opcode: IOCB_CMD.NOOP }));
  const keyed = place(1, encodeIocb({ opcode: IOCB_CMD.NOOP, key: 7 }));
  r.rec("io_cancel_null_iocb", ctx.cancel(0n, ev.address));
  r.rec("io_cancel_guard_iocb", ctx.cancel(guard.address, ev.address));
  r.rec("io_cancel_all_null", rawIoCancel(0, 0, 0));
  r.rec("io_cancel_ctx_zero", rawIoCancel(0, never, ev.address));
  r.rec("io_cancel_ctx_bogus", rawIoCancel(12345, never, ev.address));
  r.rec("io_cancel_never_submitted", ctx.cancel(never, ev.address));
  r.rec("io_cancel_key_7", ctx.cancel(keyed, ev.address));
  r.rec("io_getevents_empty", ctx.getEvents(0, 1, 0).result);

  const buf1 = scope.add(mapPages(1));
  const cb1 = place(2, encodeIocb({ data: 2n ** 63n - 1n, opcode: IOCB_CMD.PREAD, fildes: fd, buf: buf1.address, nbytes: 16n }));
  r.rec("pread_submit", ctx.submit([cb1]));
  const first = ctx.getEvents(1, 1, 1000);
  r.rec("pread_getevents", first.result);
  const e1 = first.events[0];
  if (e1) {
    r.val("pread_event_data", e1.data);
    r.val("pread_event_obj_is_iocb", e1.obj === cb1);
    r.val("pread_event_res", e1.res);
    r.val("pread_event_res2", e1.res2);
    r.val("pread_buf_equal", buf1.read(0, 16).toString() === DATA.slice(0, 16));
  }
  r.rec("io_cancel_completed", ctx.cancel(cb1, ev.address));

  const buf2 = scope.add(mapPages(1));
  const cb2 = place(3, encodeIocb({ data: 0xfedcba9876543210n, opcode: IOCB_CMD.PREAD, fildes: fd, buf: buf2.address, nbytes: 4n, offset: 3n }));
  r.rec("pread2_submit", ctx.submit([cb2]));
  const second = ctx.getEvents(1, 1, 1000);
  r.rec("pread2_getevents", second.result);
  const e2 = second.events[0];
  if (e2) {
    r.val("pread2_event_data", e2.data);
    r.val("pread2_event_res", e2.res);
    r.val("pread2_buf_equal", buf2.read(0, 4).toString() === DATA.slice(3, 7));
  }

  const pipe = scope.add(openPipe());
  const pollCb = place(4, encodeIocb({ data: 0x6b617069n, opcode: IOCB_CMD.POLL, fildes: pipe.readFd, buf: POLLIN }));
  r.rec("poll_submit", ctx.submit([pollCb]));
  r.rec("poll_cancel", ctx.cancel(pollCb, ev.address));
  r.rec("poll_cancel_again", ctx.cancel(pollCb, ev.address));
  const third = ctx.getEvents(1, 1, 1000);
  r.rec("poll_getevents", third.result);
  const e3 = third.events[0];
  if (e3) {
    r.val("poll_event_data", e3.data);
    r.val("poll_event_obj_is_iocb", e3.obj === pollCb);
    r.val("poll_event_res", e3.res);
  }

  // io_submit's own errors: a bad descriptor in the iocb, an unreadable list, a bad count.
  const badFd = place(5, encodeIocb({ opcode: IOCB_CMD.PREAD, fildes: -1, buf: buf1.address, nbytes: 1n }));
  r.rec("io_submit_bad_fd", ctx.submit([badFd]));
  r.rec("io_submit_null_list", rawIoSubmit(ctx.id, 1, 0));
  r.rec("io_submit_negative_nr", rawIoSubmit(ctx.id, -1, iocbs.address));
  r.rec("io_getevents_min_above_nr", ctx.getEvents(2, 1, 0).result);

  r.rec("io_destroy", ctx.destroy());
  r.rec("io_destroy_again", ctx.destroy());
  r.rec("io_cancel_destroyed", ctx.cancel(never, ev.address));
  r.rec("io_submit_destroyed", ctx.submit([cb1]));
}

function parseLines(stdout: string): Lines {
  const lines: Lines = new Map();
  for (const line of stdout.split("\n")) {
    const m = /^(\S+) (-?\d+) (\d+)$/.exec(line);
    if (m?.[1] && m[2] !== undefined && m[3] !== undefined) lines.set(m[1], `${m[2]} ${m[3]}`);
  }
  return lines;
}

describe("kernel layer: FFI vs C self-check", function () {
  expectAioReleasedAfterBlock();

  let dir = "";
  let fromC: Lines = new Map();
  let cPid = 0;
  let ffi: Recorder | undefined;
  let noCompiler: string | undefined;
  const needsC = (ctx: Mocha.Context): void => {
    if (noCompiler) skipBecause(ctx, noCompiler);
  };

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-ffivsc-"));
    const dataPath = join(dir, "data");
    writeFileSync(dataPath, DATA);
    // The FFI side runs regardless; only the comparisons need the C side.
    ffi = ffiChecks(dataPath);
    const source = join(projectRoot(), "suites", "kernel", "ffi-vs-c.c");
    const built = compileC(source, "ffi-vs-c");
    if (!built.ok) {
      if (built.noCompiler) {
        noCompiler = built.reason;
        return;
      }
      throw new Error(built.reason);
    }
    try {
      const run = spawnSync(built.path, [dataPath], { encoding: "utf8", timeout: 10_000 });
      if (run.status !== 0) throw new Error(`ffi-vs-c exited ${run.status ?? run.signal}: ${run.stderr}`);
      fromC = parseLines(run.stdout);
      cPid = run.pid;
    } finally {
      built.cleanup();
    }
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const section of SECTIONS) {
    it(`agrees with C on every "${section}" check`, function () {
      needsC(this);
      const names = [...(ffi?.sectionOf.entries() ?? [])].filter(([, s]) => s === section).map(([n]) => n);
      expect(names, "checks in this section").to.not.be.empty;
      const ours = Object.fromEntries(names.map((n) => [n, ffi?.lines.get(n)]));
      const theirs = Object.fromEntries(names.map((n) => [n, fromC.get(n)]));
      expect(ours).to.deep.equal(theirs);
    });
  }

  it("runs every check the C program makes (no C line without an FFI twin)", function () {
    needsC(this);
    const extra = [...fromC.keys()].filter((n) => !n.startsWith("value_") && !ffi?.lines.has(n));
    expect(extra).to.deep.equal([]);
    expect(fromC.size, "lines printed by ffi-vs-c").to.be.greaterThan(100);
  });

  it("sees its own pid from both sides: C's getpid is the child's pid, C's getppid is ours", function () {
    needsC(this);
    expect(fromC.get("value_getpid")).to.equal(`${cPid} 0`);
    expect(fromC.get("value_getppid")).to.equal(`${process.pid} 0`);
    expect(syscall("getppid").ret).to.equal(BigInt(process.ppid));
  });

  it("compares with C every errno the suites observe and every errno the bundled spec documents", async function () {
    needsC(this);
    const { specs } = await loadSpecs([defaultSpecPath()]);
    const documented = specs.flatMap((s) => s.errors.flatMap((e) => (e.placeholder ? [] : [e.name])));
    const wanted = new Set([...OBSERVED_ERRNOS, ...documented]);
    const compared = new Set([...(ffi?.lines.values() ?? [])].flatMap((line) => {
      const [ret, errno] = line.split(" ");
      return ret === "-1" ? [errnoName(Number(errno))] : [];
    }));
    expect([...wanted].filter((e) => !compared.has(e)), "errnos no check compares with C").to.deep.equal([]);
  });

  it("passes and returns 64-bit values exactly through FFI (lseek to 2^63-1; aio_data 2^63-1 and above 2^63)", () => {
    expect(ffi?.lines.get("lseek_max")).to.equal("9223372036854775807 0");
    expect(ffi?.lines.get("pread_event_data")).to.equal("9223372036854775807 0");
    expect(ffi?.lines.get("pread2_event_data")).to.equal("18364758544493064720 0");
  });
});
