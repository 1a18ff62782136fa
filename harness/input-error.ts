// SPDX-License-Identifier: GPL-2.0-only
// Input that cannot be read or used (a missing file, no specs found, a bad
// results or expectations file). Every layer that reads input throws it; the
// CLI turns it into one line on stderr and exit 2, never a stack trace.

export class InputError extends Error {
  override name = "InputError";
}
