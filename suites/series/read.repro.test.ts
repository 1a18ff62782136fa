// SPDX-License-Identifier: GPL-2.0-only
// read: the cases that fail on this kernel, confirmed in C (see repro.ts).
import { describeRepro } from "./repro.js";

describeRepro("read", {
  "read.count-negative.rejected": "read-count-negative",
  "read.offset-plus-count-overflows.rejected": "read-offset-overflow",
});
