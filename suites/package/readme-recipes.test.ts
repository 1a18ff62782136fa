// SPDX-License-Identifier: GPL-2.0-only
// The README's "Kernel CI" recipes, run as written: the kselftest recipe's
// shell block (npm steps aside, `npx kapi-conform` as the built CLI, `linux/`
// as the kernel tree from Debian's linux-source-6.12), the LAVA job snippet
// against the test definition it names, and the GitHub recipe's package step.
// (GitHub's workflow parser checks the GitHub snippet in suites/gate/workflow.test.ts.)
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { kernelTools } from "../support/linux-source.js";
import { skipBecause } from "../support/skip.js";

const ROOT = process.cwd();
const README = readFileSync("README.md", "utf8");

/** The fenced block of a language under a heading of the Kernel CI section. */
function recipe(heading: string, lang: string): string {
  const section = README.slice(README.indexOf("## Kernel CI"));
  const at = section.indexOf(`### ${heading}\n`);
  if (at < 0) throw new Error(`README has no '### ${heading}' under '## Kernel CI'`);
  const block = new RegExp("```" + lang + "\\n([\\s\\S]*?)```").exec(section.slice(at))?.[1];
  if (block === undefined) throw new Error(`no ${lang} block under '### ${heading}'`);
  return block;
}

/**
 * Runs a shell recipe with its output in a file: run_kselftest.sh writes to /dev/stdout, which
 * cannot be opened when stdout is the socket Node's spawn gives a child.
 */
function sh(script: string, cwd: string, env: NodeJS.ProcessEnv): { status: number | null; out: string } {
  const log = join(cwd, "..", `${Date.now()}.log`);
  const r = spawnSync("sh", ["-e", "-c", `(${script}) > "${log}" 2>&1`], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  const out = existsSync(log) ? readFileSync(log, "utf8") : r.stderr;
  return { status: r.status, out };
}

/** A shell recipe as the tests can run it: npm steps dropped (the tests run on a built checkout), npx kapi-conform as the built CLI. */
function runnable(script: string): string {
  return script
    .split("\n")
    .filter((l) => !/^npm /.test(l.trim()))
    .join("\n")
    .replace(/npx kapi-conform/g, `"${process.execPath}" "${join(ROOT, "build/harness/cli/main.js")}"`);
}

describe("README Kernel CI recipes", function () {
  this.timeout(300_000);
  let work: string;
  before(() => (work = mkdtempSync(join(tmpdir(), "kapi-conform-readme-"))));
  after(() => rmSync(work, { recursive: true, force: true }));

  it("kselftest: the shell block runs as written and the kernel's runner passes the collection", async function () {
    const tools = await kernelTools();
    if (typeof tools === "string") skipBecause(this, tools);
    const dir = join(work, "kselftest");
    mkdirSync(dir);
    // `linux/` in the recipe is a kernel tree: here, the unpacked linux-source.
    symlinkSync(tools.root, join(dir, "linux"));
    const r = sh(runnable(recipe("kselftest", "sh")), dir, { KAPI_CONFORM_REPORTS: join(work, "reports-kselftest") });
    expect(r.status, r.out).to.equal(0);
    expect(r.out).to.match(/^kapi:kapi-conform\.sh$/m);
    expect(r.out).to.match(/^ok 1 selftests: kapi: kapi-conform\.sh$/m);
    expect(existsSync(join(dir, "out", "kapi-kselftest.tar.gz"))).to.equal(true);
  });

  it("LAVA: the job snippet names the test definition and only parameters it declares", () => {
    const job = parse(recipe("LAVA", "yaml")) as Array<{ test: { definitions: Array<{ from: string; path: string; name: string; parameters: Record<string, string> }> } }>;
    const def = job[0]!.test.definitions[0]!;
    expect(def.from).to.equal("git");
    expect(existsSync(resolve(def.path)), def.path).to.equal(true);
    const definition = parse(readFileSync(def.path, "utf8")) as { metadata: { name: string }; params: Record<string, string> };
    expect(def.name).to.equal(definition.metadata.name);
    for (const p of Object.keys(def.parameters)) expect(Object.keys(definition.params), p).to.include(p);
  });

  it("GitHub Actions: the package step builds the tree and its test program passes here", () => {
    const steps = parse(recipe("GitHub Actions", "yaml")) as Array<{ run?: string }>;
    const step = steps.find((s) => /kapi-conform package/.test(s.run ?? ""));
    expect(step, "a step that runs kapi-conform package").to.not.equal(undefined);
    const dir = join(work, "github");
    mkdirSync(dir);
    const r = sh(runnable(step!.run!), dir, { KAPI_CONFORM_REPORTS: join(work, "reports-github") });
    expect(r.status, r.out).to.equal(0);
    expect(r.out).to.match(/^# Totals: pass:\d+ fail:0 /m);
  });
});
