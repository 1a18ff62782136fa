// SPDX-License-Identifier: GPL-2.0-only
// mocha's this.skip() carries no reason, so every skip says it on stderr
// (stdout may be a TAP stream): a skipped check is never mistaken for a pass.

export function skipBecause(ctx: Mocha.Context, reason: string): never {
  const title = ctx.currentTest?.fullTitle() ?? ctx.test?.fullTitle() ?? "(hook)";
  process.stderr.write(`# SKIP ${title}: ${reason}\n`);
  ctx.skip();
}
