// SPDX-License-Identifier: GPL-2.0-only
// Child side of the cancellation race: once a line arrives on its stdin, writes
// one byte at a time into the pipe it inherits as fd 3, each after a random
// pause, until its stdin closes. Started ahead of the race, it waits idle
// until then: spinning early would take a core from the scenarios before.
// Being another process, it makes the pipe readable at moments the parent's
// loop cannot predict. It dies with its parent (PR_SET_PDEATHSIG), and also
// stops if it finds itself reparented: an orphan would spin at 100% CPU.
import { writeSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { dieWithParent, orphaned } from "../../run/parent-death.js";

const FD = 3;
const maxPauseUs = Number(process.argv[2] ?? "60");
const byte = Buffer.from("r");
let stop = false;
let announced = false;
dieWithParent();
process.stdin.once("data", () => burst());
process.stdin.on("end", () => {
  stop = true;
  // Told to stop before it was told to start.
  if (!announced) process.exit(0);
});

function burst(): void {
  // A burst of writes, then back to the event loop so stdin's end is noticed.
  const until = performance.now() + 20;
  while (performance.now() < until) {
    const pause = performance.now() + (Math.random() * maxPauseUs) / 1000;
    while (performance.now() < pause);
    try {
      writeSync(FD, byte);
    } catch {
      // EAGAIN: the pipe is full until the parent drains it.
    }
    if (!announced) {
      // Only now is the writer really running: tell the parent.
      announced = true;
      process.stdout.write("ready\n");
    }
  }
  if (!stop && !orphaned()) setImmediate(burst);
  else process.exit(0);
}
