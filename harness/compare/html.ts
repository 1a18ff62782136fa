// SPDX-License-Identifier: GPL-2.0-only
// The comparison matrix as one self-contained HTML page (inline CSS, no
// scripts, no external resources) that can be attached to a CI run or mailed:
// verdicts colour-coded, differing rows first and highlighted, the reason and
// the observed return in each cell's tooltip.
import type { Verdict } from "../run/results.js";
import { xmlText } from "../report/encode/xml.js";
import { matrixTitle, type Cell, type Matrix } from "./matrix.js";

/** Markup escaped, and the characters HTML forbids (C0 controls, noncharacters) made visible. */
export function escapeHtml(text: string): string {
  return xmlText(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const COLOURS: Record<Verdict | "absent", { bg: string; fg: string }> = {
  pass: { bg: "#d4f4dd", fg: "#0b5d1e" },
  fail: { bg: "#fbd5d5", fg: "#8a1111" },
  error: { bg: "#fde2c4", fg: "#8a4b00" },
  timeout: { bg: "#e9d8fd", fg: "#4c1d95" },
  skip: { bg: "#e5e7eb", fg: "#374151" },
  xfail: { bg: "#fef3c7", fg: "#78350f" },
  xpass: { bg: "#cffafe", fg: "#155e75" },
  absent: { bg: "#ffffff", fg: "#9ca3af" },
};

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #111827; }
h1 { font-size: 1.3rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #d1d5db; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; position: sticky; top: 0; }
td.num { text-align: right; }
tr.differs td.case { border-left: 4px solid #dc2626; font-weight: 600; }
td.case small { display: block; color: #6b7280; font-weight: normal; }
td.cell small { display: block; opacity: 0.8; }
.legend span { display: inline-block; padding: 0.1rem 0.5rem; margin-right: 0.3rem; border-radius: 3px; }
${Object.entries(COLOURS)
  .map(([v, c]) => `.v-${v} { background: ${c.bg}; color: ${c.fg}; }`)
  .join("\n")}
`;

function cellHtml(cell: Cell | undefined): string {
  if (!cell) return `<td class="cell v-absent">—</td>`;
  const tip = [cell.observed ? `returned ${cell.observed}` : "", cell.reason ?? ""].filter((s) => s !== "").join(": ");
  const title = tip ? ` title="${escapeHtml(tip)}"` : "";
  const small = cell.observed ? `<small>${escapeHtml(cell.observed)}</small>` : "";
  return `<td class="cell v-${cell.verdict}"${title}>${cell.verdict}${small}</td>`;
}

export function renderHtml(m: Matrix, generatedAt = new Date().toISOString()): string {
  const head = m.columns.map((c) => `<th title="${escapeHtml(c.source)}">${escapeHtml(c.label)}</th>`).join("");
  const totals = m.columns
    .map((c) => {
      const t = c.totals;
      return `<tr><td>${escapeHtml(c.label)}</td><td class="num">${t.pass}</td><td class="num">${t.fail}</td><td class="num">${t.error}</td><td class="num">${t.timeout}</td><td class="num">${t.skip}</td><td>${escapeHtml(c.source)}</td></tr>`;
    })
    .join("\n");
  const rows = m.rows
    .map(
      (r) =>
        `<tr class="${r.differs ? "differs" : "same"}"><td class="case">${escapeHtml(r.id)}<small>${escapeHtml(r.item)}</small></td>${r.cells.map(cellHtml).join("")}</tr>`,
    )
    .join("\n");
  const legend = (Object.keys(COLOURS) as Array<keyof typeof COLOURS>).map((v) => `<span class="v-${v}">${v === "absent" ? "— no such case" : v}</span>`).join("");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(matrixTitle(m))} across kernels — kapi-conform</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(matrixTitle(m))} across ${m.columns.length} kernel${m.columns.length === 1 ? "" : "s"}</h1>
<p>${m.differing} of ${m.rows.length} cases differ between kernels${m.differing > 0 ? " (listed first, marked in red)" : ""}. Generated ${escapeHtml(generatedAt)} by kapi-conform compare.</p>
<table>
<tr><th>kernel</th><th>pass</th><th>fail</th><th>error</th><th>timeout</th><th>skip</th><th>from</th></tr>
${totals}
</table>
<p class="legend">${legend}</p>
<table>
<tr><th>case / spec item</th>${head}</tr>
${rows}
</table>
</body>
</html>
`;
}
