// SPDX-License-Identifier: GPL-2.0-only
// tools/kapi JSON (`parse --format kapi-json`, `parse FILE.json`, `run --spec
// FILE.json`): the shape of the series' tool (field names, enums as the
// header numbers them, errors as -errno), and a round trip of every corpus
// spec, canonical -> kapi JSON -> canonical, equal on every field both
// formats hold.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromKapiJson, sharedFields, toKapiJson, type KapiJson } from "../../harness/spec/kapi-json.js";
import { loadSpecs } from "../../harness/spec/load.js";
import type { Spec } from "../../harness/spec/model.js";
import { validateSpec } from "../../harness/spec/schema.js";
import type { RunResults } from "../../harness/run/results.js";
import { corpusFiles, needCorpus } from "./helpers.js";

const CLI = "build/harness/cli/main.js";
// The fields of tools/kapi's structs (tools/kapi/src/extractor/mod.rs), in the order it writes them.
const PARAM_FIELDS = ["index", "name", "type_name", "description", "flags", "param_type", "constraint_type", "constraint", "min_value", "max_value", "valid_mask", "enum_values", "size", "alignment", "size_param_idx"];
const RETURN_FIELDS = ["type_name", "description", "return_type", "check_type", "success_value", "success_min", "success_max", "error_values"];

async function ioCancel(): Promise<Spec> {
  return (await loadSpecs(["specs/io_cancel.archive.txt"])).specs[0]!;
}

describe("tools/kapi JSON: shape", () => {
  let doc: KapiJson;
  before(async () => (doc = toKapiJson(await ioCancel())));

  it("is {api_details} named sys_NAME, with the tool's struct fields", () => {
    const d = doc.api_details;
    expect(d.name).to.equal("sys_io_cancel");
    expect(Object.keys(d.parameters![0]!).sort()).to.deep.equal([...PARAM_FIELDS].sort());
    expect(Object.keys(d.return_spec!).sort()).to.deep.equal([...RETURN_FIELDS].sort());
    expect(Object.keys(d.errors![0]!).sort()).to.deep.equal(["condition", "description", "error_code", "name"]);
    expect(Object.keys(d.locks![0]!).sort()).to.deep.equal(["description", "lock_name", "lock_type", "scope"]);
    expect(Object.keys(d.side_effects![0]!).sort()).to.deep.equal(["condition", "description", "effect_type", "reversible", "target"]);
    expect(Object.keys(d.state_transitions![0]!).sort()).to.deep.equal(["condition", "description", "from_state", "object", "to_state"]);
    expect(Object.keys(d.constraints![0]!).sort()).to.deep.equal(["description", "expression", "name"]);
  });

  it("writes enums as kernel_api_spec.h numbers them, and errors as -errno", () => {
    const d = doc.api_details;
    const ctx = d.parameters!.find((p) => p.name === "ctx_id")!;
    expect({ type: ctx.param_type, flags: ctx.flags, constraint: ctx.constraint_type }).to.deep.equal({ type: 2, flags: 1, constraint: 12 }); // UINT, IN, CUSTOM
    expect(d.return_spec).to.include({ return_type: 1, check_type: 2, success_value: -115 }); // INT, ERROR_CHECK, -EINPROGRESS
    expect(d.errors!.map((e) => [e.name, e.error_code])).to.deep.include.members([["EFAULT", -14], ["EINVAL", -22], ["ENOSYS", -38]]);
    expect(d.side_effects!.map((e) => e.effect_type)).to.deep.equal([4, 4, 512]); // MODIFY_STATE, MODIFY_STATE, SCHEDULE
    expect(d.locks!.map((l) => l.lock_type)).to.include(5); // RCU
    expect(d.context_flags).to.deep.equal(["KAPI_CTX_PROCESS", "KAPI_CTX_ATOMIC"]);
  });
});

