// SPDX-License-Identifier: GPL-2.0-only
// Writes every report of a run into one directory.
import { writeFile } from "node:fs/promises";
import { makeDirectory } from "./directory.js";
import { join } from "node:path";
import type { RunResults } from "../run/results.js";
import { renderDrift, type DriftReport } from "../drift/report.js";
import { renderKtap } from "./ktap.js";
import { renderSummary } from "./summary.js";

export const REPORT_FILES = {
  results: "results.json",
  ktap: "results.tap",
  junit: "junit.xml",
  summary: "summary.md",
  driftJson: "drift.json",
  driftMd: "drift.md",
} as const;

/**
 * Writes results.json, KTAP, JUnit and the summary; with a drift report also
 * drift.json and drift.md, and the drift rows in the summary. `keepResults`
 * leaves the saved results.json and drift.json alone (`kapi-conform report`
 * rebuilds from them).
 */
export async function writeReports(results: RunResults, dir: string, drift?: DriftReport, options: { keepResults?: boolean } = {}): Promise<string[]> {
  await makeDirectory(dir);
  // Loaded here, not at start-up: the JUnit writer pulls in xmlbuilder2 and
  // tap-junit (about 200 files), which only writing reports needs.
  const { renderJunit } = await import("./junit.js");
  const files: Array<[string, string]> = [
    ...(options.keepResults ? [] : [[REPORT_FILES.results, JSON.stringify(results, null, 2) + "\n"] as [string, string]]),
    [REPORT_FILES.ktap, renderKtap(results)],
    [REPORT_FILES.junit, await renderJunit(results)],
    [REPORT_FILES.summary, renderSummary(results, drift)],
  ];
  if (drift) {
    if (!options.keepResults) files.push([REPORT_FILES.driftJson, JSON.stringify(drift, null, 2) + "\n"]);
    files.push([REPORT_FILES.driftMd, renderDrift(drift)]);
  }
  const written: string[] = [];
  for (const [name, text] of files) {
    const path = join(dir, name);
    await writeFile(path, text);
    written.push(path);
  }
  return written;
}
