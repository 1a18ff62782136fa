// SPDX-License-Identifier: GPL-2.0-only
// The drift report: the three-way rows, the library claims, and where each
// source came from; rendered as a markdown table for people and JSON for tools.
import type { Spec } from "../spec/model.js";
import type { RunResults } from "../run/results.js";
import { compareSources, type DriftRow } from "./compare.js";
import { libraryClaims, type LibraryClaimRow } from "./library-claims.js";
import { ManPageNotFoundError, readManPage, type ManClaims } from "./manpage.js";
import { mdCell as cell, mdCode } from "../report/encode/markdown.js";

export interface DriftReport {
  syscall: string;
  spec: { file: string; line: number };
  kernel: { release: string; machine: string };
  man: { page: string; header?: string } | { unavailable: string };
  rows: DriftRow[];
  libraries: LibraryClaimRow[];
}

async function manClaims(syscall: string, path?: string): Promise<ManClaims | string> {
  try {
    return await readManPage(syscall, path);
  } catch (err) {
    if (err instanceof ManPageNotFoundError) return err.message;
    throw err;
  }
}

export async function buildDrift(spec: Spec, results: RunResults, manPath?: string): Promise<DriftReport> {
  const man = await manClaims(spec.name, manPath);
  const claims = typeof man === "string" ? undefined : man;
  const header = claims?.header ? [claims.header.source, claims.header.date].filter(Boolean).join(", ") : undefined;
  return {
    syscall: spec.name,
    spec: { file: spec.source.file, line: spec.source.line },
    kernel: { release: results.kernel.release, machine: results.kernel.machine },
    man: claims ? { page: claims.page, ...(header ? { header } : {}) } : { unavailable: man as string },
    // The kernel's column comes from this syscall's cases only, in a run of several.
    rows: compareSources(spec, { ...results, cases: results.cases.filter((c) => c.syscall === spec.name) }, claims),
    libraries: libraryClaims(spec),
  };
}

/** The rows as a markdown section; also what `drift` prints. */
export function renderDrift(report: DriftReport): string {
  const man = "unavailable" in report.man ? `no man page (${cell(report.man.unavailable)})` : `${mdCode(report.man.page)}${report.man.header ? ` (${cell(report.man.header)})` : ""}`;
  const out = [
    `## Drift: ${cell(report.syscall)}: spec vs kernel vs man page`,
    "",
    `Spec ${mdCode(`${report.spec.file}:${report.spec.line}`)}; kernel ${cell(report.kernel.release)} ${cell(report.kernel.machine)} (this run); man page ${man}.`,
    "",
    "| claim | spec | kernel | man page | verdict | why |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.rows.map((r) => `| ${cell(r.claim)} | ${cell(r.spec)} | ${cell(r.kernel)} | ${cell(r.man)} | **${r.verdict}** | ${cell(r.explanation)} |`),
    "",
  ];
  if (report.libraries.length) {
    out.push("| library claim | spec | observed | verdict |", "| --- | --- | --- | --- |");
    out.push(...report.libraries.map((l) => `| ${cell(l.claim)} | ${cell(l.spec)} | ${cell(l.observed)} | **${l.verdict}** |`), "");
  }
  return out.join("\n");
}
