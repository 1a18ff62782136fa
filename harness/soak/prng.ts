// SPDX-License-Identifier: GPL-2.0-only
// A small seeded PRNG (mulberry32) and helpers, so a fuzz iteration is a pure
// function of (seed, iteration) and any finding can be replayed exactly.

/** A generator of floats in [0, 1). */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The seed of one iteration: the run seed and the iteration number mixed (a
 * murmur3 finaliser), so iteration i can be replayed without running 0..i-1.
 */
export function iterationSeed(seed: number, iteration: number): number {
  let h = (seed ^ Math.imul(iteration + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** An integer in [0, n). */
export function below(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** An integer in [min, max]. */
export function between(rng: Rng, min: number, max: number): number {
  return min + below(rng, max - min + 1);
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError("pick from an empty list");
  return items[below(rng, items.length)]!;
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}
