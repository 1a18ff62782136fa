// SPDX-License-Identifier: GPL-2.0-only
// The bundle's entry point (bundle.ts). One file plays every part the built
// project plays with separate files: the CLI, the isolated worker and the
// helper processes. The part is the name of the file Node was started with:
// a launcher beside the bundle (worker.js, ...) imports it, and anything else
// (the bundle itself, a symlink to it) is the CLI. Parts are imported lazily,
// so only the chosen one runs its top-level code.
import { basename } from "node:path";

// The suite module the registry imports by path resolves to a launcher that re-exports this.
export { ioCancelSuite } from "../scenarios/io_cancel/suite.js";
export { xattrSuite } from "../scenarios/xattr/suite.js";
export { madviseSuite } from "../scenarios/madvise/suite.js";
export { openSuite } from "../scenarios/open/suite.js";
export { closeSuite } from "../scenarios/close/suite.js";
export { readSuite } from "../scenarios/read/suite.js";
export { writeSuite } from "../scenarios/write/suite.js";
export { ioSetupSuite } from "../scenarios/io_setup/suite.js";
export { ioDestroySuite } from "../scenarios/io_destroy/suite.js";
export { ioSubmitSuite } from "../scenarios/io_submit/suite.js";

const ROLES: Record<string, () => Promise<unknown>> = {
  worker: () => import("../run/worker.js"),
  "foreign-context.child": () => import("../scenarios/io_cancel/foreign-context.child.js"),
  "pipe-writer.child": () => import("../scenarios/io_cancel/pipe-writer.child.js"),
  "fanotify-deny.child": () => import("../scenarios/read/fanotify-deny.child.js"),
  // A worker thread: its process.argv[1] is the file the Worker was made with.
  "destroy-racer.worker": () => import("../scenarios/io_destroy/destroy-racer.worker.js"),
};

// A relocated Node started through its own dynamic loader reports the loader as
// its executable; the package's launcher names the command that starts Node
// again, so workers and helpers start the same way.
if (process.env.KAPI_CONFORM_NODE) process.execPath = process.env.KAPI_CONFORM_NODE;

const role = basename(process.argv[1] ?? "").replace(/\.js$/, "");
// Not awaited: the bundle must finish loading before a part imports the suite launcher, which imports the bundle.
(ROLES[role] ?? (() => import("../cli/main.js")))().catch((err: unknown) => {
  process.stderr.write(`kapi-conform: cannot start ${role}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
