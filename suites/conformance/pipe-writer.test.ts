// SPDX-License-Identifier: GPL-2.0-only
// The race's pipe writer is started ahead of the race (while other scenarios
// run) and must wait idle until told to go: spinning early would take one of
// the machine's cores from the scenarios before it.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Socket } from "node:net";
import { expect } from "chai";
import { ROOT } from "../spec/helpers.js";
import { cpuTicks } from "../support/processes.js";

const WRITER = path.join(ROOT, "build/harness/scenarios/io_cancel/pipe-writer.child.js");
const WAIT_MS = 400;

interface Writer {
  child: ChildProcess;
  bytes: () => number;
  lines: string[];
  exit: Promise<number | null>;
}

function startWriter(): Writer {
  const child = spawn(process.execPath, [WRITER, "60"], { stdio: ["pipe", "pipe", "inherit", "pipe"] });
  let bytes = 0;
  (child.stdio[3] as Socket).on("data", (b: Buffer) => (bytes += b.length));
  const lines: string[] = [];
  child.stdout!.on("data", (b: Buffer) => lines.push(...b.toString("utf8").split("\n").filter(Boolean)));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, bytes: () => bytes, lines, exit };
}

describe("the race's pipe writer", function () {
  this.timeout(10_000);

  it("started, it writes nothing and uses almost no CPU until a line arrives on its stdin; then it writes and says ready", async function () {
    const w = startWriter();
    try {
      // Node's start-up is over well before this; what follows is the wait.
      await sleep(WAIT_MS);
      const before = cpuTicks(w.child.pid!);
      await sleep(WAIT_MS);
      const idle = cpuTicks(w.child.pid!) - before;
      expect(w.bytes(), "bytes written before go").to.equal(0);
      expect(w.lines, "lines printed before go").to.deep.equal([]);
      // A spinning writer would use all of WAIT_MS (40 ticks at 100 Hz).
      expect(idle, `CPU ticks used in ${WAIT_MS} ms of waiting`).to.be.below(5);

      w.child.stdin!.write("go\n");
      const deadline = Date.now() + 5000;
      while ((w.bytes() === 0 || w.lines.length === 0) && Date.now() < deadline) await sleep(10);
      expect(w.lines[0]).to.equal("ready");
      expect(w.bytes()).to.be.above(0);
      w.child.stdin!.end();
      expect(await w.exit).to.equal(0);
    } finally {
      w.child.kill("SIGKILL");
    }
  });

  it("told to stop before it was told to go, it exits at once having written nothing", async function () {
    const w = startWriter();
    try {
      await sleep(WAIT_MS);
      w.child.stdin!.end();
      expect(await w.exit).to.equal(0);
      expect(w.bytes()).to.equal(0);
      expect(w.lines).to.deep.equal([]);
    } finally {
      w.child.kill("SIGKILL");
    }
  });
});
