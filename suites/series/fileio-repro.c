// SPDX-License-Identifier: GPL-2.0-only
// C reproductions of the open/read/write cases that fail on this kernel:
// each mode creates the condition the suite creates and makes the same raw
// call with libc's syscall(), printing "ret errno" (errno 0 unless ret is -1;
// a descriptor is printed as "fd", since its number is per process).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
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
