// SPDX-License-Identifier: GPL-2.0-only
// The bundle refuses to be built wrong: a module that starts or imports a file
// by a path relative to itself needs a launcher beside the bundle, and a
// rewrite the bundle relies on must still find its text.
import { expect } from "chai";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { writeBundle } from "../../harness/package/bundle.js";

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
