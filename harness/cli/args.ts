// SPDX-License-Identifier: GPL-2.0-only
// Thin wrapper over node:util parseArgs that reports misuse as a UsageError,
// plus the checks every command shares: no empty value or argument (an empty
// path means "here" to the file system, never what was meant), and numbers
// within what the code can honour (Node's timers stop at 2^31-1 ms: a longer
// limit fires at once, so every case would time out).
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The longest delay a Node timer honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`${command}: ${message}`);
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === "" || (Array.isArray(value) && value.includes(""))) throw new UsageError(`${command}: --${name} takes a value, not an empty string`);
  }
  if (parsed.positionals.includes("")) throw new UsageError(`${command}: an empty argument names nothing`);
  return parsed;
}

/** A whole number from `min` to `max`, or `fallback` when the option is absent. */
export function wholeNumber(command: string, option: string, value: string | undefined, fallback: number, range: { min: number; max: number; what?: string }): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`${command}: ${option} takes a whole number${range.what ? ` of ${range.what}` : ""} from ${range.min} to ${range.max}, not '${value}'`);
  }
  return n;
}

/** A number of seconds > 0 whose milliseconds a timer can wait for, or `fallback` when absent. */
export function timerSeconds(command: string, option: string, value: string | undefined, fallback: number, maxSeconds = Math.floor(MAX_TIMER_MS / 1000)): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n > maxSeconds) throw new UsageError(`${command}: ${option} takes a number of seconds > 0 and <= ${maxSeconds}, not '${value}'`);
  return n;
}
