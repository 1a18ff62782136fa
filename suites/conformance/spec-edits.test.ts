// SPDX-License-Identifier: GPL-2.0-only
// Each kind of claim a check reads from the spec, proved to be read: an edit
// that makes the claim false on this kernel fails the case about that item,
// naming the edited line, and fails nothing that does not read the item (the
// plan says which cases read it). Harmless edits of form (words reordered,
// conditions unnumbered, reflowed prose, CRLF, v4 aliases, the spec inside an
// mbox or a C file) leave every verdict unchanged.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResults } from "../../harness/run/results.js";
import type { SpecItem } from "../../harness/scenarios/target.js";
import { casesReading, failed, lineOf, original, runEdited, runText, verdicts } from "./edited.js";

let dir: string;

interface WrongClaim {
  what: string;
  /** The case about the edited item. */
  caseId: string;
  /** Text of the edited line, found in the original to compute its line number. */
  line: string;
  edit: (text: string) => string;
  /** Which items the edit touches, to ask the plan which cases read them. */
  item: (i: SpecItem) => boolean;
}

const replaceOnce = (from: string, to: string) => (text: string): string => {
  expect(text.includes(from), `the spec no longer holds "${from}"`).to.equal(true);
  return text.replace(from, to);
};

const WRONG_CLAIMS: WrongClaim[] = [
  {
    what: "a state transition's direction reversed (from: and to: swapped)",
    caseId: "io_cancel.poll-cancel.removed-at-once",
    line: "+ * state-trans: kiocb state",
    edit: (t) =>
      replaceOnce("+ *   from: in_flight (in active_reqs list)\n+ *   to: cancelling (removed from list, cancel callback invoked)", "+ *   from: cancelling (removed from list, cancel callback invoked)\n+ *   to: in_flight (in active_reqs list)")(t),
    item: (i) => i.section === "stateTransitions" && i.index === 0,
  },
  {
    what: "a side effect's desc claiming the opposite (the kiocb is not removed)",
    caseId: "io_cancel.poll-cancel.gone-after-completion",
    line: "+ * side-effect: KAPI_EFFECT_MODIFY_STATE\n+ *   target: ctx->active_reqs list",
    edit: replaceOnce("+ *     kiocb is removed from the context's active_reqs list via list_del_init().\n+ *     This prevents the iocb from being found by subsequent io_cancel calls.", "+ *     kiocb is not removed from the context's active_reqs list.\n+ *     A later io_cancel finds it again."),
    item: (i) => i.section === "sideEffects" && i.index === 0,
  },
  {
    what: "OUT on a parameter the kernel leaves untouched (result)",
    caseId: "io_cancel.poll-cancel.result-direction",
    line: "+ * param: result",
    edit: replaceOnce("+ *   flags: KAPI_PARAM_IN | KAPI_PARAM_USER | KAPI_PARAM_OPTIONAL", "+ *   flags: KAPI_PARAM_OUT | KAPI_PARAM_USER | KAPI_PARAM_OPTIONAL"),
    item: (i) => i.section === "params" && i.summary === "result",
  },
  {
    what: "an errno named in a constraint (the timing window's EINVAL as EAGAIN)",
    caseId: "io_cancel.cancel-race.one-outcome-each",
    line: "+ *     io_cancel is invoked. In this case, EINVAL is returned because the",
    edit: replaceOnce("+ *     io_cancel is invoked. In this case, EINVAL is returned because the", "+ *     io_cancel is invoked. In this case, EAGAIN is returned because the"),
    item: (i) => i.section === "claims" && i.owner?.section === "constraints" && /EAGAIN|EINVAL/.test(i.errno ?? ""),
  },
  {
    what: "an errno named in a parameter's constraint text (a NULL iocb as EINVAL)",
    caseId: "io_cancel.iocb-null.rejected",
    line: "+ *     A NULL pointer will result in EFAULT.",
    edit: replaceOnce("+ *     A NULL pointer will result in EFAULT.", "+ *     A NULL pointer will result in EINVAL."),
    item: (i) => (i.section === "claims" && i.owner?.section === "params") || (i.section === "params" && i.summary === "iocb"),
  },
  {
    what: "the return's check-type (ERROR_CHECK as FD)",
    caseId: "io_cancel.poll-cancel.return-check-type",
    line: "+ *   check-type: KAPI_RETURN_ERROR_CHECK",
    edit: replaceOnce("+ *   check-type: KAPI_RETURN_ERROR_CHECK", "+ *   check-type: KAPI_RETURN_FD"),
    item: (i) => i.section === "return",
  },
];

