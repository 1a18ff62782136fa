// SPDX-License-Identifier: GPL-2.0-only
// `report DIR --kcidb FILE --origin NAME`: KCIDB v5 data, validated against
// the kcidb-io v5 schema (a fixture written from its published definition;
// formats checked by hand, as ajv-formats is not a dependency), every verdict
// mapped to its documented status, ids and paths in KCIDB's forms, and the
// misuse of the options refused in one line.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { KCIDB_STATUS, kcidbPath, renderKcidb, type KcidbData } from "../../harness/report/kcidb.js";
import { cli, everyVerdict, twoSyscalls } from "../gate/fixtures.js";

const schema = JSON.parse(readFileSync("suites/report/fixtures/kcidb-v5.schema.json", "utf8")) as object;
const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);

function schemaErrors(data: unknown): string[] {
  const errors = validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  const d = data as KcidbData;
  for (const t of d.tests ?? []) {
    if (Number.isNaN(Date.parse(t.start_time)) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(t.start_time)) errors.push(`${t.id}: start_time is not RFC 3339`);
  }
  return errors;
}

describe("KCIDB v5 export", function () {
  it("validates against the kcidb-io v5 schema, every verdict, one syscall and several", function () {
    for (const r of [everyVerdict(), twoSyscalls()]) expect(schemaErrors(renderKcidb(r, { origin: "kapi_ci" }))).to.deep.equal([]);
  });

  it("maps verdicts as documented: xfail FAIL waived, xpass PASS, timeout and error ERROR", function () {
    const d = renderKcidb(everyVerdict(), { origin: "kapi_ci", buildId: "kapi_ci:build-42" });
    const by = Object.fromEntries(d.tests.map((t) => [String(t.misc.verdict), t] as const));
    expect(Object.fromEntries(d.tests.map((t) => [t.misc.verdict, t.status]))).to.deep.equal(KCIDB_STATUS);
    expect(by.xfail!.waived).to.equal(true);
    expect(by.fail!.waived).to.equal(undefined);
    expect(by.fail!.log_excerpt).to.equal("fail: expected EINVAL, got 0 (spec line 205)\n");
    for (const t of d.tests) {
      expect(t.id).to.match(/^kapi_ci:kapi-conform:6\.18\.44-fc-v769@2026-01-01T00%3A00%3A00\.000Z:io_cancel\./);
      expect(t.build_id).to.equal("kapi_ci:build-42");
      expect(t.origin).to.equal("kapi_ci");
    }
    expect(new Set(d.tests.map((t) => t.id)).size).to.equal(d.tests.length);
  });

  it("dotted paths under kapi, any character KCIDB does not allow replaced", function () {
    expect(kcidbPath("io_cancel.ctx-zero.rejected")).to.equal("kapi.io_cancel.ctx-zero.rejected");
    expect(kcidbPath("open.o creat\u2028x..y")).to.equal("kapi.open.o_creat_x._.y");
    const r = everyVerdict();
    const hostile = { ...r, cases: r.cases.map((c) => ({ ...c, id: `${c.id} <\n>`, reason: "x".repeat(20000) })) };
    expect(schemaErrors(renderKcidb(hostile, { origin: "o" }))).to.deep.equal([]);
  });

  describe("the report command", function () {
    let root: string;
    before(() => (root = mkdtempSync(join(tmpdir(), "kapi-kcidb-"))));
    after(() => rmSync(root, { recursive: true, force: true }));
    const saved = (): string => {
      const dir = join(root, `r${Math.random().toString(36).slice(2)}`);
      mkdirSync(dir);
      writeFileSync(join(dir, "results.json"), JSON.stringify(everyVerdict()));
      return dir;
    };

    it("writes FILE, valid against the schema, and exits as the gate says", function () {
      const dir = saved();
      const file = join(dir, "kcidb.json");
      const r = cli("report", dir, "--kcidb", file, "--origin", "my_lab", "--build-id", "my_lab:6.18-rc1-x86");
      expect(r.status, r.stderr).to.equal(1);
      const data = JSON.parse(readFileSync(file, "utf8")) as KcidbData;
      expect(schemaErrors(data)).to.deep.equal([]);
      expect(data.tests).to.have.length(7);
      expect(data.tests[0]!.build_id).to.equal("my_lab:6.18-rc1-x86");
    });

    for (const [what, args, message] of [
      ["--kcidb without --origin", ["--kcidb", "k.json"], /--kcidb needs --origin NAME/],
      ["an origin KCIDB refuses", ["--kcidb", "k.json", "--origin", "My-Lab"], /--origin must match \[a-z0-9_\]\+/],
      ["a build id of another origin", ["--kcidb", "k.json", "--origin", "lab", "--build-id", "other:1"], /--build-id must be 'lab:\.\.\.'/],
      ["--origin without --kcidb", ["--origin", "lab"], /--origin and --build-id go with --kcidb FILE/],
    ] as const) {
      it(`refuses ${what} in one line, exit 2`, function () {
        const r = cli("report", saved(), ...args);
        expect(r.status).to.equal(2);
        expect(r.stderr).to.match(message);
        expect(r.stderr.trim().split("\n")).to.have.length(1);
      });
    }
  });
});
