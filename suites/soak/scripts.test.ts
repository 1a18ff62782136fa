// SPDX-License-Identifier: GPL-2.0-only
// The soak scripts as `npm run fuzz` and `npm run repeat` start them: bad
// arguments are one line and exit 2; a short run prints its figures.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ROOT, needCorpus } from "../spec/helpers.js";

const script = (name: string, ...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, "build/harness/soak", name), ...args], { cwd: ROOT, encoding: "utf8", timeout: 120000 });

function oneLineExit2(name: string, args: string[]): string {
  const r = script(name, ...args);
  expect(r.status, `${name} ${args.join(" ")}: ${r.stderr}`).to.equal(2);
  expect(r.stdout).to.equal("");
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines, r.stderr).to.have.length(1);
  return lines[0]!;
}

describe("soak: npm run fuzz / npm run repeat", function () {
  it("fuzz: bad arguments are one line and exit 2", function () {
    expect(oneLineExit2("fuzz-main.js", ["--iterations", "0"])).to.equal("fuzz: --iterations takes a whole number from 1 to 9007199254740991, not '0'");
    expect(oneLineExit2("fuzz-main.js", ["--seed", "-3"])).to.match(/^fuzz: /);
    expect(oneLineExit2("fuzz-main.js", ["--seed", "4294967296"])).to.match(/^fuzz: --seed takes a whole number from 0 to 4294967295/);
    expect(oneLineExit2("fuzz-main.js", ["--bogus"])).to.match(/^fuzz: Unknown option '--bogus'/);
    expect(oneLineExit2("fuzz-main.js", ["stray"])).to.equal("fuzz: unexpected argument 'stray'");
    expect(oneLineExit2("fuzz-main.js", ["--corpus", "/nonexistent"])).to.match(/^fuzz: KAPI corpus not found at \/nonexistent/);
    expect(oneLineExit2("fuzz-main.js", ["--replay", "3"])).to.equal("fuzz: --replay needs the --seed of the run it comes from");
  });

  it("fuzz: a short run prints iterations, time, mutation counts and findings, and exits 0 without findings", function () {
    needCorpus(this);
    const r = script("fuzz-main.js", "--iterations", "300", "--seed", "5");
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^seed: 5\niterations: 300\nelapsed: [\d.]+ s \(\d+ inputs\/s\)\n/);
    expect(r.stdout).to.match(/^ {2}huge-line +\d+$/m).and.match(/^findings: 0$/m);
    // Replaying an iteration gives its input on stdout.
    const replay = script("fuzz-main.js", "--seed", "5", "--replay", "17");
    expect(replay.status, replay.stderr).to.equal(0);
    expect(replay.stdout.length).to.be.greaterThan(0);
    expect(replay.stderr).to.match(/^fuzz: seed 5 iteration 17: /);
  });

  it("repeat: bad arguments are one line and exit 2", function () {
    expect(oneLineExit2("repeat-main.js", ["--runs", "1"])).to.equal("repeat: --runs takes a whole number from 2 to 10000, not '1'");
    expect(oneLineExit2("repeat-main.js", ["--runs", "two"])).to.match(/^repeat: --runs takes a whole number/);
    expect(oneLineExit2("repeat-main.js", ["--frobnicate"])).to.match(/^repeat: Unknown option '--frobnicate'/);
  });

  it("repeat: two runs back to back compare their verdicts", function () {
    this.timeout(120000);
    const r = script("repeat-main.js", "--runs", "2");
    // The race case may legitimately differ (pass or "not exercised" skip); the rest must agree.
    const differing = r.stdout.split("\n").filter((l) => /^ {2}run \d+: /.test(l) && !l.includes("cancel-race"));
    expect(differing, r.stdout).to.deep.equal([]);
    expect(r.stdout).to.match(/^runs: 2\nidentical to run 1: [12]\/2\ncases per run: \d+\ntime: [\d.]+ s in all, median [\d.]+ s per run/);
    expect(r.status).to.equal(r.stdout.includes("identical to run 1: 2/2") ? 0 : 1);
  });
});
