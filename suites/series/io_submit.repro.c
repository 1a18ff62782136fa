// SPDX-License-Identifier: GPL-2.0-only
// C reproductions of the io_submit cases that fail on this kernel: each
// condition is made as the suite makes it (a fresh context, iocbs with
// aio_key = 7, a read of a small regular file) and the raw result printed as
// "<case id> <ret> <errno> key=<aio_key after> events=<n> res=<first res>".
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KEY_PRESET 7
static const char CONTENT[] = "kapi-conform\n";
static char path[] = "/tmp/kapi-repro-XXXXXX";
static int rfd;
static char buf[4096];

static void report(const char *id, aio_context_t ctx, struct iocb *cb, long ret, int err) {
  struct io_event ev[4];
  struct timespec ts = {0, 20 * 1000 * 1000};
  long n = syscall(SYS_io_getevents, ctx, 0, 4, ev, &ts);
  printf("%s %ld %d key=%u events=%ld res=%lld\n", id, ret, ret == -1 ? err : 0, cb->aio_key, n, n > 0 ? (long long)ev[0].res : 0LL);
}

/* One PREAD of the file into buf, aio_key preset, then changed by the case. */
static void base(struct iocb *cb) {
  memset(cb, 0, sizeof *cb);
  cb->aio_data = 0x6b617069c0ffee;
  cb->aio_key = KEY_PRESET;
  cb->aio_lio_opcode = IOCB_CMD_PREAD;
  cb->aio_fildes = rfd;
  cb->aio_buf = (uintptr_t)buf;
  cb->aio_nbytes = sizeof CONTENT - 1;
}

static void run(const char *id, void (*change)(struct iocb *)) {
  aio_context_t ctx = 0;
  if (syscall(SYS_io_setup, 8, &ctx)) { perror("io_setup"); exit(1); }
  struct iocb cb;
  base(&cb);
  change(&cb);
  struct iocb *list[1] = {&cb};
  errno = 0;
  long ret = syscall(SYS_io_submit, ctx, 1L, list);
  int err = errno;
  report(id, ctx, &cb, ret, err);
  syscall(SYS_io_destroy, ctx);
}

static void buf_kernel(struct iocb *cb) { cb->aio_buf = 0xffff888000000000ULL; }
static void buf_unmapped(struct iocb *cb) { cb->aio_buf = (uintptr_t)mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); }
static void opcode_unused(struct iocb *cb) { cb->aio_lio_opcode = 4; }
static void opcode_99(struct iocb *cb) { cb->aio_lio_opcode = 99; }
static void opcode_noop(struct iocb *cb) { cb->aio_lio_opcode = IOCB_CMD_NOOP; }
static void write_only(struct iocb *cb) { cb->aio_fildes = open(path, O_WRONLY); }
static void pwrite_read_only(struct iocb *cb) { cb->aio_lio_opcode = IOCB_CMD_PWRITE; }
static void rw_flags_bit31(struct iocb *cb) { cb->aio_rw_flags = 0x80000000u; }
static void offset_overflow(struct iocb *cb) { cb->aio_offset = INT64_MAX - 4; }
static void reqprio_class4(struct iocb *cb) { cb->aio_flags = IOCB_FLAG_IOPRIO; cb->aio_reqprio = (int16_t)(4 << 13); }
static void reqprio_rt(struct iocb *cb) { cb->aio_flags = IOCB_FLAG_IOPRIO; cb->aio_reqprio = 1 << 13; }
/* A directory: open for reading, no read_iter. */
static void directory(struct iocb *cb) { cb->aio_fildes = open("/tmp", O_RDONLY | O_DIRECTORY); }
/* A pipe: no fsync. */
static void fsync_pipe(struct iocb *cb) {
  int p[2];
  if (pipe(p)) { perror("pipe"); exit(1); }
  memset(cb, 0, sizeof *cb);
  cb->aio_data = 0x6b617069c0ffee;
  cb->aio_key = KEY_PRESET;
  cb->aio_lio_opcode = IOCB_CMD_FSYNC;
  cb->aio_fildes = p[0];
}

int main(void) {
  int fd = mkstemp(path);
  if (fd < 0 || write(fd, CONTENT, sizeof CONTENT - 1) != (ssize_t)(sizeof CONTENT - 1)) { perror("temp file"); return 1; }
  close(fd);
  rfd = open(path, O_RDONLY);
  run("io_submit.aio-buf-kernel-address.no-key-written", buf_kernel);
  run("io_submit.aio-buf-unmapped.rejected", buf_unmapped);
  run("io_submit.opcode-unused.no-key-written", opcode_unused);
  run("io_submit.opcode-out-of-range.no-key-written", opcode_99);
  run("io_submit.opcode-noop.accepted", opcode_noop);
  run("io_submit.opcode-noop.completes", opcode_noop);
  run("io_submit.read-on-write-only.no-key-written", write_only);
  run("io_submit.write-on-read-only.no-key-written", pwrite_read_only);
  run("io_submit.rw-flags-unknown.no-key-written", rw_flags_bit31);
  run("io_submit.offset-plus-nbytes-overflows.rejected", offset_overflow);
  run("io_submit.offset-plus-nbytes-overflows.no-key-written", offset_overflow);
  run("io_submit.reqprio-invalid-class.no-key-written", reqprio_class4);
  run("io_submit.pread-no-read-iter.no-key-written", directory);
  run("io_submit.fsync-no-fsync.no-key-written", fsync_pipe);
  /* As nobody: the thread's effective ids only (raw setresuid), the context made as root, as the suite does. */
  if (geteuid() == 0) {
    aio_context_t ctx = 0;
    syscall(SYS_io_setup, 8, &ctx);
    struct iocb cb;
    base(&cb);
    reqprio_rt(&cb);
    struct iocb *list[1] = {&cb};
    syscall(SYS_setresgid, -1, 65534, -1);
    syscall(SYS_setresuid, -1, 65534, -1);
    errno = 0;
    long ret = syscall(SYS_io_submit, ctx, 1L, list);
    int err = errno;
    syscall(SYS_setresuid, -1, 0, -1);
    syscall(SYS_setresgid, -1, 0, -1);
    report("io_submit.reqprio-rt-unprivileged.no-key-written", ctx, &cb, ret, err);
    syscall(SYS_io_destroy, ctx);
  }
  unlink(path);
  return 0;
}
