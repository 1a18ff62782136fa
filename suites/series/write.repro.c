// SPDX-License-Identifier: GPL-2.0-only
/*
 * C reproductions of write cases that fail on this kernel and are judged on
 * facts rather than the call's result. Mode "suid-without-CAP_X": root, with
 * only CAP_X dropped from its effective set (capset acts on the calling
 * thread), writes 8 bytes to nobody's file of mode 06777 through a
 * descriptor opened before the drop; prints the mode before and after as
 * "modeAfter=0NNNN modeBefore=0NNNN", as the run records its facts.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int cap_number(const char *name)
{
	if (!strcmp(name, "CAP_FOWNER"))
		return CAP_FOWNER;
	if (!strcmp(name, "CAP_FSETID"))
		return CAP_FSETID;
	return -1;
}

int main(int argc, char **argv)
{
	const char *prefix = "suid-without-";
	if (argc != 2 || strncmp(argv[1], prefix, strlen(prefix)) || cap_number(argv[1] + strlen(prefix)) < 0) {
		fprintf(stderr, "usage: %s suid-without-CAP_FOWNER|suid-without-CAP_FSETID\n", argv[0]);
		return 2;
	}
	int cap = cap_number(argv[1] + strlen(prefix));
	char dir[] = "/tmp/kapi-conform-repro-XXXXXX", path[4096];
	if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
	snprintf(path, sizeof(path), "%s/data", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || chown(path, 65534, 65534) || chmod(path, 06777)) { perror("setup"); return 2; }
	struct stat before, after;
	if (fstat(fd, &before)) { perror("fstat"); return 2; }

	struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2], dropped[2];
	if (syscall(SYS_capget, &header, data)) { perror("capget"); return 2; }
	memcpy(dropped, data, sizeof(data));
	dropped[0].effective &= ~(1u << cap);
	if (syscall(SYS_capset, &header, dropped)) { perror("capset"); return 2; }
	long ret = syscall(SYS_write, fd, "WRITTEN!", 8);
	if (syscall(SYS_capset, &header, data)) { perror("capset restore"); return 2; }
	if (ret != 8 || fstat(fd, &after)) { perror("write"); return 2; }

	printf("modeAfter=0%o modeBefore=0%o\n", after.st_mode & 07777, before.st_mode & 07777);
	close(fd);
	unlink(path);
	rmdir(dir);
	return 0;
}
