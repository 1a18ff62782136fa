// SPDX-License-Identifier: GPL-2.0-only
// C reproductions of the *setxattr cases that fail on this kernel: the same
// condition made with raw syscalls, printing "key ret errno" (errno as a
// number, 0 unless ret is -1). argv[1] is a fresh directory on the same
// filesystem the suite uses (the system temp directory).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static void report(const char *key, long ret) {
	printf("%s %ld %d\n", key, ret, ret == -1 ? errno : 0);
}

int main(int argc, char **argv) {
	char path[4096];
	const char *value = "kapi-value";
	int fd;

	if (argc != 2)
		return 2;
	snprintf(path, sizeof(path), "%s/file", argv[1]);
	fd = open(path, O_CREAT | O_RDWR, 0644);
	if (fd < 0)
		return 3;
	close(fd);

	/* A name whose prefix no xattr handler knows: EINVAL per the spec's EINVAL text. */
	report("setxattr.name-unknown-namespace", syscall(SYS_setxattr, path, "kapi.conform", value, 10, 0));
	report("lsetxattr.name-unknown-namespace", syscall(SYS_lsetxattr, path, "kapi.conform", value, 10, 0));
	fd = open(path, O_RDWR);
	report("fsetxattr.name-unknown-namespace", syscall(SYS_fsetxattr, fd, "kapi.conform", value, 10, 0));
	close(fd);

	/* A descriptor open read-only: EBADF per the spec ("not open for writing"). */
	fd = open(path, O_RDONLY);
	report("fsetxattr.fd-read-only", syscall(SYS_fsetxattr, fd, "user.kapi-conform", value, 10, 0));
	{
		char buf[64];
		long n = syscall(SYS_fgetxattr, fd, "user.kapi-conform", buf, sizeof(buf));
		report("fsetxattr.fd-read-only.stored-bytes", n);
	}
	close(fd);

	/*
	 * AT_FDCWD: NOT valid per the spec (EBADF). In a fresh current directory:
	 * XATTR_REPLACE of a missing name (what the suite does), then a plain set
	 * and its read back from the directory.
	 */
	{
		char back[64];

		if (chdir(argv[1]))
			return 8;
		report("fsetxattr.fd-at-fdcwd", syscall(SYS_fsetxattr, AT_FDCWD, "user.kapi-conform-at-fdcwd", value, 10, 2 /* XATTR_REPLACE */));
		report("fsetxattr.fd-at-fdcwd.plain-set", syscall(SYS_fsetxattr, AT_FDCWD, "user.kapi-conform-at-fdcwd", value, 10, 0));
		report("fsetxattr.fd-at-fdcwd.on-cwd-bytes", syscall(SYS_getxattr, argv[1], "user.kapi-conform-at-fdcwd", back, sizeof(back)));
	}

	/* user.* on a FIFO through lsetxattr: the spec documents an errno for symbolic links only. */
	{
		char fifo[4096];

		snprintf(fifo, sizeof(fifo), "%s/fifo", argv[1]);
		if (mkfifo(fifo, 0644))
			return 9;
		report("lsetxattr.user-on-fifo", syscall(SYS_lsetxattr, fifo, "user.kapi-conform", value, 10, 0));
	}

	/* A root-owned 0666 file in a sticky 01777 directory, set by nobody: EPERM per CAP_FOWNER's text. */
	{
		char dir[4096], file[4096];
		int ffd;

		snprintf(dir, sizeof(dir), "%s/sticky", argv[1]);
		snprintf(file, sizeof(file), "%s/file", dir);
		if (chmod(argv[1], 0755) || mkdir(dir, 0755) || chmod(dir, 01777))
			return 4;
		ffd = open(file, O_CREAT | O_RDWR, 0666);
		if (ffd < 0 || fchmod(ffd, 0666))
			return 5;
		/* Raw calls: this thread only, as the harness's asUser does. */
		if (syscall(SYS_setresgid, -1, 65534, -1) || syscall(SYS_setresuid, -1, 65534, -1))
			return 6;
		report("setxattr.file-in-sticky-directory-as-nobody", syscall(SYS_setxattr, file, "user.kapi-conform", value, 10, 0));
		report("lsetxattr.file-in-sticky-directory-as-nobody", syscall(SYS_lsetxattr, file, "user.kapi-conform", value, 10, 0));
		report("fsetxattr.file-in-sticky-directory-as-nobody", syscall(SYS_fsetxattr, ffd, "user.kapi-conform", value, 10, 0));
		if (syscall(SYS_setresuid, -1, 0, -1) || syscall(SYS_setresgid, -1, 0, -1))
			return 7;
		close(ffd);
	}
	return 0;
}
