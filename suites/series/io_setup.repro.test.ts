// SPDX-License-Identifier: GPL-2.0-only
// Every case of the io_setup suite that fails on this kernel is confirmed by
// suites/series/io_setup.repro.c (same condition, raw syscall() from C, same
// result), and listed in suites/series/expectations.yaml.
import { describeConfirmation } from "./aio.repro.js";

describeConfirmation("io_setup", "v5_05_");
