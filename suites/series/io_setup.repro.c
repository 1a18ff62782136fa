// SPDX-License-Identifier: GPL-2.0-only
// C reproduction of the io_setup case that fails on this kernel, printed as
// "<case id> <ret> <errno> aio-max-nr=<n>": nr_events at the maximum of the
// spec's range (0x10000000 / sizeof(struct io_event)), above fs.aio-max-nr.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/aio_abi.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  long max = -1;
  FILE *f = fopen("/proc/sys/fs/aio-max-nr", "r");
  if (f) {
    if (fscanf(f, "%ld", &max) != 1) max = -1;
    fclose(f);
  }
  aio_context_t ctx = 0;
  errno = 0;
  long ret = syscall(SYS_io_setup, 0x10000000u / sizeof(struct io_event), &ctx);
  int err = errno;
  printf("io_setup.nr-events-range-max.rejected %ld %d aio-max-nr=%ld\n", ret, ret == -1 ? err : 0, max);
  if (ret == 0) syscall(SYS_io_destroy, ctx);
  return 0;
}
