// SPDX-License-Identifier: GPL-2.0-only
// Child side of foreign-context.ts: set up a context, print its id, keep it
// alive until stdin closes, then destroy it.
import { AioContext } from "../../kernel/aio.js";

const ctx = AioContext.setup(1);
process.stdout.write(`${ctx.id}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  ctx.destroy();
  process.exit(0);
});
