// SPDX-License-Identifier: GPL-2.0-only
// C reproduction of the madvise case that fails on this kernel:
// MADV_DOFORK on [vdso], a VMA with VM_DONTEXPAND (in VM_SPECIAL) but not VM_IO.
// Prints the VMA's smaps flags and the raw result: "ret=<n> errno=<NAME|0>".
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  FILE *f = fopen("/proc/self/smaps", "r");
  char line[512];
  unsigned long start = 0, end = 0;
  int inside = 0;
  if (!f) return 2;
  while (fgets(line, sizeof line, f)) {
    unsigned long a, b;
    if (sscanf(line, "%lx-%lx ", &a, &b) == 2) {
      inside = strstr(line, "[vdso]") != NULL;
      if (inside) { start = a; end = b; }
    } else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
      printf("vmflags=%s", line + 9);
    }
  }
  fclose(f);
  if (!start) { puts("no [vdso]"); return 3; }
  long r = syscall(SYS_madvise, start, end - start, MADV_DOFORK);
  printf("ret=%ld errno=%s\n", r, r == -1 ? (errno == EINVAL ? "EINVAL" : strerror(errno)) : "0");
  return 0;
}
