// SPDX-License-Identifier: GPL-2.0-only
/*
 * Self-check for harness/kernel: the same raw system calls the FFI layer
 * makes, made from C with libc's syscall() and the kernel's own uapi headers
 * (struct layouts, SYS_* numbers). Prints one "name ret errno" line per check;
 * errno is 0 unless ret is -1. ffi-vs-c.test.ts makes the same checks through
 * the FFI layer and requires identical lines. Values that necessarily differ
 * between two processes (addresses, pids) are printed as relations (1 = holds)
 * or on "value_" lines that the test checks separately.
 *
 * Usage: ffi-vs-c <data-file>   (the file's first bytes are DATA below)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define DATA "kapi-conform ffi-vs-c self-check\n"
#define PIPE_MSG "kapi\n"

static void rec(const char *name, long ret)
{
	printf("%s %ld %d\n", name, ret, ret == -1 ? errno : 0);
}

static void val(const char *name, long long v)
{
	printf("%s %lld 0\n", name, v);
}

static void uval(const char *name, unsigned long long v)
{
	printf("%s %llu 0\n", name, v);
}

static void abi(void)
{
	val("abi_sizeof_iocb", sizeof(struct iocb));
	val("abi_sizeof_io_event", sizeof(struct io_event));
	val("abi_off_data", offsetof(struct iocb, aio_data));
	val("abi_off_key", offsetof(struct iocb, aio_key));
	val("abi_off_rwFlags", offsetof(struct iocb, aio_rw_flags));
	val("abi_off_opcode", offsetof(struct iocb, aio_lio_opcode));
	val("abi_off_reqprio", offsetof(struct iocb, aio_reqprio));
	val("abi_off_fildes", offsetof(struct iocb, aio_fildes));
	val("abi_off_buf", offsetof(struct iocb, aio_buf));
	val("abi_off_nbytes", offsetof(struct iocb, aio_nbytes));
	val("abi_off_offset", offsetof(struct iocb, aio_offset));
	val("abi_off_reserved2", offsetof(struct iocb, aio_reserved2));
	val("abi_off_flags", offsetof(struct iocb, aio_flags));
	val("abi_off_resfd", offsetof(struct iocb, aio_resfd));
	val("abi_cmd_PREAD", IOCB_CMD_PREAD);
	val("abi_cmd_PWRITE", IOCB_CMD_PWRITE);
	val("abi_cmd_FSYNC", IOCB_CMD_FSYNC);
	val("abi_cmd_FDSYNC", IOCB_CMD_FDSYNC);
	val("abi_cmd_POLL", IOCB_CMD_POLL);
	val("abi_cmd_NOOP", IOCB_CMD_NOOP);
	val("abi_cmd_PREADV", IOCB_CMD_PREADV);
	val("abi_cmd_PWRITEV", IOCB_CMD_PWRITEV);
}

static void numbers(void)
{
	val("nr_io_setup", SYS_io_setup);
	val("nr_io_destroy", SYS_io_destroy);
	val("nr_io_getevents", SYS_io_getevents);
	val("nr_io_submit", SYS_io_submit);
	val("nr_io_cancel", SYS_io_cancel);
	val("nr_io_pgetevents", SYS_io_pgetevents);
#ifdef SYS_mmap2
	val("nr_mmap", SYS_mmap2); /* the table's "mmap" is mmap2 where it exists (i386) */
#else
	val("nr_mmap", SYS_mmap);
