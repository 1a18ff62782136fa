// SPDX-License-Identifier: GPL-2.0-only
// The bench refuses bad arguments as every command does: one line, exit 2,
// before measuring anything.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect } from "chai";
import { ROOT } from "../spec/helpers.js";

const BENCH = path.join(ROOT, "build/harness/bench/main.js");

function bench(...args: string[]): { status: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [BENCH, ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe("bench: bad arguments", function () {
  it("an unknown area: one line naming the areas, exit 2", function () {
    const r = bench("warp");
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
    expect(r.stderr).to.match(/unknown area 'warp' \(areas: parse, tree, syscall, race, run\)/);
  });

  it("--baseline naming no built checkout: one line, exit 2, nothing measured", function () {
    const r = bench("run", "--baseline", "/nonexistent/checkout");
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split("\n")).to.deep.equal(["bench: --baseline /nonexistent/checkout: no build/harness/cli/main.js there (clone that commit, npm ci, npm run build)"]);
    expect(r.stdout).to.equal("");
  });
});
