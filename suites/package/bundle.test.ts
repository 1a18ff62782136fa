// SPDX-License-Identifier: GPL-2.0-only
// The bundle refuses to be built wrong: a module that starts or imports a file
// by a path relative to itself needs a launcher beside the bundle, and a
// rewrite the bundle relies on must still find its text. The schema's
// validator it ships, compiled, is the schema's.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { writeBundle } from "../../harness/package/bundle.js";
import { PRECOMPILED_DIR, SCHEMA_FILE, schemaValidator, validatorName } from "../../harness/spec/schema.js";
import { ROOT } from "../spec/helpers.js";

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "kapi-conform-bundle-"));
  for (const [path, text] of Object.entries({ "package.json": '{"name":"kapi-conform","version":"0.0.0"}', ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function failure(root: string): Promise<string> {
  try {
    await writeBundle(root, join(root, "out"));
    return "built";
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("package: the bundle's guards", function () {
  this.timeout(30_000);

  it("refuses a module that names a file by its own URL when no launcher provides it", async () => {
    const root = project({
      "build/harness/package/entry.js": 'import "../run/tool.js";\nexport const helper = new URL("./helper.child.js", import.meta.url);\n',
      "build/harness/run/tool.js": 'export const p = new URL("../../../package.json", import.meta.url);\n',
    });
    expect(await failure(root)).to.match(/entry\.js names \.\/helper\.child\.js, which has no launcher/);
  });

  it("refuses when a rewrite it relies on no longer finds its text", async () => {
    const root = project({ "build/harness/package/entry.js": 'import "../run/tool.js";\n', "build/harness/run/tool.js": "export const p = 1;\n" });
    expect(await failure(root)).to.match(/no longer contains 'new URL\("\.\.\/\.\.\/\.\.\/package\.json"/);
  });
});

describe("package: the bundle's compiled schema validator", function () {
  this.timeout(60_000);

  it("is in validators/ under the name the run looks for, loads with no node_modules, and finds what a fresh compile finds", async function () {
    const out = mkdtempSync(join(tmpdir(), "kapi-conform-bundle-"));
    try {
      const written = await writeBundle(ROOT, out);
      const name = validatorName(readFileSync(join(ROOT, SCHEMA_FILE), "utf8"));
      const file = join(out, PRECOMPILED_DIR, name);
      expect(written).to.include(file);
      // Nothing to resolve ajv from above a directory in /tmp: the file must hold what it needs.
      const saved = createRequire(import.meta.url)(file) as ReturnType<typeof schemaValidator>;
      const fresh = schemaValidator(undefined, "/nonexistent/validators");
      const spec = JSON.parse(readFileSync(join(ROOT, "specs", "io_cancel.spec.json"), "utf8")) as Record<string, unknown>;
      for (const sample of [spec, { ...spec, colour: "blue" }, { ...spec, name: 7 }, {}]) {
        const verdicts = [saved, fresh].map((v) => [v(sample), (v.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`)]);
        expect(verdicts[0]).to.deep.equal(verdicts[1]);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
