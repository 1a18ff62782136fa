// SPDX-License-Identifier: GPL-2.0-only
// open: the cases that fail on this kernel, confirmed in C (see repro.ts).
import { describeRepro } from "./repro.js";

describeRepro("open", {
  "open.path-with-creat.rejected": "open-path-creat",
  "open.directory-and-creat.rejected": "open-directory-creat",
  "open.directory-and-creat.flags-text": "open-directory-creat",
  "open.tmpfile-unsupported.eisdir-text": "open-tmpfile-proc",
});
