// SPDX-License-Identifier: GPL-2.0-only
/*
 * C reproductions of write cases that fail on this kernel and are judged on
 * facts rather than the call's result, printed as the run records its facts
 * (key=value, sorted). Root drops one capability from its effective set
 * (capset acts on the calling thread) after opening the file for writing:
 * - "suid-without-CAP_X": nobody's file of mode 06777; prints the mode before
 *   and after an 8-byte write ("modeAfter=0NNNN modeBefore=0NNNN");
 * - "dac-without-CAP_DAC_OVERRIDE": root's file of mode 0000, which then no
 *   longer opens for writing; prints the write's return ("returned=N").
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
static struct __user_cap_data_struct saved[2];

static int cap_number(const char *name)
{
	if (!strcmp(name, "CAP_DAC_OVERRIDE"))
		return CAP_DAC_OVERRIDE;
	if (!strcmp(name, "CAP_FOWNER"))
		return CAP_FOWNER;
	if (!strcmp(name, "CAP_FSETID"))
		return CAP_FSETID;
	return -1;
}

static void drop(int cap)
{
	struct __user_cap_data_struct dropped[2];
	if (syscall(SYS_capget, &header, saved)) { perror("capget"); exit(2); }
	memcpy(dropped, saved, sizeof(saved));
	dropped[0].effective &= ~(1u << cap);
	if (syscall(SYS_capset, &header, dropped)) { perror("capset"); exit(2); }
}

static void restore(void)
{
	if (syscall(SYS_capset, &header, saved)) { perror("capset restore"); exit(2); }
}

int main(int argc, char **argv)
{
	const char *mode = argc == 2 ? argv[1] : "";
	const char *cap_name = strstr(mode, "-without-") ? strstr(mode, "-without-") + 9 : "";
	int cap = cap_number(cap_name);
	int suid = !strncmp(mode, "suid-without-", 13), dac = !strcmp(mode, "dac-without-CAP_DAC_OVERRIDE");
	if (cap < 0 || !(suid || dac)) {
		fprintf(stderr, "usage: %s suid-without-CAP_FOWNER|suid-without-CAP_FSETID|dac-without-CAP_DAC_OVERRIDE\n", argv[0]);
		return 2;
	}
	char dir[] = "/tmp/kapi-conform-repro-XXXXXX", path[4096];
	if (!mkdtemp(dir)) { perror("mkdtemp"); return 2; }
	snprintf(path, sizeof(path), "%s/data", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) { perror("open"); return 2; }
	if (suid && (chown(path, 65534, 65534) || chmod(path, 06777))) { perror("setid"); return 2; }
	if (dac && chmod(path, 0)) { perror("chmod 0"); return 2; }
	struct stat before, after;
	if (fstat(fd, &before)) { perror("fstat"); return 2; }

	drop(cap);
	if (dac) {
		int again = open(path, O_WRONLY);
		if (again >= 0 || errno != EACCES) { fprintf(stderr, "mode 0000 still opens for writing without CAP_DAC_OVERRIDE\n"); return 2; }
	}
	long ret = syscall(SYS_write, fd, "WRITTEN!", 8);
	restore();
	if (fstat(fd, &after)) { perror("fstat"); return 2; }

	if (suid)
		printf("modeAfter=0%o modeBefore=0%o\n", after.st_mode & 07777, before.st_mode & 07777);
	else if (ret < 0)
		printf("returned=-1 %s\n", strerror(errno));
	else
		printf("returned=%ld\n", ret);
	close(fd);
	unlink(path);
	rmdir(dir);
	return 0;
}
