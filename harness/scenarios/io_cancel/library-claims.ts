// SPDX-License-Identifier: GPL-2.0-only
// What io_cancel's spec says about the C libraries around it, checked on this
// machine: glibc exports no io_cancel wrapper, and libaio's wrapper returns the
// negative errno directly instead of -1 with errno. The libaio results are
// compared with the raw syscall on the same inputs, not with numbers we wrote.
// The suite's `libraryClaims` hook: drift runs it in the isolated worker.
import type { Spec } from "../../spec/model.js";
import type { LibraryClaimRow, LibraryClaims } from "../../drift/library-claims.js";
import { glibcExports, loadLibaio } from "../../kernel/libaio.js";
import { ResourceScope } from "../../kernel/scope.js";
import { syscall, type SyscallResult } from "../../kernel/syscall.js";
import { kernelReturn } from "../../run/expectation.js";
import { errorMessage } from "../../run/execute.js";
import { pendingPoll } from "../resources/aio.js";

/** The sentence of the spec's notes that matches, if any. */
function noteSentence(spec: Spec, pattern: RegExp): string | undefined {
  const text = spec.notes?.text.replace(/\s+/g, " ") ?? "";
  return text.split(/(?<=\.)\s+/).find((s) => pattern.test(s));
}

const show = (v: bigint | undefined): string => (v === undefined ? "?" : v.toString());

function glibcRow(spec: Spec): LibraryClaimRow {
  const claim = noteSentence(spec, /no glibc wrapper/i);
  const exported = glibcExports(spec.name);
  const observed = `libc.so.6 ${exported ? "exports" : "does not export"} ${spec.name}`;
  if (!claim) return { claim: "glibc wrapper", spec: "the spec's notes say nothing about glibc", observed, verdict: "no claim in the spec" };
  return { claim: "glibc has no wrapper", spec: claim, observed, verdict: exported ? "disagrees" : "agrees" };
}

/** Makes the same io_cancel call through the raw syscall and through libaio, on fresh state each time. */
function bothWays(
  setup: (scope: ResourceScope) => [bigint, bigint, bigint],
  viaLibaio: (args: [bigint, bigint, bigint]) => bigint,
): { raw: SyscallResult; libaio: bigint } {
  const run = <T>(f: (args: [bigint, bigint, bigint]) => T): T => {
    const scope = new ResourceScope();
    try {
      return f(setup(scope));
    } finally {
      scope.releaseAll();
    }
  };
  return { raw: run((a) => syscall("io_cancel", ...a)), libaio: run(viaLibaio) };
}

function libaioRow(spec: Spec): LibraryClaimRow {
  const claim = noteSentence(spec, /libaio.*(negative error numbers? directly|negative errno)/i);
  const spoken = claim !== undefined;
  const libaio = loadLibaio();
  if (!libaio.available) return { claim: "libaio returns -errno", spec: claim ?? "no claim", observed: libaio.reason, verdict: "skipped" };
  let failing: ReturnType<typeof bothWays>;
  let success: ReturnType<typeof bothWays>;
  try {
    failing = bothWays(
      (scope) => [pendingPoll(scope).ctx.id, 0n, 0n],
      (a) => libaio.ioCancel(...a),
    );
    success = bothWays(
      (scope) => {
        const poll = pendingPoll(scope);
        return [poll.ctx.id, poll.iocb.address, 0n];
      },
      (a) => libaio.ioCancel(...a),
    );
  } catch (err) {
    // No pending poll to cancel (io_setup EAGAIN when fs.aio-max-nr is reached): a skipped row, never a failed run.
    const why = errorMessage(err);
    return { claim: "libaio returns -errno", spec: claim ?? "no claim", observed: `not compared: ${why}`, verdict: "skipped" };
  }
  const failingKernel = kernelReturn(failing.raw);
  const successKernel = kernelReturn(success.raw);
  const direct = failing.libaio === failingKernel && success.libaio === successKernel && failing.libaio !== -1n;
  const observed =
    `NULL iocb: raw syscall ${failing.raw.ret}/${failing.raw.errno ?? "-"} (kernel ${show(failingKernel)}), libaio returned ${failing.libaio}; ` +
    `pending poll: raw ${success.raw.ret}/${success.raw.errno ?? "-"} (kernel ${show(successKernel)}), libaio returned ${success.libaio} (${libaio.path})`;
  if (!spoken) return { claim: "libaio returns -errno", spec: "the spec's notes say nothing about libaio's return convention", observed, verdict: "no claim in the spec" };
  return { claim: "libaio returns the negative errno directly", spec: claim!, observed, verdict: direct ? "agrees" : "disagrees" };
}

/** The rows io_cancel's spec gives rise to: the glibc wrapper and libaio's return convention. */
export const ioCancelLibraryClaims: LibraryClaims = (spec) => [glibcRow(spec), libaioRow(spec)];