#endif
	val("nr_munmap", SYS_munmap);
	val("nr_mprotect", SYS_mprotect);
	val("nr_mremap", SYS_mremap);
	val("nr_madvise", SYS_madvise);
	val("nr_pipe2", SYS_pipe2);
	val("nr_read", SYS_read);
	val("nr_write", SYS_write);
	val("nr_close", SYS_close);
	val("nr_lseek", SYS_lseek);
	val("nr_openat", SYS_openat);
	val("nr_memfd_create", SYS_memfd_create);
	val("nr_eventfd2", SYS_eventfd2);
	val("nr_fsync", SYS_fsync);
	val("nr_pread64", SYS_pread64);
	val("nr_pwrite64", SYS_pwrite64);
	val("nr_getpid", SYS_getpid);
	val("nr_getppid", SYS_getppid);
	val("nr_gettid", SYS_gettid);
	val("nr_getcpu", SYS_getcpu);
	val("nr_sched_setaffinity", SYS_sched_setaffinity);
	val("nr_sched_getaffinity", SYS_sched_getaffinity);
	val("nr_kill", SYS_kill);
	val("nr_process_vm_readv", SYS_process_vm_readv);
	val("nr_process_vm_writev", SYS_process_vm_writev);
	val("nr_prlimit64", SYS_prlimit64);
	val("nr_setxattr", SYS_setxattr);
	val("nr_lsetxattr", SYS_lsetxattr);
	val("nr_fsetxattr", SYS_fsetxattr);
	val("nr_getxattr", SYS_getxattr);
	val("nr_lgetxattr", SYS_lgetxattr);
	val("nr_fgetxattr", SYS_fgetxattr);
	val("nr_removexattr", SYS_removexattr);
	val("nr_lremovexattr", SYS_lremovexattr);
	val("nr_fremovexattr", SYS_fremovexattr);
	val("nr_mincore", SYS_mincore);
	val("nr_fcntl", SYS_fcntl);
	val("nr_socketpair", SYS_socketpair);
	val("nr_dup", SYS_dup);
	val("nr_dup3", SYS_dup3);
	val("nr_getrlimit", SYS_getrlimit);
	val("nr_setrlimit", SYS_setrlimit);
	val("nr_rt_sigaction", SYS_rt_sigaction);
	val("nr_tgkill", SYS_tgkill);
#ifdef SYS_setresuid32
	val("nr_setresuid", SYS_setresuid32);
	val("nr_setresgid", SYS_setresgid32);
#else
	val("nr_setresuid", SYS_setresuid);
	val("nr_setresgid", SYS_setresgid);
#endif
	val("nr_fstat", SYS_fstat);
	val("nr_statx", SYS_statx);
	val("nr_unlinkat", SYS_unlinkat);
	val("nr_mkdirat", SYS_mkdirat);
	val("nr_symlinkat", SYS_symlinkat);
	val("nr_ftruncate", SYS_ftruncate);
	val("nr_mount", SYS_mount);
	val("nr_umount2", SYS_umount2);
#ifdef SYS_open /* absent from the generic table (arm64, riscv64): arch.ts NOT_ON_ARCH */
	val("nr_open", SYS_open);
#endif
#ifdef SYS_unlink /* absent from the generic table (arm64, riscv64): arch.ts NOT_ON_ARCH */
	val("nr_unlink", SYS_unlink);
#endif
#ifdef SYS_newfstatat /* absent from the generic table (arm64, riscv64) and i386: arch.ts NOT_ON_ARCH */
	val("nr_newfstatat", SYS_newfstatat);
#endif
}

static void processes(void)
{
	char self[64] = { 0 };
	long pid = syscall(SYS_getpid);

	/* /proc/self names our pid without a syscall of the same kind. */
	if (readlink("/proc/self", self, sizeof(self) - 1) < 0)
		self[0] = 0;
	val("getpid_is_self", pid == atol(self));
	val("value_getpid", pid);
	val("value_getppid", syscall(SYS_getppid));
	rec("close_ebadf", syscall(SYS_close, -1));
	rec("unknown_syscall", syscall(100000));
	rec("kill_self_0", syscall(SYS_kill, pid, 0));
	rec("kill_nonexistent", syscall(SYS_kill, INT_MAX, 0));
}

static void pipes(void)
{
	int fds[2] = { -1, -1 };
	char buf[64] = { 0 };
	long n;

	rec("pipe2", syscall(SYS_pipe2, fds, 0));
	rec("pipe2_bad_flags", syscall(SYS_pipe2, fds + 0, -1));
	rec("pipe_write", syscall(SYS_write, fds[1], PIPE_MSG, strlen(PIPE_MSG)));
	n = syscall(SYS_read, fds[0], buf, sizeof(buf));
	rec("pipe_read", n);
	val("pipe_data_equal", n == (long)strlen(PIPE_MSG) && memcmp(buf, PIPE_MSG, n) == 0);
	rec("pipe_close_read", syscall(SYS_close, fds[0]));
	rec("pipe_close_write", syscall(SYS_close, fds[1]));
	rec("pipe_read_closed", syscall(SYS_read, fds[0], buf, sizeof(buf)));

	/*
	 * errno as the suites see it, each value different from the one before,
	 * so a stale or misplaced errno read shows: EAGAIN (the race drains a
	 * non-blocking pipe), EFAULT, ESPIPE, EBADF.
	 */
	rec("pipe2_nonblock", syscall(SYS_pipe2, fds, O_NONBLOCK));
	rec("pipe_read_empty_nonblock", syscall(SYS_read, fds[0], buf, sizeof(buf)));
	rec("pipe_write_one", syscall(SYS_write, fds[1], PIPE_MSG, 1));
	rec("pipe_read_null_buf", syscall(SYS_read, fds[0], NULL, 1));
	rec("pipe_lseek", syscall(SYS_lseek, fds[0], 0, SEEK_SET));
	rec("pipe_read_nonblock", syscall(SYS_read, fds[0], buf, sizeof(buf)));
	rec("pipe_read_again_nonblock", syscall(SYS_read, fds[0], buf, sizeof(buf)));
	rec("pipe_nonblock_close_read", syscall(SYS_close, fds[0]));
	rec("pipe_close_read_again", syscall(SYS_close, fds[0]));
	rec("pipe_nonblock_close_write", syscall(SYS_close, fds[1]));
}

