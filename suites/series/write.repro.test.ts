// SPDX-License-Identifier: GPL-2.0-only
// write: the cases that fail on this kernel, confirmed in C (see repro.ts).
import { describeRepro } from "./repro.js";

describeRepro("write", {
  "write.count-negative.rejected": "write-count-negative",
  "write.offset-plus-count-overflows.rejected": "write-offset-overflow",
});