describe("tools/kapi JSON: the corpus round-trips", function () {
  before(function () {
    needCorpus(this);
  });

  it("canonical -> kapi JSON -> canonical is equal on every field both hold, for every corpus spec", async () => {
    const specs = (await loadSpecs(corpusFiles())).specs;
    expect(specs.length).to.be.greaterThan(15);
    for (const spec of specs) {
      const text = JSON.stringify(toKapiJson(spec), null, 2);
      const back = fromKapiJson(`${spec.name}.kapi.json`, text);
      expect(sharedFields(back), `${spec.name} (${spec.source.file})`).to.deep.equal(sharedFields(spec));
      expect(validateSpec(back).valid, `${spec.name}: read back, the spec fits the schema`).to.equal(true);
    }
  });

  it("keeps what the conformance run binds to: error summaries and conditions, effect targets, transition objects, constraint names", async () => {
    const spec = await ioCancel();
    const back = fromKapiJson("io_cancel.kapi.json", JSON.stringify(toKapiJson(spec)));
    expect(back.errors.map((e) => [e.name, e.summary, e.conditions])).to.deep.equal(spec.errors.map((e) => [e.name, e.summary, e.conditions]));
    expect(back.sideEffects.map((e) => e.target)).to.deep.equal(spec.sideEffects.map((e) => e.target));
    expect(back.stateTransitions.map((t) => t.object)).to.deep.equal(spec.stateTransitions.map((t) => t.object));
    expect(back.constraints.map((c) => c.name)).to.deep.equal(spec.constraints.map((c) => c.name));
  });
});

describe("tools/kapi JSON: the CLI", function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "kapi-conform-kapi-json-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("parse --format kapi-json prints the document; parse FILE.json reads it back", () => {
    const out = spawnSync(process.execPath, [CLI, "parse", "--format", "kapi-json", "specs/io_cancel.archive.txt"], { encoding: "utf8" });
    expect(out.status, out.stderr).to.equal(0);
    const file = join(dir, "io_cancel.kapi.json");
    writeFileSync(file, out.stdout);
    expect((JSON.parse(out.stdout) as KapiJson).api_details.name).to.equal("sys_io_cancel");
    const back = spawnSync(process.execPath, [CLI, "parse", file], { encoding: "utf8" });
    expect(back.status, back.stderr).to.equal(0);
    const [spec] = JSON.parse(back.stdout) as Spec[];
    expect(spec!.name).to.equal("io_cancel");
    expect(spec!.source).to.include({ file, format: "kapi-json" });
  });

  it("parse --format kapi-json --out DIR writes NAME.kapi.json, and a directory of them is an input", () => {
    const out = join(dir, "out");
    const r = spawnSync(process.execPath, [CLI, "parse", "--format", "kapi-json", "--out", out, "specs/io_cancel.archive.txt"], { encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.contain("io_cancel.kapi.json");
    const back = spawnSync(process.execPath, [CLI, "parse", out], { encoding: "utf8" });
    expect((JSON.parse(back.stdout) as Spec[]).map((s) => s.name)).to.deep.equal(["io_cancel"]);
  });

  it("refuses an unknown --format with one line and exit 2, and malformed kapi JSON with file:line", () => {
    const r = spawnSync(process.execPath, [CLI, "parse", "--format", "yaml", "specs/io_cancel.archive.txt"], { encoding: "utf8" });
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split("\n")).to.have.length(1);
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{ "api_details": { "name": 7 } }\n');
    const b = spawnSync(process.execPath, [CLI, "parse", bad], { encoding: "utf8" });
    expect(b.status).to.equal(2);
    expect(b.stderr).to.contain(`${bad}:1`);
  });

  it("run --spec FILE.json runs the suite from kapi JSON, with the verdicts of the original spec", () => {
    const file = join(dir, "io_cancel.kapi.json");
    writeFileSync(file, JSON.stringify(toKapiJson(JSON.parse(readFileSync("specs/io_cancel.spec.json", "utf8")) as Spec), null, 2));
    const r = spawnSync(process.execPath, [CLI, "run", "--spec", file, "--reports", join(dir, "run")], { encoding: "utf8" });
    expect(r.status, r.stderr).to.equal(0);
    const results = JSON.parse(readFileSync(join(dir, "run", "results.json"), "utf8")) as RunResults;
    expect(results.cases.filter((c) => c.verdict === "fail" || c.verdict === "error")).to.deep.equal([]);
    expect(results.cases.filter((c) => c.verdict === "pass").length).to.be.greaterThan(20);
  });
});
