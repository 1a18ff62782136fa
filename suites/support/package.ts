// SPDX-License-Identifier: GPL-2.0-only
// One kselftest package per test process (`kapi-conform package --kselftest
// DIR --tar FILE`, about 100 MB, a few seconds), shared by the suites that
// install it, and removed when the process ends.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BuiltPackage {
  /** The tree `--kselftest` wrote. */
  tree: string;
  /** The `--tar` tarball of it. */
  tarball: string;
  /** The command's stderr (its one-line size report). */
  log: string;
}

let built: BuiltPackage | undefined;

export function builtPackage(): BuiltPackage {
  if (built) return built;
  const work = mkdtempSync(join(tmpdir(), "kapi-conform-package-"));
  process.on("exit", () => rmSync(work, { recursive: true, force: true }));
  const tree = join(work, "tree");
  const tarball = join(work, "kapi-kselftest.tar.gz");
  const r = spawnSync(process.execPath, ["build/harness/cli/main.js", "package", "--kselftest", tree, "--tar", tarball], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`kapi-conform package exited ${r.status}: ${r.stderr}`);
  return (built = { tree, tarball, log: r.stderr });
}
