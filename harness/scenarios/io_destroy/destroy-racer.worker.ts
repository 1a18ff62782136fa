// SPDX-License-Identifier: GPL-2.0-only
// The second thread of the io_destroy race (same process, same mm): for each
// round it spins until the main thread publishes a context id, calls
// io_destroy on it at the same moment as the main thread, and posts the result.
import { parentPort, workerData } from "node:worker_threads";
import { rawIoDestroy } from "../../kernel/aio.js";
import { RACER, type RacerResult } from "./destroy-race.js";

const flags = new Int32Array(workerData as SharedArrayBuffer, 0, RACER.flagCount);
const ids = new BigInt64Array(workerData as SharedArrayBuffer, RACER.idOffset, 1);
const port = parentPort;
if (!port) throw new Error("destroy-racer runs as a worker thread");

let round = 0;
port.postMessage("ready");
for (;;) {
  // Blocks until the main thread starts the next round (or stops the worker).
  Atomics.wait(flags, RACER.round, round);
  if (Atomics.load(flags, RACER.stop) === 1) break;
  round = Atomics.load(flags, RACER.round);
  Atomics.store(flags, RACER.armed, round);
  while (Atomics.load(flags, RACER.go) !== round);
  const result = rawIoDestroy(BigInt.asUintN(64, ids[0]!));
  const reply: RacerResult = { round, ret: result.ret.toString(), ...(result.errno ? { errno: result.errno } : {}) };
  port.postMessage(reply);
}
