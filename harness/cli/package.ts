// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform package --kselftest DIR [--tar FILE.tar.gz]`: a kselftest
// install tree of the suite (harness/package/kselftest.ts), optionally packed
// as a tarball for tuxrun-style overlays.
import { parseCommandArgs } from "./args.js";
import { InputError, UsageError } from "./errors.js";
import { ensureReportsDir } from "./reports-dir.js";
import { COLLECTION, TEST_PROGRAM, writeKselftest, writeTarball } from "../package/kselftest.js";
import { packageRoot } from "../spec/root.js";

export const PACKAGE_USAGE = `usage: kapi-conform package --kselftest DIR [--tar FILE.tar.gz]

Writes a kselftest install tree into DIR: ${COLLECTION}/${TEST_PROGRAM} (the test
program), ${COLLECTION}/settings, the one-file bundle with ffi-rs's native module
and the specs, this host's Node with its shared libraries, and a
'${COLLECTION}:${TEST_PROGRAM}' line in DIR/kselftest-list.txt. Copy the
kernel's run_kselftest.sh and kselftest/ into DIR, then
'./run_kselftest.sh -c ${COLLECTION}' runs it on a machine without Node.

options:
  --kselftest DIR   the install tree to write (created; DIR/${COLLECTION} is replaced)
  --tar FILE        also pack DIR's contents into FILE (.tar.gz)
  -h, --help        show this help`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("package", argv, {
    kselftest: { type: "string" },
    tar: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(PACKAGE_USAGE + "\n");
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`package: unexpected argument '${positionals[0]}'`);
  if (values.kselftest === undefined) throw new UsageError("package: --kselftest DIR is required (try 'kapi-conform package --help')");
  if (values.tar !== undefined && !/\.(tar\.gz|tgz)$/.test(values.tar)) throw new UsageError(`package: --tar wants a .tar.gz file, not '${values.tar}'`);
  await ensureReportsDir(values.kselftest);
  const started = Date.now();
  let built;
  try {
    built = await writeKselftest(packageRoot(), values.kselftest);
  } catch (err) {
    // A missing build, esbuild or native module: one line, what to do.
    throw new InputError(`package: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  }
  process.stderr.write(`kapi-conform: wrote ${built.files.length} files (${(built.bytes / 1e6).toFixed(1)} MB) to ${built.dir}/${COLLECTION} in ${Date.now() - started} ms\n`);
  if (values.tar !== undefined) {
    await writeTarball(built.dir, values.tar);
    process.stderr.write(`kapi-conform: packed ${built.dir} into ${values.tar}\n`);
  }
  return 0;
}
