// SPDX-License-Identifier: GPL-2.0-only
// The kernel's own test tooling, from Debian's linux-source-6.12 package:
// run_kselftest.sh with kselftest/ (the kselftest runner) and
// tools/testing/kunit/*.py (the KTAP parser). The .deb (about 150 MB) is
// fetched with `apt-get download` into the project cache (harness/vm/cache.ts)
// and only those files are unpacked, once; later calls read the cache.
// Unavailable (no apt, no network, no package in the sources) is a reason to
// skip, returned as text, never an exception.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cacheDir } from "../../harness/vm/cache.js";

export const LINUX_SOURCE_PACKAGE = "linux-source-6.12";
const MEMBERS = ["tools/testing/selftests/run_kselftest.sh", "tools/testing/selftests/kselftest", "tools/testing/kunit/*.py"];

export interface KernelTools {
  /** The unpacked tree's root: holds tools/testing/... */
  root: string;
  /** tools/testing/selftests (run_kselftest.sh and kselftest/). */
  selftests: string;
  /** tools/testing/kunit (kunit_parser.py and the modules it imports). */
  kunit: string;
  /** The .deb it came from. */
  deb: string;
}

function sh(cmd: string, args: string[], cwd?: string): { ok: boolean; why: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 600_000, maxBuffer: 1 << 20 });
  if (r.error) return { ok: false, why: `${cmd}: ${r.error.message}` };
  const lines = `${r.stderr ?? ""}`.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("W:"));
  return { ok: r.status === 0, why: `${cmd} ${args[0] ?? ""} exited ${r.status}: ${lines.at(-1) ?? "no message"}` };
}

function cachedDeb(dir: string): string | undefined {
  const name = readdirSync(dir)
    .filter((n) => n.startsWith(`${LINUX_SOURCE_PACKAGE}_`) && n.endsWith(".deb"))
    .sort()
    .at(-1);
  return name && join(dir, name);
}

/** The kernel's kselftest runner and KTAP parser, or the reason they cannot be had here. */
export async function kernelTools(): Promise<KernelTools | string> {
  const dir = await cacheDir("linux-source");
  let deb = cachedDeb(dir);
  if (!deb) {
    if (!existsSync("/usr/bin/apt-get")) return `${LINUX_SOURCE_PACKAGE} is not cached in ${dir} and there is no apt-get to download it`;
    let got = sh("apt-get", ["download", "-qq", LINUX_SOURCE_PACKAGE], dir);
    // A fresh machine has no package lists yet.
    if (!got.ok) got = sh("apt-get", ["update", "-qq"]).ok ? sh("apt-get", ["download", "-qq", LINUX_SOURCE_PACKAGE], dir) : got;
    deb = cachedDeb(dir);
    if (!got.ok || !deb) return `cannot download Debian's ${LINUX_SOURCE_PACKAGE} (${got.why})`;
  }
  const root = join(dir, deb.slice(dir.length + 1).replace(/\.deb$/, ""));
  const tools = { root, selftests: join(root, "tools/testing/selftests"), kunit: join(root, "tools/testing/kunit"), deb };
  if (existsSync(join(tools.kunit, "kunit_parser.py")) && existsSync(join(tools.selftests, "run_kselftest.sh"))) return tools;
  // Unpacked aside and renamed, so an interrupted unpack is never taken for a complete one.
  const partial = `${root}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const script =
    `set -o pipefail; dpkg-deb --fsys-tarfile "$1" | tar -xO ./usr/src/${LINUX_SOURCE_PACKAGE}.tar.xz | ` +
    `tar -xJ --wildcards --strip-components=1 -C "$2" ${MEMBERS.map((m) => `'${LINUX_SOURCE_PACKAGE}/${m}'`).join(" ")}`;
  const unpacked = sh("bash", ["-c", script, "unpack", deb, partial]);
  if (!unpacked.ok || !existsSync(join(partial, "tools/testing/kunit/kunit_parser.py"))) {
    rmSync(partial, { recursive: true, force: true });
    return `cannot unpack ${deb} (${unpacked.why})`;
  }
  rmSync(root, { recursive: true, force: true });
  renameSync(partial, root);
  return tools;
}
