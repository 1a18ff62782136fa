// SPDX-License-Identifier: GPL-2.0-only
// Work an isolated worker starts before the scenario that needs it, so that
// it overlaps the scenarios before (a helper process's Node start-up). Scenario
// modules register a starter when imported; registering starts nothing. The
// worker runs them once it has loaded its suite; in-process runs never do.
const starters = new Map<string, () => void>();

export function registerPrestart(key: string, start: () => void): void {
  starters.set(key, start);
}

/** Runs every registered starter once per process. */
export function runPrestarts(): void {
  for (const start of starters.values()) start();
  starters.clear();
}
