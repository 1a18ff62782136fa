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

        if (syscall === "open") {
          it("a condition moved to another block (O_NOFOLLOW on a symlink: from ELOOP to EISDIR)", async function () {
            const { run, affected } = await expectExactly((t) => t.replace(ELOOP_NOFOLLOW, "").replace(EISDIR_END, `${EISDIR_END.trimEnd().replace(/\.$/, "")}, or when\n${ELOOP_NOFOLLOW}`), "moved");
            expect(affected).to.include("open.nofollow-symlink.rejected");
            expect(run.cases.find((c) => c.id === "open.nofollow-symlink.rejected")?.reason).to.match(/EISDIR/).and.to.match(/ELOOP/);
          });
        }
      });
    }
  });
}
