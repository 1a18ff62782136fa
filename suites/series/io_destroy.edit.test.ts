// SPDX-License-Identifier: GPL-2.0-only
// Verdicts follow the io_destroy spec (RFC v5): an errno renamed, the success
// value changed, a condition moved to a new error block.
import { describeSpecEdits } from "./aio.edits.js";
import { lineOf } from "./edit-spec.js";

const FOREIGN = "+ * error: EPERM, Context of another process";

describeSpecEdits("io_destroy", /^2025-12-19__RFC_PATCH_v5_06_15_/, [
  {
    name: "einval-renamed",
    title: "EINVAL renamed to ENOENT",
    edit: (t) => t.replace("+ * error: EINVAL, Invalid context", "+ * error: ENOENT, Invalid context"),
    anchors: ["io_destroy.ctx-zero.rejected", "io_destroy.ctx-never-created.rejected", "io_destroy.destroy.destroy-again"],
    reasonIncludes: (t) => ["ENOENT", `:${lineOf(t, "+ * error: ENOENT, Invalid context")}`],
  },
  {
    name: "success-1",
    title: "success value changed from 0 to 1",
    edit: (t) => t.replace("+ *   success: 0", "+ *   success: 1"),
    anchors: ["io_destroy.destroy.returns-success", "io_destroy.pending-poll.destroyed", "io_destroy.as-nobody.destroyed"],
    reasonIncludes: (t) => [`:${lineOf(t, "+ * return:")}`],
  },
  {
    name: "foreign-moved-to-eperm",
    title: "condition (2), another process's context, moved to a new EPERM block",
    edit: (t) =>
      t
        .replace("(1) ctx was never returned by io_setup,\n+ *     (2) ctx was returned by io_setup in a different process, (3)", "(1) ctx was never returned by io_setup,\n+ *     (3)")
        .replace("+ * lock: mm->ioctx_lock", `${FOREIGN}\n+ *   desc: ctx was returned by io_setup in a different process.\n+ *\n+ * lock: mm->ioctx_lock`),
    anchors: ["io_destroy.ctx-other-process.rejected"],
    reasonIncludes: () => ["EPERM"],
  },
]);