describe("every kind of claim is read from the spec: a wrong claim fails its case, naming the edited line", function () {
  before(() => (dir = mkdtempSync(join(tmpdir(), "kapi-conform-claims-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const claim of WRONG_CLAIMS) {
    it(claim.what, async function () {
      const r = await runEdited(dir, claim.caseId, claim.edit);
      const c = r.cases.find((x) => x.id === claim.caseId);
      expect(c?.verdict, `${claim.caseId}: ${c?.reason ?? "no result"}`).to.equal("fail");
      // The reason names the line of the item (or of the sentence) the claim was read from.
      const itemLine = lineOf(original, claim.line);
      const named = [...(c!.reason ?? "").matchAll(/\.txt:(\d+)/g)].map((m) => Number(m[1]));
      expect(named.some((n) => n <= itemLine && itemLine - n < 30), `${c!.reason} names line ${itemLine} or its item's header`).to.equal(true);
      const readers = await casesReading(claim.item);
      expect(readers).to.include(claim.caseId);
      for (const id of failed(r)) expect(readers, `${id} failed, but the plan says it does not read the edited item`).to.include(id);
    });
  }
});

const toV4Aliases = (t: string): string =>
  t
    .replaceAll("KAPI_PARAM_IN", "input")
    .replaceAll("KAPI_PARAM_USER", "user")
    .replaceAll("KAPI_PARAM_OPTIONAL", "optional")
    .replaceAll("KAPI_TYPE_USER_PTR", "user_ptr")
    .replaceAll("KAPI_TYPE_UINT", "uint")
    .replaceAll("KAPI_TYPE_INT", "int")
    .replaceAll("KAPI_RETURN_ERROR_CHECK", "error_check")
    .replaceAll("KAPI_EFFECT_MODIFY_STATE", "modify_state")
    .replaceAll("KAPI_EFFECT_SCHEDULE", "schedule");

/** The patch of the archive page, as a mail in an mbox. */
function asMbox(t: string): string {
  const patch = t.slice(t.indexOf("diff --git"), t.indexOf("-- \n2.51.0"));
  return `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001\nFrom: Sasha Levin <sashal@kernel.org>\nSubject: [RFC PATCH v5 08/15] kernel/api: add API specification for io_cancel\n\n---\n${patch}-- \n2.51.0\n`;
}

/** The post-image of the patch as a C source file. */
function asCFile(t: string): string {
  const start = t.indexOf("+/**");
  const end = t.indexOf("-- \n2.51.0");
  return t
    .slice(start, end)
    .split("\n")
    .filter((l) => !l.startsWith("-"))
    .map((l) => l.slice(1))
    .join("\n");
}

const HARMLESS: Array<{ what: string; name: string; make: (t: string) => string }> = [
  { what: "an error summary with its words reordered", name: "reordered.txt", make: replaceOnce("+ * error: EINVAL, Invalid AIO context", "+ * error: EINVAL, AIO context is invalid") },
  {
    what: "the six context conditions written as prose without numbers",
    name: "unnumbered.txt",
    make: (t) => {
      let out = t;
      for (let n = 1; n <= 6; n++) out = out.replace(`(${n}) `, "");
      return out;
    },
  },
  {
    what: "prose reflowed to other line breaks",
    name: "reflowed.txt",
    make: replaceOnce(
      "+ *   desc: Returned if ctx_id does not refer to a valid AIO context. This can\n+ *     occur if: (1) the context was never created, (2) the context was",
      "+ *   desc: Returned if ctx_id does not refer to a valid AIO context.\n+ *     This can occur if: (1) the context was never created, (2) the\n+ *     context was",
    ),
  },
  { what: "CRLF line ends", name: "crlf.txt", make: (t) => t.replaceAll("\n", "\r\n") },
  { what: "the v4 lower-case aliases", name: "v4-aliases.txt", make: toV4Aliases },
  { what: "the spec inside an mbox", name: "io_cancel.mbox", make: asMbox },
  { what: "the spec in a C file", name: "aio.c", make: asCFile },
];

describe("harmless edits of form leave every verdict unchanged", function () {
  let baseline: RunResults;
  before(async function () {
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-harmless-"));
    baseline = await runText(dir, "original.txt", original);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const edit of HARMLESS) {
    it(edit.what, async function () {
      const text = edit.make(original);
      expect(text).to.not.equal(original);
      const r = await runText(dir, edit.name, text);
      expect(verdicts(r)).to.deep.equal(verdicts(baseline));
    });
  }
});