static void memory(void)
{
	long page = sysconf(_SC_PAGESIZE);
	long addr = syscall(SYS_mmap, 0, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	val("mmap_anon_ok", addr != -1 && addr % page == 0);
	rec("munmap_unaligned", syscall(SYS_munmap, addr + 1, page));
	rec("mprotect_none", syscall(SYS_mprotect, addr, page, PROT_NONE));
	rec("munmap", syscall(SYS_munmap, addr, page));
}

/* 64-bit arguments and returns: lseek on a memfd (shmem, s_maxbytes = LLONG_MAX) echoes the offset. */
static void wide(void)
{
	long fd = syscall(SYS_memfd_create, "kapi", 0);

	val("memfd_ok", fd >= 0);
	rec("lseek_max", syscall(SYS_lseek, fd, LLONG_MAX, SEEK_SET));
	rec("lseek_2p62", syscall(SYS_lseek, fd, (1LL << 62) + 12345, SEEK_SET));
	rec("lseek_negative", syscall(SYS_lseek, fd, -1L, SEEK_SET));
	rec("lseek_end_overflow", syscall(SYS_lseek, fd, LLONG_MAX, SEEK_CUR));
	rec("memfd_close", syscall(SYS_close, fd));
}

static int get_one(aio_context_t ctx, struct io_event *ev, long timeout_ms, const char *name)
{
	struct timespec ts = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000L };
	long n = syscall(SYS_io_getevents, ctx, 1, 1, ev, &ts);

	rec(name, n);
	return n == 1;
}

