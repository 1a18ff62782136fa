// SPDX-License-Identifier: GPL-2.0-only
// The read checks of side effects, capabilities, the signal item and the
// MAX_RW_COUNT constraint follow the corpus spec: an edited copy of the
// PATCH v4 read spec that denies or changes one such item makes exactly the
// case reading that item fail (beyond the unedited spec's confirmed
// disagreements), naming its line.
import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunResults } from "../../harness/run/results.js";
import { skipBecause } from "../support/skip.js";
import { casesExpectingFrom, casesReading, corpusFile, failed, lineOf, newFailures, runEdited, runOriginal, specUnderEdit, type SpecUnderEdit } from "./edit-spec.js";

const READ = /PATCH_v4_07_11_.*sys_read\.patch$/;

describe("read (PATCH v4): edited side effects, capabilities, signal and MAX_RW_COUNT fail exactly their cases", function () {
  this.timeout(120_000);
  let under: SpecUnderEdit;
  let dir: string;
  let base: RunResults;
  const reasonOf = (r: RunResults, id: string): string => r.cases.find((c) => c.id === id)?.reason ?? "";

  before(async function () {
    const file = corpusFile(READ);
    if (!file) skipBecause(this, "the PATCH v4 read spec is not in ../shared/kapi-corpus (the corpus lives outside the project)");
    under = specUnderEdit(file, "read");
    dir = mkdtempSync(join(tmpdir(), "kapi-conform-read-edited-"));
    base = await runOriginal(under);
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  /** Runs the edit and expects exactly `ids` to fail anew, each naming the edited item's first line (`header`, or the line before `firstField`). */
  async function onlyThese(name: string, from: string, to: string, ids: string[], at: { header: string } | { firstField: string }): Promise<void> {
    const r = await runEdited(under, dir, name, (t) => t.replace(from, to));
    expect(newFailures(r, base)).to.deep.equal(ids);
    const line = "header" in at ? lineOf(under.original, at.header) : lineOf(under.original, at.firstField) - 1;
    for (const id of ids) expect(reasonOf(r, id)).to.include(`:${line})`);
  }

  it("the unedited spec fails only on its confirmed disagreements", function () {
    expect(failed(base)).to.deep.equal(["read.count-negative.rejected", "read.offset-plus-count-overflows.rejected", "read.write-only-fd.io-accounting"]);
  });

  it("fsnotify denied: the inotify case fails", async function () {
    const read = await casesReading(under, (i) => i.section === "sideEffects" && i.summary === "fsnotify events");
    expect(read).to.deep.equal(["read.side-effects.fsnotify"]);
    await onlyThese("no-fsnotify", "Generates an FS_ACCESS fsnotify event", "Never generates an FS_ACCESS fsnotify event", read, { firstField: "+ *   target: fsnotify events" });
  });

  it("atime update denied: the two-day-old atime case fails, the O_NOATIME and recent-atime cases do not", async function () {
    const read = await casesReading(under, (i) => i.section === "sideEffects" && i.summary.includes("atime"));
    expect(read).to.deep.equal(["read.o-noatime.atime-kept", "read.relatime-recent-atime.atime-kept", "read.side-effects.atime"]);
    await onlyThese("no-atime", "Updates the file's access time", "Never updates the file's access time", ["read.side-effects.atime"], { firstField: "+ *   target: inode access time" });
  });

  it("rchar denied: every accounting case not failing already fails (a failed read's rchar +0 is an increment by the 0 bytes read)", async function () {
    const read = await casesReading(under, (i) => i.section === "sideEffects" && i.summary === "task I/O accounting");
    expect(read).to.deep.equal(["read.empty-nonblocking-pipe.io-accounting", "read.side-effects.io-accounting", "read.write-only-fd.io-accounting"]);
    const already = failed(base);
    await onlyThese("no-rchar", "(read characters) is incremented by bytes read", "(read characters) is not incremented by bytes read", read.filter((id) => !already.includes(id)), { firstField: "+ *   target: task I/O accounting" });
  });

  it("CAP_DAC_OVERRIDE said to be checked during read: its case fails, CAP_DAC_READ_SEARCH's does not", async function () {
    const at = "+ *   condition: Checked at open time via inode_permission(), not during read()";
    await onlyThese("dac-during-read", at, "+ *   condition: Checked during the read operation", ["read.mode-000-as-nobody.cap-dac-override"], { header: "+ * capability: CAP_DAC_OVERRIDE" });
  });

  it("MAX_RW_COUNT clamping denied: the 2 GiB read fails", async function () {
    await onlyThese("no-clamp", "The count parameter is silently clamped", "The count parameter is not silently clamped", ["read.count-beyond-max-rw-count.clamped"], { header: "+ * constraint: MAX_RW_COUNT" });
  });

  it("the signal item's errno changed to EAGAIN: the interrupted case reading it fails, expecting EAGAIN", async function () {
    const expected = await casesExpectingFrom(under, (i) => i.section === "signals");
    expect(expected).to.deep.equal(["read.interrupted.signal"]);
    const r = await runEdited(under, dir, "signal-eagain", (t) => t.replace("+ *   errno: -EINTR", "+ *   errno: -EAGAIN"));
    expect(newFailures(r, base)).to.deep.equal(expected);
    expect(reasonOf(r, "read.interrupted.signal")).to.include("EAGAIN").and.include(`:${lineOf(under.original, "+ * signal: Any signal")}`);
  });
});
