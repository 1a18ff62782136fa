// SPDX-License-Identifier: GPL-2.0-only
// Markdown table cells and inline text from spec or kernel data: one line (a
// line break ends a table row), pipes escaped (they end a cell), HTML inert
// (renderers such as GitHub's pass raw tags through), backticks and markdown
// emphasis left alone but unable to open a code span across cells.
import { ktapText } from "./ktap.js";

const HTML = /[&<>]/g;
const ENTITY: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** A table cell: one line, "|" escaped, "<", ">" and "&" as entities. */
export function mdCell(text: string | number | undefined): string {
  return ktapText(String(text ?? "")).replace(HTML, (c) => ENTITY[c]!).replace(/\|/g, "\\|");
}

/** Inline code: the text cannot close the span early (longest backtick run + 1 as the fence). */
export function mdCode(text: string | number): string {
  const s = mdCell(text);
  const run = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(run + 1);
  return run > 0 ? `${fence} ${s} ${fence}` : `${fence}${s}${fence}`;
}
