// SPDX-License-Identifier: GPL-2.0-only
// Errors the CLI turns into one line on stderr and exit 2, never a stack trace.

/** Bad command-line arguments. */
export class UsageError extends Error {
  override name = "UsageError";
}

