// SPDX-License-Identifier: GPL-2.0-only
// Verdicts follow the io_setup spec (RFC v5): an errno renamed, the success
// value changed, a condition moved to another error block.
import { describeSpecEdits } from "./aio.edits.js";
import { lineOf } from "./edit-spec.js";

const EAGAIN = "+ * error: EAGAIN, Resource limit exceeded";

describeSpecEdits("io_setup", /^2025-12-19__RFC_PATCH_v5_05_15_/, [
  {
    name: "efault-renamed",
    title: "EFAULT renamed to ENXIO",
    edit: (t) => t.replace("+ * error: EFAULT, Invalid pointer", "+ * error: ENXIO, Invalid pointer"),
    anchors: ["io_setup.ctxp-null.rejected", "io_setup.ctxp-read-only.rejected", "io_setup.ctxp-unreadable.rejected"],
    reasonIncludes: (t) => ["ENXIO", `:${lineOf(t, "+ * error: ENXIO, Invalid pointer")}`],
  },
  {
    name: "success-1",
    title: "success value changed from 0 to 1",
    edit: (t) => t.replace("+ *   success: 0", "+ *   success: 1"),
    anchors: ["io_setup.create.returns-success", "io_setup.second-context.accepted", "io_setup.as-nobody.accepted"],
    reasonIncludes: (t) => [`:${lineOf(t, "+ * return:")}`],
  },
  {
    name: "zero-moved-to-eagain",
    title: '"nr_events is 0" moved from EINVAL to EAGAIN',
    edit: (t) =>
      t
        .replace("uninitialized memory), or nr_events is 0, or nr_events", "uninitialized memory), or nr_events")
        .replace("current aio-max-nr value. Unlike ENOMEM", "current aio-max-nr value, or if nr_events is 0. Unlike ENOMEM"),
    anchors: ["io_setup.nr-events-zero.rejected"],
    reasonIncludes: (t) => ["EAGAIN", `:${lineOf(t, EAGAIN)}`],
  },
]);
