// SPDX-License-Identifier: GPL-2.0-only
// Skipping a soak test with the reason on stderr (stdout may be a TAP stream),
// so a skipped check is never mistaken for a passed one.

export function skipWith(ctx: Mocha.Context, reason: string): never {
  process.stderr.write(`skip: ${reason}\n`);
  ctx.skip();
}
