// SPDX-License-Identifier: GPL-2.0-only
// Releases everything a scenario or test acquired, whatever happened in it:
// in reverse order of acquisition (what was built on something goes first),
// every release attempted, failures collected instead of thrown.

export interface Releasable {
  release(): void;
}

export class ResourceScope {
  #cleanups: Array<() => void> = [];

  /** Registers a resource (AioContext, Mapping, Pipe, or any { release() }) and returns it. */
  add<T extends Releasable>(resource: T): T {
    this.#cleanups.push(() => resource.release());
    return resource;
  }

  /** Registers a cleanup function. */
  defer(fn: () => void): void {
    this.#cleanups.push(fn);
  }

  /** How many cleanups are pending. */
  get size(): number {
    return this.#cleanups.length;
  }

  /**
   * Runs every pending cleanup, last registered first, and empties the scope
   * (it can be reused). Never throws: returns the errors, in the order they occurred.
   */
  releaseAll(): Error[] {
    const errors: Error[] = [];
    const cleanups = this.#cleanups;
    this.#cleanups = [];
    for (let i = cleanups.length - 1; i >= 0; i--) {
      try {
        cleanups[i]?.();
      } catch (e) {
        errors.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    // Cleanups registered while releasing (unusual) are released too.
    if (this.#cleanups.length > 0) errors.push(...this.releaseAll());
    return errors;
  }
}
