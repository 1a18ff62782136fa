// SPDX-License-Identifier: GPL-2.0-only
// read: the cases that fail on this kernel, confirmed in C (see repro.ts).
import { describeRepro } from "./repro.js";

describeRepro("read", {
  "read.count-negative.rejected": "read-count-negative",
  "read.offset-plus-count-overflows.rejected": "read-offset-overflow",
  "read.write-only-fd.io-accounting": "read-accounting-write-only",
  "read.mode-000-as-nobody.cap-dac-override": "read-mode000-dac-override",
  "read.mode-000-as-nobody.cap-dac-read-search": "read-mode000-dac-read-search",
});
