// SPDX-License-Identifier: GPL-2.0-only
// The close side effects observed at the last close follow the corpus specs:
// an edited copy of each spec that denies one of them makes exactly the case
// reading that item fail, in both dialects.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResults } from "../../harness/run/results.js";
import { skipBecause } from "../support/skip.js";
import { casesReading, corpusFile, failed, newFailures, runEdited, runOriginal, specUnderEdit, type SpecUnderEdit } from "./edit-spec.js";

const DIALECTS = [
  { name: "v5", file: /RFC_PATCH_v5_13_15_.*sys_close\.patch$/ },
  { name: "v4", file: /PATCH_v4_06_11_.*sys_close\.patch$/ },
];

/** One denial: the text replaced, and the side effect (or constraint) whose case must then fail. */
const DENIALS: Array<{ what: string; from: string; to: string; item: RegExp }> = [
  { what: "epoll removal", from: "epoll instances, it is removed", to: "epoll instances, it is not removed", item: /^epoll interest lists$/ },
  { what: "lease removal", from: "Any file leases held on the file are removed", to: "Any file leases held on the file are not removed", item: /^File leases$/ },
  { what: "unlinked file deletion", from: "file data to be removed from the", to: "file data never to be removed from the", item: /^Unlinked file deletion$/ },
  { what: "dnotify cleanup", from: "file are cleaned up via dnotify_flush()", to: "file are not cleaned up via dnotify_flush()", item: /^dnotify registrations$/ },
  { what: "the fd invalid after close", from: "fd is invalid", to: "fd is valid", item: /^File Descriptor Reuse Race$/ },
];

for (const dialect of DIALECTS) {
  describe(`close (${dialect.name}): a denied side effect fails exactly the case reading it`, function () {
    let under: SpecUnderEdit;
    let dir: string;
    let base: RunResults;

    before(async function () {
      const file = corpusFile(dialect.file);
      if (!file) skipBecause(this, `the ${dialect.name} close spec is not in ../shared/kapi-corpus (the corpus lives outside the project)`);
      under = specUnderEdit(file, "close");
      dir = mkdtempSync(join(tmpdir(), `kapi-conform-close-${dialect.name}-edited-`));
      base = await runOriginal(under);
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    it("the unedited spec fails no case", function () {
      expect(failed(base)).to.deep.equal([]);
    });

    for (const denial of DENIALS) {
      it(`${denial.what} denied`, async function () {
        const r = await runEdited(under, dir, denial.what.replace(/\W+/g, "-"), (t) => t.replace(denial.from, denial.to));
        const expected = await casesReading(under, (item) => (item.section === "sideEffects" || item.section === "constraints") && denial.item.test(item.summary));
        expect(expected).to.have.length(1);
        expect(newFailures(r, base)).to.deep.equal(expected);
      });
    }

    it("the mount reference's release denied: the case observing it fails", async function () {
      const [from, to] = dialect.name === "v5" ? ["frees the file structure, releases", "frees the file structure, does not release"] : ["mount references are released", "mount references are not released"];
      const r = await runEdited(under, dir, "mount-kept", (t) => t.replace(from, to));
      expect(newFailures(r, base)).to.deep.equal(["close.last-close-own-mount.mount-released"]);
    });

    it("POSIX lock removal denied: the dup case fails, the baseline's 'all advisory locks' sentence still holds", async function () {
      const r = await runEdited(under, dir, "posix-kept", (t) => t.replace("POSIX locks are removed via", "POSIX locks are not removed via"));
      expect(newFailures(r, base)).to.deep.equal(["close.posix-locked-with-dup.posix-lock-released"]);
    });

    it("the release callback denied (v5 names it): the pipe case fails", async function () {
      if (dialect.name !== "v5") skipBecause(this, "the v4 spec does not name the release callback");
      const r = await runEdited(under, dir, "no-release", (t) => t.replace("and invokes the file's release callback", "and never invokes the file's release callback"));
      expect(newFailures(r, base)).to.deep.equal(["close.last-close-pipe-writer.release-called"]);
    });

    it("values above INT_MAX called valid: the fd of INT_MAX + 1 fails, expecting success", async function () {
      const r = await runEdited(under, dir, "above-int-max-valid", (t) => t.replace("invalid due to internal checks", "accepted due to internal checks"));
      expect(newFailures(r, base)).to.deep.equal(["close.above-int-max.rejected"]);
    });
  });
}
