// SPDX-License-Identifier: GPL-2.0-only
// SIGINT, SIGTERM and SIGHUP while a command runs cases: the worker and every
// helper are ended at once (their process group), the command finishes with
// what ran so far (reports marked interrupted) and exits 128 + the signal's
// number (130, 143, 129), as shells and CI runners expect. The same signal
// again, or a wind-down that takes longer than WIND_DOWN_MS, exits at once.
import { interruptIsolated } from "../run/isolation.js";

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
type Caught = keyof typeof EXIT_CODES;
const SIGNALS = Object.keys(EXIT_CODES) as Caught[];

/** Longest the command may take, after the signal, to end its processes and write its reports. */
export const WIND_DOWN_MS = 10_000;

const say = (line: string): void => {
  process.stderr.write(`kapi-conform: ${line}\n`);
};

/** 128 + the number of SIGINT, SIGTERM or SIGHUP. */
export function signalExitCode(signal: Caught): number {
  return EXIT_CODES[signal];
}

/** The signals a command that runs cases handles. */
export const INTERRUPTS: readonly Caught[] = SIGNALS;

export interface Interrupts {
  /** The first signal caught, if any. */
  readonly signal: Caught | undefined;
  /** 128 + the signal's number. */
  readonly exitCode: number;
  /** Waits for the worker group to be gone; rejects when a process of the run outlived the limit. */
  settled(): Promise<void>;
  /** Removes the handlers (the command is done). */
  release(): void;
}

export function trapInterrupts(): Interrupts {
  let caught: Caught | undefined;
  let cleanup: Promise<void> = Promise.resolve();
  const handler = (signal: Caught): void => {
    if (caught === signal) {
      say(`${signal} again: exiting now`);
      process.exit(EXIT_CODES[caught]);
    }
    // Another signal while winding down (a supervisor's SIGTERM after the terminal's SIGINT): keep going.
    if (caught) return;
    caught = signal;
    say(`${signal}: ending the worker and its helpers; the reports will say the run was interrupted`);
    cleanup = interruptIsolated(signal);
    // Never hang after a signal: past the limit, exit with the signal's code and say why.
    setTimeout(() => {
      say(`error: the run did not wind down within ${WIND_DOWN_MS} ms of ${signal}; exiting without its reports`);
      process.exit(EXIT_CODES[signal]);
    }, WIND_DOWN_MS).unref();
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    get signal() {
      return caught;
    },
    get exitCode() {
      return caught ? EXIT_CODES[caught] : 0;
    },
    settled: () => cleanup,
    release: () => {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
}