static void aio(const char *path)
{
	aio_context_t ctx = 0, other = 5;
	struct iocb cb1, cb2, poll_cb, never, keyed, bad_fd;
	struct iocb *list[1];
	struct io_event ev;
	struct timespec zero = { 0, 0 };
	char buf1[64] = { 0 }, buf2[64] = { 0 };
	int fds[2];
	int fd = open(path, O_RDONLY);
	long page = sysconf(_SC_PAGESIZE);
	void *guard = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const uint32_t *ring;

	rec("io_setup_zero_events", syscall(SYS_io_setup, 0, &ctx));
	rec("io_setup_nonzero_ctxp", syscall(SYS_io_setup, 8, &other));
	rec("io_setup", syscall(SYS_io_setup, 8, &ctx));
	ring = (const uint32_t *)ctx;
	uval("ring_magic", ring[4]);
	val("ring_nr", ring[1]);
	val("ring_header_length", ring[7]);
	val("ring_head_tail_zero", ring[2] == 0 && ring[3] == 0);

	memset(&never, 0, sizeof(never));
	never.aio_lio_opcode = IOCB_CMD_NOOP;
	keyed = never;
	keyed.aio_key = 7;
	rec("io_cancel_null_iocb", syscall(SYS_io_cancel, ctx, NULL, &ev));
	rec("io_cancel_guard_iocb", syscall(SYS_io_cancel, ctx, guard, &ev));
	rec("io_cancel_all_null", syscall(SYS_io_cancel, 0, NULL, NULL));
	rec("io_cancel_ctx_zero", syscall(SYS_io_cancel, 0, &never, &ev));
	rec("io_cancel_ctx_bogus", syscall(SYS_io_cancel, 12345, &never, &ev));
	rec("io_cancel_never_submitted", syscall(SYS_io_cancel, ctx, &never, &ev));
	rec("io_cancel_key_7", syscall(SYS_io_cancel, ctx, &keyed, &ev));
	rec("io_getevents_empty", syscall(SYS_io_getevents, ctx, 0, 1, &ev, &zero));

	/* PREAD whose aio_data is 2^63 - 1: the event must echo it exactly. */
	memset(&cb1, 0, sizeof(cb1));
	cb1.aio_data = 0x7fffffffffffffffULL;
	cb1.aio_lio_opcode = IOCB_CMD_PREAD;
	cb1.aio_fildes = fd;
	cb1.aio_buf = (uintptr_t)buf1;
	cb1.aio_nbytes = 16;
	list[0] = &cb1;
	rec("pread_submit", syscall(SYS_io_submit, ctx, 1, list));
	if (get_one(ctx, &ev, 1000, "pread_getevents")) {
		uval("pread_event_data", ev.data);
		val("pread_event_obj_is_iocb", ev.obj == (uintptr_t)&cb1);
		val("pread_event_res", ev.res);
		val("pread_event_res2", ev.res2);
		val("pread_buf_equal", memcmp(buf1, DATA, 16) == 0);
	}
	rec("io_cancel_completed", syscall(SYS_io_cancel, ctx, &cb1, &ev));

	/* aio_data above 2^63 and a nonzero offset. */
	memset(&cb2, 0, sizeof(cb2));
	cb2.aio_data = 0xfedcba9876543210ULL;
	cb2.aio_lio_opcode = IOCB_CMD_PREAD;
	cb2.aio_fildes = fd;
	cb2.aio_buf = (uintptr_t)buf2;
	cb2.aio_nbytes = 4;
	cb2.aio_offset = 3;
	list[0] = &cb2;
	rec("pread2_submit", syscall(SYS_io_submit, ctx, 1, list));
	if (get_one(ctx, &ev, 1000, "pread2_getevents")) {
		uval("pread2_event_data", ev.data);
		val("pread2_event_res", ev.res);
		val("pread2_buf_equal", memcmp(buf2, DATA + 3, 4) == 0);
	}

	/* A POLL on an empty pipe stays pending; cancelling it is the one cancel that succeeds. */
	pipe2(fds, 0);
	memset(&poll_cb, 0, sizeof(poll_cb));
	poll_cb.aio_data = 0x6b617069ULL;
	poll_cb.aio_lio_opcode = IOCB_CMD_POLL;
	poll_cb.aio_fildes = fds[0];
	poll_cb.aio_buf = POLLIN;
	list[0] = &poll_cb;
	rec("poll_submit", syscall(SYS_io_submit, ctx, 1, list));
	rec("poll_cancel", syscall(SYS_io_cancel, ctx, &poll_cb, &ev));
	rec("poll_cancel_again", syscall(SYS_io_cancel, ctx, &poll_cb, &ev));
	if (get_one(ctx, &ev, 1000, "poll_getevents")) {
		uval("poll_event_data", ev.data);
		val("poll_event_obj_is_iocb", ev.obj == (uintptr_t)&poll_cb);
		val("poll_event_res", ev.res);
	}
	close(fds[0]);
	close(fds[1]);

	/* io_submit's own errors: a bad descriptor in the iocb, an unreadable list, a bad count. */
	memset(&bad_fd, 0, sizeof(bad_fd));
	bad_fd.aio_lio_opcode = IOCB_CMD_PREAD;
	bad_fd.aio_fildes = -1;
	bad_fd.aio_buf = (uintptr_t)buf1;
	bad_fd.aio_nbytes = 1;
	list[0] = &bad_fd;
	rec("io_submit_bad_fd", syscall(SYS_io_submit, ctx, 1, list));
	rec("io_submit_null_list", syscall(SYS_io_submit, ctx, 1, NULL));
	rec("io_submit_negative_nr", syscall(SYS_io_submit, ctx, -1L, list));
	rec("io_getevents_min_above_nr", syscall(SYS_io_getevents, ctx, 2, 1, &ev, &zero));

	rec("io_destroy", syscall(SYS_io_destroy, ctx));
	rec("io_destroy_again", syscall(SYS_io_destroy, ctx));
	rec("io_cancel_destroyed", syscall(SYS_io_cancel, ctx, &never, &ev));
	list[0] = &cb1;
	rec("io_submit_destroyed", syscall(SYS_io_submit, ctx, 1, list));
	munmap(guard, page);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s <data-file>\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	abi();
	numbers();
	processes();
	pipes();
	memory();
	wide();
	aio(argv[1]);
	return 0;
}
