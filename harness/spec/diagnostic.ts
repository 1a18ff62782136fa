// SPDX-License-Identifier: GPL-2.0-only
// Building, ordering and printing Diagnostics. One printed form everywhere
// (`file:line: severity: message [code]`) so editors and CI can jump to the line.
import type { Diagnostic, Severity } from "./model.js";

export function diagnostic(severity: Severity, file: string, line: number, code: string, message: string): Diagnostic {
  return { severity, file, line, code, message };
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.severity}: ${d.message} [${d.code}]`;
}

/** Stable order: by file as given, then line, then code. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  );
}

export function countErrors(list: readonly Diagnostic[]): number {
  return list.filter((d) => d.severity === "error").length;
}
