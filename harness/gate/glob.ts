// SPDX-License-Identifier: GPL-2.0-only
// Case-id globs for expectations files: `*` is any run of characters (dots
// included, so `io_cancel.poll-cancel.*` takes every poll-cancel case) and `?`
// one character. Hand-written because node's path.matchesGlob is experimental
// on Node 20 (it prints a warning) and gives `*` path semantics.

const SPECIAL = /[.+^${}()|[\]\\]/g;

export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(SPECIAL, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

