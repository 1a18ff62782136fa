// SPDX-License-Identifier: GPL-2.0-only
// `npm run bench:syscall`: the syscall benchmark alone, one row per line.
import { measure } from "./syscall.js";

for (const row of await measure()) {
  const value = Number.isNaN(row.value) ? "n/a" : String(row.value);
  process.stdout.write(`${row.name}: ${value} ${row.unit}${row.note ? `  (${row.note})` : ""}\n`);
}
