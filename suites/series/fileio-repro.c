// SPDX-License-Identifier: GPL-2.0-only
// C reproductions of the open/read/write cases that fail on this kernel:
// each mode creates the condition the suite creates and makes the same raw
// call with libc's syscall(), printing "ret errno" (errno 0 unless ret is -1;
// a descriptor is printed as "fd", since its number is per process); the
// modes for a claims case print the facts the suite records, as key=value.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <unistd.h>

static char dir[] = "/tmp/kapi-conform-repro-XXXXXX";
static char path[4096];

static void report(long ret, int is_fd)
{
	if (ret == -1)
		printf("-1 %d\n", errno);
	else if (is_fd)
		printf("fd 0\n");
	else
		printf("%ld 0\n", ret);
}

static int regular_file(int flags)
{
	snprintf(path, sizeof(path), "%s/data", dir);
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "kapi-conform repro\n", 19) != 19) { perror("setup"); exit(2); }
	close(fd);
	fd = open(path, flags);
	if (fd < 0) { perror("open"); exit(2); }
	return fd;
}

/* This thread's rchar and syscr as a read of /proc/thread-self/io shows them; with self, counting that read too. */
static void io_counters(int io, long *rchar, long *syscr, int self)
{
	char text[1024];
	ssize_t n = pread(io, text, sizeof(text) - 1, 0);
	char *r = n > 0 ? (text[n] = 0, strstr(text, "rchar: ")) : NULL;
	char *s = n > 0 ? strstr(text, "syscr: ") : NULL;
	if (!r || !s) { fprintf(stderr, "no rchar/syscr in /proc/thread-self/io\n"); exit(2); }
	*rchar = atol(r + 7) + (self ? n : 0);
	*syscr = atol(s + 7) + (self ? 1 : 0);
}

/* An O_RDONLY open of path with the thread's effective set lacking the capability bits in drop (raw capset: this thread). */
static const char *open_without(unsigned drop)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2], saved[2];
	if (syscall(SYS_capget, &head, saved)) { perror("capget"); exit(2); }
	memcpy(data, saved, sizeof(data));
	data[0].effective &= ~drop;
	if (syscall(SYS_capset, &head, data)) { perror("capset"); exit(2); }
	int fd = open(path, O_RDONLY);
	int err = errno;
	if (syscall(SYS_capset, &head, saved)) { perror("capset restore"); exit(2); }
	if (fd < 0) return strerrorname_np(err);
	close(fd);
	return "opened";
}

/* A memfd at offset LLONG_MAX - 4: shmem allows offsets up to LLONG_MAX. */
static int memfd_near_max(void)
{
	int fd = memfd_create("kapi-conform", 0);
	if (fd < 0 || write(fd, "kapi-conform repro\n", 19) != 19) { perror("memfd"); exit(2); }
	if (lseek(fd, INT64_MAX - 4, SEEK_SET) < 0) { perror("lseek"); exit(2); }
	return fd;
}

int main(int argc, char **argv)
{
	static char buf[4096];
	const char *mode = argc > 1 ? argv[1] : "";
	errno = 0;
	if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
	if (!strcmp(mode, "read-count-negative")) {
		int fd = regular_file(O_RDONLY);
		report(syscall(SYS_read, fd, buf, (size_t)1 << 63), 0);
	} else if (!strcmp(mode, "write-count-negative")) {
		int fd = regular_file(O_WRONLY);
		report(syscall(SYS_write, fd, buf, (size_t)1 << 63), 0);
	} else if (!strcmp(mode, "read-offset-overflow")) {
		int fd = memfd_near_max();
		report(syscall(SYS_read, fd, buf, 16), 0);
	} else if (!strcmp(mode, "write-offset-overflow")) {
		int fd = memfd_near_max();
		report(syscall(SYS_write, fd, "WRITTEN!", 8), 0);
	} else if (!strcmp(mode, "read-accounting-write-only")) {
		/* What a read that fails EBADF on an O_WRONLY fd adds to rchar and syscr, as the suite's facts. */
		int fd = regular_file(O_WRONLY);
		int io = open("/proc/thread-self/io", O_RDONLY);
		long rchar, syscr, rchar_after, syscr_after;
		io_counters(io, &rchar, &syscr, 1);
		syscall(SYS_read, fd, buf, 16);
		io_counters(io, &rchar_after, &syscr_after, 0);
		printf("rcharDelta=%ld syscrDelta=%ld\n", rchar_after - rchar, syscr_after - syscr);
	} else if (!strncmp(mode, "read-mode000-", 13)) {
		/* A mode-000 file root opened; facts: the open with only the named DAC capability and with neither, then nobody's read. */
		unsigned cap = !strcmp(mode + 13, "dac-override") ? 1u << CAP_DAC_OVERRIDE : 1u << CAP_DAC_READ_SEARCH;
		unsigned other = cap == 1u << CAP_DAC_OVERRIDE ? 1u << CAP_DAC_READ_SEARCH : 1u << CAP_DAC_OVERRIDE;
		int fd = regular_file(O_RDONLY);
		if (chmod(dir, 0755) || chmod(path, 0)) { perror("chmod"); exit(2); }
		syscall(SYS_setresgid, -1, 65534, -1);
		syscall(SYS_setresuid, -1, 65534, -1);
		long ret = syscall(SYS_read, fd, buf, 16);
		syscall(SYS_setresuid, -1, 0, -1);
		syscall(SYS_setresgid, -1, 0, -1);
		const char *with = open_without(other);
		const char *neither = open_without(cap | other);
		const char *name = cap == 1u << CAP_DAC_OVERRIDE ? "DAC_OVERRIDE" : "DAC_READ_SEARCH";
		printf("readAsNobody=%ld withCAP_%s=%s withNeither=%s\n", ret, name, with, neither);
#ifdef SYS_open
	} else if (!strcmp(mode, "open-path-creat")) {
		close(regular_file(O_RDONLY));
		report(syscall(SYS_open, path, O_PATH | O_CREAT, 0600), 1);
	} else if (!strcmp(mode, "open-directory-creat")) {
		snprintf(path, sizeof(path), "%s/missing", dir);
		report(syscall(SYS_open, path, O_DIRECTORY | O_CREAT | O_RDONLY, 0700), 1);
	} else if (!strcmp(mode, "open-tmpfile-proc")) {
		/* procfs directories have no ->tmpfile. */
		report(syscall(SYS_open, "/proc", O_TMPFILE | O_RDWR, 0600), 1);
#endif
	} else {
		fprintf(stderr, "unknown mode '%s'\n", mode);
		rmdir(dir);
		return 2;
	}
	unlink(path);
	rmdir(dir);
	return 0;
}
