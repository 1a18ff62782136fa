// SPDX-License-Identifier: GPL-2.0-only
// The setup script picks libaio's package by what the distribution has:
// libaio1t64 (libaio.so.1t64) on Debian 13 and Ubuntu 24.04, where libaio1 does
// not exist; libaio1 on Debian 12. Run with stand-ins for dpkg-query, apt-cache
// and id on PATH (as a user who cannot install), so it only names what it would install.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPTIONAL_LIBRARIES } from "../../harness/vm/initramfs.js";

function setupOn(distribution: { has: string[]; installed?: string }): string {
  const bin = mkdtempSync(join(tmpdir(), "kapi-conform-setup-"));
  try {
    const write = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    write("id", "echo 1000");
    write("dpkg-query", `[ "$3" = "${distribution.installed ?? "-"}" ] && printf 'install ok installed'; exit 0`);
    write("apt-cache", `case " ${distribution.has.join(" ")} " in *" $2 "*) echo "Package: $2"; exit 0;; esac; exit 100`);
    const r = spawnSync("bash", ["harness/setup/system-packages.sh"], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` } });
    return r.stderr;
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

describe("setup: libaio on Debian 12, Debian 13 and Ubuntu 24.04", () => {
  it("wants libaio1t64 where the distribution has it (Debian 13, Ubuntu 24.04)", () => {
    const said = setupOn({ has: ["libaio1t64", "gcc", "libc6-dev", "manpages-dev"] });
    expect(said).to.match(/libaio1t64 not installed/);
    expect(said).to.not.match(/libaio1 not installed/);
  });

  it("wants libaio1 where that is the package (Debian 12)", () => {
    const said = setupOn({ has: ["libaio1", "gcc", "libc6-dev", "manpages-dev"] });
    expect(said).to.match(/libaio1 not installed/);
  });

  it("wants neither when one is installed", () => {
    expect(setupOn({ has: ["libaio1", "libaio1t64"], installed: "libaio1t64" })).to.not.match(/libaio/);
  });

  it("the package and the VM carry either soname", () => {
    expect(OPTIONAL_LIBRARIES).to.include.members(["libaio.so.1", "libaio.so.1t64"]);
  });
});
