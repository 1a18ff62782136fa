// SPDX-License-Identifier: GPL-2.0-only
// close: no case fails on this kernel; the test proves it stays so (a new
// failure would have no C reproduction and fail here).
import { describeRepro } from "./repro.js";

describeRepro("close", {});
