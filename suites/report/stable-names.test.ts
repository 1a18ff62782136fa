// SPDX-License-Identifier: GPL-2.0-only
// Stable test names: LKFT appends a SKIP directive's text to the test name,
// so a skip reason is fixed per cause and what varies (a config path, a
// count, this kernel's value) is a diagnostic line after the result. Checked
// on the producers with two different kernels' environments, and on two live
// runs whose KTAP result lines must be identical.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kernelConfig } from "../../harness/scenarios/requirements.js";
import type { Environment } from "../../harness/run/environment.js";
import { ioCancelSuite as ioCancel } from "../../harness/scenarios/io_cancel/suite.js";
import { cli } from "../gate/fixtures.js";

function env(release: string, values: Record<string, string>, origin?: string): Environment {
  return { release, version: "#1", machine: "x86_64", consulted: new Map(), config: { ...(origin ? { origin } : {}), get: (o) => values[o] ?? "n" } };
}

const debian = env("6.12.117+deb12-cloud-amd64", { CONFIG_AIO: "m", CONFIG_USB_GADGET: "m" }, "/boot/config-6.12.117+deb12-cloud-amd64");
const fedora = env("6.18.44-fc-v769", { CONFIG_USB_GADGET: "n" }, "/proc/config.gz");
const unknown = (release: string) => env(release, { CONFIG_AIO: "unknown" });

describe("stable skip reasons", function () {
  it("a kernel config requirement: the same reason on two kernels, the values and paths in the detail", function () {
    const need = kernelConfig("CONFIG_AIO", ["y"], "needs AIO built in");
    const a = need.unmet(debian)!;
    const b = need.unmet(fedora)!;
    expect(a.reason).to.equal(b.reason).and.to.equal("needs AIO built in: needs CONFIG_AIO=y");
    expect(a.detail).to.equal("this kernel has CONFIG_AIO=m (/boot/config-6.12.117+deb12-cloud-amd64)");
    expect(b.detail).to.equal("this kernel has CONFIG_AIO is not set (/proc/config.gz)");
    const c = need.unmet(unknown("6.1.0-1"))!;
    const d = need.unmet(unknown("6.12.0-2"))!;
    expect(c.reason).to.equal(d.reason).and.to.not.include("/boot");
    expect(d.detail).to.include("/boot/config-6.12.0-2");
  });

  it("environment-only items: the same reason whatever the kernel's config", function () {
    for (const e of ioCancel.environmentOnly) {
      const a = e.reason(debian);
      const b = e.reason(fedora);
      expect(a.reason, e.id).to.equal(b.reason);
      expect(a.reason, e.id).to.not.match(/\/boot|\/proc|=m|is not set/);
    }
  });

  it("two live runs print identical KTAP result lines", function () {
    this.timeout(60000);
    const root = mkdtempSync(join(tmpdir(), "kapi-stable-"));
    try {
      const results = [1, 2].map((i) => cli("run", "--quiet", "--reports", join(root, String(i))));
      for (const r of results) expect(r.status, r.stderr).to.be.oneOf([0, 1, 4]);
      const resultLines = (ktap: string) => ktap.split("\n").filter((l) => /^ *(not )?ok \d+ /.test(l));
      expect(resultLines(results[0]!.stdout).length).to.be.greaterThan(10);
      expect(resultLines(results[1]!.stdout)).to.deep.equal(resultLines(results[0]!.stdout));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
