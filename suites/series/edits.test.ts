// SPDX-License-Identifier: GPL-2.0-only
// Verdicts follow each corpus spec of open, close, read and write: an errno
// renamed, a success value changed, a condition moved to another block. The
// cases that must fail are computed from the plan (edit-spec.ts); exactly
// those fail (besides the cases that fail on the unedited spec), and a moved
// condition fails naming both errnos.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { RunResults } from "../../harness/run/results.js";
import { skipBecause } from "../support/skip.js";
import { corpusSpecs, CORPUS, runCorpusSpec } from "./corpus.js";
import { casesAffectedByEdit, failed, runEdited, specUnderEdit, type SpecUnderEdit } from "./edit-spec.js";

/** The error block each syscall's rename edits (one its suite has cases about), and the errno it becomes (documented by none of these specs). */
const RENAMED: Record<string, string> = { open: "EISDIR, Is a directory", close: "EBADF, Bad file descriptor", read: "EISDIR, Is a directory", write: "EBADF, Bad file descriptor" };
const NEW_ERRNO = "ENOTTY";

const ELOOP_NOFOLLOW = "+ *     O_NOFOLLOW was specified but pathname refers to a symbolic link.\n";
const EISDIR_END = "+ *     used on a directory that doesn't support tmpfile operations.\n";

/** Appends `lines` (spec comment lines) to the desc of the error block `errno`, before the blank comment line that ends it. */
function appendToBlock(text: string, errno: string, lines: string): string {
  const block = new RegExp(`(\\+ \\* error: ${errno}, [^\\n]*\\n(?:\\+ \\*  [^\\n]*\\n)*)(\\+ \\*\\n)`);
  expect(block.test(text), `an ${errno} block`).to.equal(true);
  return text.replace(block, `$1${lines}$2`);
}

/** read's and write's first EINVAL condition (a file with no read or write method), moved into EIO. */
function noMethodToEio(syscall: "read" | "write"): (text: string) => string {
  const kind = syscall === "read" ? "reading" : "writing";
  const condition = `(1) The file descriptor refers to an\n+ *     object that is not suitable for ${kind} (no ${syscall} or ${syscall}_iter method).\n`;
  return (t) => appendToBlock(t.replace(`Returned in several cases: ${condition}`, "Returned in several cases:\n"), "EIO", `+ *     Also when the file descriptor refers to an object that is not\n+ *     suitable for ${kind} (no ${syscall} or ${syscall}_iter method).\n`);
}

/** Per syscall, a condition moved to another block: the edit, the case about it, and the two errnos its failure must name. */
const MOVED: Record<string, { what: string; edit: (text: string) => string; id: string; errnos: [string, string] }> = {
  open: {
    what: "O_NOFOLLOW on a symlink: from ELOOP to EISDIR",
    edit: (t) => t.replace(ELOOP_NOFOLLOW, "").replace(EISDIR_END, `${EISDIR_END.trimEnd().replace(/\.$/, "")}, or when\n${ELOOP_NOFOLLOW}`),
    id: "open.nofollow-symlink.rejected",
    errnos: ["ELOOP", "EISDIR"],
  },
  close: {
    what: "an fd out of range: from EBADF to EIO",
    edit: (t) =>
      appendToBlock(
        t.replace("Occurs when fd is out\n+ *     of range, has no file assigned, or was already closed.\n", "Occurs when fd has\n+ *     no file assigned, or was already closed.\n"),
        "EIO",
        "+ *     Also when fd is out of range.\n",
      ),
    id: "close.out-of-range.rejected",
    errnos: ["EBADF", "EIO"],
  },
  read: { what: "a file with no read method: from EINVAL to EIO", edit: noMethodToEio("read"), id: "read.no-read-method.rejected", errnos: ["EINVAL", "EIO"] },
  write: { what: "a file with no write method: from EINVAL to EIO", edit: noMethodToEio("write"), id: "write.no-write-method.rejected", errnos: ["EINVAL", "EIO"] },
};

for (const syscall of ["open", "close", "read", "write"]) {
  describe(`${syscall}: edited corpus specs fail exactly the cases the plan says read the edit`, function () {
    this.timeout(60_000);
    const specs = corpusSpecs(syscall);
    if (specs.length === 0) {
      it("edits the corpus specs", function () {
        skipBecause(this, `no ${syscall} spec in ${CORPUS}`);
      });
      return;
    }
    for (const { label, file } of specs) {
      describe(label, function () {
        let under: SpecUnderEdit;
        let baseline: RunResults;
        let dir: string;
        before(async function () {
          under = specUnderEdit(file, syscall);
          dir = mkdtempSync(join(tmpdir(), "kapi-conform-edit-"));
          baseline = await runCorpusSpec(file, syscall);
        });
        after(() => dir && rmSync(dir, { recursive: true, force: true }));

        async function expectExactly(edit: (text: string) => string, name: string): Promise<{ run: RunResults; affected: string[] }> {
          const text = edit(under.original);
          const affected = await casesAffectedByEdit(under, dir, text, baseline);
          expect(affected, `${name}: the plan says no case reads the edit`).to.not.be.empty;
          const run = await runEdited(under, dir, name, edit);
          expect(failed(run)).to.deep.equal([...new Set([...failed(baseline), ...affected])].sort());
          return { run, affected };
        }

        it(`an errno renamed (${RENAMED[syscall]} -> ${NEW_ERRNO})`, async function () {
          const [errno, words] = RENAMED[syscall]!.split(", ");
          const { run, affected } = await expectExactly((t) => t.replace(`* error: ${errno}, ${words}`, `* error: ${NEW_ERRNO}, ${words}`), "renamed");
          for (const id of affected) expect(run.cases.find((c) => c.id === id)?.reason ?? "", id).to.match(new RegExp(`${NEW_ERRNO}|${errno}`));
        });

        it("the success value changed (to 77777, which no call returns)", async function () {
          await expectExactly((t) => t.replace(/(\+ \* {3}success: ).*/, "$177777"), "success");
        });

        const moved = MOVED[syscall]!;
        it(`a condition moved to another block (${moved.what})`, async function () {
          const { id } = moved;
          const { run, affected } = await expectExactly(moved.edit, "moved");
          expect(affected).to.include(id);
          const reason = run.cases.find((c) => c.id === id)?.reason ?? "";
          for (const errno of moved.errnos) expect(reason, `${id}'s reason`).to.match(new RegExp(`\\b${errno}\\b`));
        });
      });
    }
  });
}
