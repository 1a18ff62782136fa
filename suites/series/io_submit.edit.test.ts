// SPDX-License-Identifier: GPL-2.0-only
// Verdicts follow the io_submit spec (RFC v5): an errno renamed, the success
// clause changed, a condition moved to another error block.
import { describeSpecEdits } from "./aio.edits.js";
import { lineOf } from "./edit-spec.js";

const EOVERFLOW = "+ * error: EOVERFLOW, Value too large";

describeSpecEdits("io_submit", /^2025-12-19__RFC_PATCH_v5_07_15_/, [
  {
    name: "ebadf-renamed",
    title: "EBADF renamed to EIO",
    edit: (t) => t.replace("+ * error: EBADF, Bad file descriptor", "+ * error: EIO, Bad file descriptor"),
    anchors: ["io_submit.fd-negative.rejected", "io_submit.read-on-write-only.rejected", "io_submit.resfd-bad.rejected"],
    reasonIncludes: (t) => ["EIO", `:${lineOf(t, "+ * error: EIO, Bad file descriptor")}`],
  },
  {
    name: "success-minus-1",
    title: "success clause changed from >= 0 to -1",
    edit: (t) => t.replace("+ *   success: >= 0", "+ *   success: -1"),
    anchors: ["io_submit.pread.returns-success", "io_submit.three-reads.count", "io_submit.as-nobody.accepted"],
    reasonIncludes: (t) => [`:${lineOf(t, "+ * return:")}`],
  },
  {
    name: "aio-key-fault-moved",
    title: "EFAULT condition (5), aio_key cannot be written, moved to EOVERFLOW",
    edit: (t) =>
      t
        .replace("(4) aio_buf points to invalid memory, or\n+ *     (5) the kernel cannot write the aio_key field back to userspace.", "(4) aio_buf points to invalid memory.")
        .replace("or writing past the maximum representable file position.", "or writing past the maximum representable file position. Also returned if the kernel cannot write the aio_key field back to userspace."),
    anchors: ["io_submit.iocb-read-only.rejected"],
    reasonIncludes: (t) => ["EOVERFLOW", `:${lineOf(t, EOVERFLOW)}`],
  },
]);
