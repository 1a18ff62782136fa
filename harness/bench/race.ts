// SPDX-License-Identifier: GPL-2.0-only
// Iterations per second of the cancellation race through the kernel layer,
// against a C program doing the same loop (submit a poll on a pipe another
// process writes to at random moments, spin, cancel, reap the one event).
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { compileC } from "../kernel/cc.js";
import { ResourceScope } from "../kernel/scope.js";
import { RACE_OUTCOME, raceSetup, runRace } from "../scenarios/io_cancel/race.js";
import type { BenchRow } from "./row.js";

const ITERATIONS = 20_000;

// SPDX line included: the program is written to a temp dir as a C file.
const C_RACE = `// SPDX-License-Identifier: GPL-2.0-only
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void spin(double max_us)
{
	double until = now_us() + max_us * (rand() / (double)RAND_MAX);
	while (now_us() < until)
		;
}

int main(int argc, char **argv)
{
	long n = atol(argv[1]), cancelled = 0, completed = 0, lost = 0;
	int fds[2];
	char buf[4096];
	aio_context_t ctx = 0;

	if (pipe2(fds, O_NONBLOCK) || syscall(SYS_io_setup, 8, &ctx))
		return 2;
	pid_t writer = fork();
	if (writer == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;) {
			spin(60);
			if (write(fds[1], "r", 1) < 0 && errno != EAGAIN)
				_exit(0);
		}
	}
	double start = now_us();
	for (long i = 0; i < n; i++) {
		struct iocb cb;
		struct iocb *cbs[1] = { &cb };
		struct io_event ev[4];
		struct timespec ts = { 1, 0 };

		while (read(fds[0], buf, sizeof(buf)) > 0)
			;
		memset(&cb, 0, sizeof(cb));
		cb.aio_data = i + 1;
		cb.aio_lio_opcode = IOCB_CMD_POLL;
		cb.aio_fildes = fds[0];
		cb.aio_buf = POLLIN;
		if (syscall(SYS_io_submit, ctx, 1, cbs) != 1)
			return 3;
		spin(30);
		if (syscall(SYS_io_cancel, ctx, &cb, NULL) == -1 && errno == EINPROGRESS)
			cancelled++;
		else
			completed++;
		if (syscall(SYS_io_getevents, ctx, 1, 4, ev, &ts) < 1)
			lost++;
	}
	double elapsed = now_us() - start;
	kill(writer, SIGKILL);
	printf("%ld %.0f %ld %ld %ld\\n", n, elapsed, cancelled, completed, lost);
	return 0;
}
`;

async function ffiRate(): Promise<{ perSecond: number; note: string }> {
  const scope = new ResourceScope();
  try {
    const state = await raceSetup(scope, ITERATIONS);
    const start = performance.now();
    // No wanted outcomes: exactly ITERATIONS, like the C loop.
    const seen = await runRace(state, (r) => (r.errno === "EINPROGRESS" ? RACE_OUTCOME.cancelled : RACE_OUTCOME.completedFirst), []);
    const seconds = (performance.now() - start) / 1000;
    return { perSecond: ITERATIONS / seconds, note: `${ITERATIONS} iterations: cancelled ${seen.counts[RACE_OUTCOME.cancelled] ?? 0}, completed first ${seen.counts[RACE_OUTCOME.completedFirst] ?? 0}, ${seen.facts.lostEvents} lost` };
  } finally {
    scope.releaseAll();
  }
}

function cRate(): { perSecond: number; note: string } | string {
  const built = compileC({ text: C_RACE }, "race-loop");
  if (!built.ok) return built.reason;
  try {
    const run = spawnSync(built.path, [String(ITERATIONS)], { encoding: "utf8", timeout: 120_000 });
    if (run.status !== 0) return `race-loop exited ${run.status ?? run.signal}`;
    const [n, us, cancelled, completed, lost] = run.stdout.trim().split(" ").map(Number);
    return { perSecond: n! / (us! / 1e6), note: `${n} iterations: cancelled ${cancelled}, completed first ${completed}, ${lost} lost` };
  } finally {
    built.cleanup();
  }
}

export async function measure(): Promise<BenchRow[]> {
  const ffi = await ffiRate();
  const c = cRate();
  const rows: BenchRow[] = [{ name: "race iterations via kernel layer", value: Math.round(ffi.perSecond), unit: "iter/s", note: ffi.note }];
  if (typeof c === "string") {
    rows.push({ name: "race iterations in C", value: NaN, unit: "iter/s", note: `not measured: ${c}` });
  } else {
    rows.push({ name: "race iterations in C", value: Math.round(c.perSecond), unit: "iter/s", note: c.note });
    rows.push({ name: "race: C / kernel layer", value: Math.round((c.perSecond / ffi.perSecond) * 100) / 100, unit: "x" });
  }
  return rows;
}
