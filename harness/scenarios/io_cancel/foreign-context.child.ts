// SPDX-License-Identifier: GPL-2.0-only
// Child side of foreign-context.ts: set up a context, print its id, keep it
// alive until stdin closes, then destroy it. When io_setup fails it prints
// "io_setup ERRNO" instead, so the parent can tell exhaustion from a crash.
import { AioContext, SyscallError } from "../../kernel/aio.js";
import { dieWithParent } from "../../run/parent-death.js";

dieWithParent();

let ctx: AioContext;
try {
  ctx = AioContext.setup(1);
} catch (err) {
  if (!(err instanceof SyscallError)) throw err;
  process.stdout.write(`${err.syscall} ${err.errno ?? String(err.ret)}\n`);
  process.exit(1);
}
process.stdout.write(`${ctx.id}\n`);
process.stdin.resume();
process.stdin.on("end", () => {
  ctx.destroy();
  process.exit(0);
});
