// SPDX-License-Identifier: GPL-2.0-only
// What the host makes of the files a VM guest sent back (no qemu needed): the
// reports rebuilt from results.json win over the guest's own results.tap,
// junit.xml and summary.md; the guest's drift rows are kept; results.json of
// another kernel than the one booted is refused.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderKtap } from "../../harness/report/ktap.js";
import { hostReports, VmRunError } from "../../harness/vm/session.js";
import { caseOf, resultsOf } from "./fixtures.js";

const RELEASE = "6.12.117+deb12-cloud-amd64";

describe("vm: reports rebuilt on the host from the guest's files", function () {
  let root: string;
  before(() => (root = mkdtempSync(join(tmpdir(), "kapi-vm-host-"))));
  after(() => rmSync(root, { recursive: true, force: true }));

  const results = resultsOf(RELEASE, [caseOf("a.pass", "pass"), caseOf("b.fail", "fail", { ret: "0" }, "expected EINVAL")]);
  const drift = { syscall: "io_cancel", spec: { file: "s", line: 1 }, kernel: { release: RELEASE, machine: "x86_64" }, man: { unavailable: "none" }, rows: [], libraries: [] };
  const guest = (r: unknown = results) =>
    new Map<string, Buffer>([
      ["results.json", Buffer.from(JSON.stringify(r))],
      ["results.tap", Buffer.from("guest's own KTAP\n")],
      ["junit.xml", Buffer.from("<guest/>")],
      ["summary.md", Buffer.from("# guest summary\n")],
      ["drift.json", Buffer.from(JSON.stringify(drift))],
      ["notes.txt", Buffer.from("extra\n")],
    ]);

  it("the host's rebuilt KTAP, JUnit and summary win; drift rows and other files are kept", async function () {
    const { reportsDir } = await hostReports({ files: guest(), booted: RELEASE, label: "deb", reportsRoot: root, console: [] });
    expect(reportsDir).to.equal(join(root, RELEASE));
    expect(readFileSync(join(reportsDir, "results.tap"), "utf8")).to.equal(renderKtap(results));
    expect(readFileSync(join(reportsDir, "junit.xml"), "utf8")).to.include('<testcase name="io_cancel.b.fail"');
    expect(readFileSync(join(reportsDir, "summary.md"), "utf8")).to.include("## Drift: io_cancel");
    expect(readFileSync(join(reportsDir, "drift.md"), "utf8")).to.include("## Drift: io_cancel");
    expect(readFileSync(join(reportsDir, "notes.txt"), "utf8")).to.equal("extra\n");
  });

  it("refuses results.json of another kernel than the one booted, or when the guest never said", async function () {
    for (const booted of ["6.1.0-56-cloud-amd64", undefined]) {
      let err: unknown;
      try {
        await hostReports({ files: guest(), booted, label: "deb", reportsRoot: root, console: ["last"] });
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(VmRunError);
      expect((err as Error).message).to.match(new RegExp(`results\\.json is of kernel ${RELEASE.replace(/[.+]/g, "\\$&")} but the guest (booted 6\\.1\\.0|never reported)`));
    }
  });
});
