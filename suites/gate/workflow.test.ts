// SPDX-License-Identifier: GPL-2.0-only
// The CI workflow is valid (GitHub's own workflow parser, @actions/workflow-parser,
// which checks keys, types and ${{ }} expressions against the Actions schema)
// and does what issue 7 asks: push and pull_request, a Node matrix, install,
// build, unit tests, the gated conformance run, reports uploaded and JUnit
// published even when a step failed. The README's five-line gate is linted too.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { register } from "node:module";
import { parse } from "yaml";
import { parseExpectations } from "../../harness/gate/expectations.js";

const WORKFLOW = ".github/workflows/conformance.yml";

// The package imports its JSON schema without `with { type: "json" }`, which
// bundlers accept and Node refuses; add the attribute for its files only.
const JSON_HOOK = `export async function load(url, context, next) {
  if (url.endsWith(".json") && url.includes("/@actions/workflow-parser/")) return next(url, { ...context, importAttributes: { type: "json" } });
  return next(url, context);
}`;

type Parser = typeof import("@actions/workflow-parser");
let parser: Parser;

/** Every error GitHub's parser and converter report for a workflow text. */
async function lint(name: string, content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = parser;
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length || !parsed.value) return errors.length ? errors : ["no workflow"];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message);
}

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { strategy?: { matrix?: { node?: string[] } }; steps: Step[] }>;
}

describe("CI workflow", function () {
  const text = readFileSync(WORKFLOW, "utf8");
  const workflow = parse(text) as Workflow;
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const step = (f: (s: Step) => boolean): Step | undefined => steps.find(f);
  const index = (f: (s: Step) => boolean): number => steps.findIndex(f);

  before(async function () {
    register(`data:text/javascript,${encodeURIComponent(JSON_HOOK)}`);
    parser = await import("@actions/workflow-parser");
  });

  it("is a valid GitHub Actions workflow", async function () {
    expect(await lint(WORKFLOW, text)).to.deep.equal([]);
  });

  it("the linter rejects what GitHub would (unknown keys, bad expressions, bad triggers)", async function () {
    expect(await lint("w.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    stepz: []\n")).to.have.length.greaterThan(0);
    expect((await lint("w.yml", "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n        if: ${{ always( }}\n"))[0]).to.match(/Line: 7/);
    expect(await lint("w.yml", "on: psh\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n")).to.have.length.greaterThan(0);
  });

  it("runs on push and pull_request, over a Node version matrix", function () {
    expect(workflow.on).to.have.all.keys("push", "pull_request");
    const nodes = Object.values(workflow.jobs).map((j) => j.strategy?.matrix?.node ?? []);
    expect(nodes.flat()).to.include.members(["20", "22"]);
    expect(step((s) => s.uses?.startsWith("actions/setup-node@") ?? false)?.with?.["node-version"]).to.equal("${{ matrix.node }}");
  });

  it("installs, builds, runs the unit tests, then the gated conformance run, in that order", function () {
    const order = [
      index((s) => s.run === "npm ci"),
      index((s) => s.run === "npm run build"),
      index((s) => /^(npx mocha|npm test)\b/.test(s.run ?? "")),
      index((s) => /build\/harness\/cli\/main\.js run .*--expect \S+.* --strict/.test(s.run ?? "")),
    ];
    expect(order.every((i) => i >= 0), JSON.stringify(order)).to.equal(true);
    expect([...order].sort((a, b) => a - b)).to.deep.equal(order);
  });

  it("builds the kselftest package after the gated run and runs its test program once", function () {
    const gated = index((s) => / --expect /.test(s.run ?? ""));
    const pkg = index((s) => /main\.js package --kselftest (\S+)/.test(s.run ?? ""));
    expect(pkg, "no package step").to.be.greaterThan(gated);
    const dir = /package --kselftest (\S+)/.exec(steps[pkg]!.run!)![1]!;
    expect(steps[pkg]!.run).to.contain(`./${dir}/kapi/kapi-conform.sh`);
  });

  it("uses the actions at their current majors (checked 2026-11)", function () {
    const current: Record<string, string> = { "actions/checkout": "v7", "actions/setup-node": "v7", "actions/upload-artifact": "v7", "mikepenz/action-junit-report": "v6" };
    const used = steps.flatMap((s) => (s.uses ? [s.uses.split("@") as [string, string]] : []));
    expect(used.length).to.be.greaterThan(0);
    for (const [action, ref] of used) expect(ref, action).to.equal(current[action]);
  });

  it("uploads reports/ and publishes the JUnit even when a step failed", function () {
    const upload = step((s) => s.uses?.startsWith("actions/upload-artifact@") ?? false);
    expect(upload?.if).to.equal("always()");
    expect(upload?.with?.["path"]).to.equal("reports/");
    const junit = step((s) => s.uses?.startsWith("mikepenz/action-junit-report@") ?? false);
    expect(junit?.if).to.equal("always()");
    expect(junit?.with?.["report_paths"]).to.equal("reports/junit.xml");
  });

  it("gates on an expectations file that exists and is valid", function () {
    const run = step((s) => / --expect /.test(s.run ?? ""))!;
    const file = /--expect (\S+)/.exec(run.run!)![1]!;
    expect(() => parseExpectations(readFileSync(file, "utf8"), file)).to.not.throw();
  });

  it("the README's Kernel CI GitHub recipe is valid workflow steps at the same action majors as the workflow", async function () {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("## Kernel CI"));
    const snippet = /### GitHub Actions\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet, "no yaml block under '### GitHub Actions' in '## Kernel CI'").to.be.a("string");
    const wrapped = `on: [push, pull_request]\njobs:\n  kselftest:\n    runs-on: ubuntu-latest\n    steps:\n${snippet!.replace(/^/gm, "      ")}`;
    expect(await lint("readme-kernel-ci.yml", wrapped)).to.deep.equal([]);
    const ours = new Set(steps.flatMap((s) => (s.uses ? [s.uses] : [])));
    for (const uses of (parse(snippet!) as Step[]).flatMap((s) => (s.uses ? [s.uses] : []))) expect(ours.has(uses), uses).to.equal(true);
  });

  it("the README's 'CI gate in five lines' is five valid workflow lines", async function () {
    const readme = readFileSync("README.md", "utf8");
    const section = readme.slice(readme.indexOf("### A CI gate in five lines"));
    const snippet = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(snippet, "no yaml block after '### A CI gate in five lines'").to.be.a("string");
    expect(snippet!.trimEnd().split("\n")).to.have.length(5);
    const wrapped = `on: [push, pull_request]\njobs:\n  gate:\n    runs-on: ubuntu-latest\n    steps:\n${snippet!.replace(/^/gm, "      ")}`;
    expect(await lint("readme.yml", wrapped)).to.deep.equal([]);
  });
});
