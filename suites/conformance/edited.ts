// SPDX-License-Identifier: GPL-2.0-only
// Running the io_cancel suite against edited copies of the bundled spec, and
// asking the plan which cases an edit should affect: suites/series/edit-spec.ts
// bound to the bundled io_cancel spec, for the tests that prove verdicts follow the spec.
import { defaultSpecPath } from "../../harness/spec/load.js";
import type { RunResults } from "../../harness/run/results.js";
import type { SpecItem } from "../../harness/scenarios/target.js";
import * as edit from "../series/edit-spec.js";

const IO_CANCEL = edit.specUnderEdit(defaultSpecPath(), "io_cancel");

export const original = IO_CANCEL.original;

/** Writes `text` as `name` in `dir` and runs the suite on the io_cancel spec it holds. */
export const runText = (dir: string, name: string, text: string): Promise<RunResults> => edit.runText(IO_CANCEL, dir, name, text);

export const runEdited = (dir: string, name: string, change: (text: string) => string): Promise<RunResults> => edit.runEdited(IO_CANCEL, dir, name, change);

export const casesExpectingFrom = (which: (item: SpecItem) => boolean): Promise<string[]> => edit.casesExpectingFrom(IO_CANCEL, which);
export const casesReading = (which: (item: SpecItem) => boolean): Promise<string[]> => edit.casesReading(IO_CANCEL, which);

export const { failed, lineOf, verdicts } = edit;
