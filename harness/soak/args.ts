// SPDX-License-Identifier: GPL-2.0-only
// Argument handling shared by the soak scripts: node:util parseArgs in strict
// mode, whole-number options, and misuse reported as one line with exit 2.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A misuse of a soak script: printed as one line, exit 2. */
export class ScriptUsageError extends Error {
  override name = "ScriptUsageError";
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseScriptArgs<O extends Options>(argv: string[], options: O) {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    if (parsed.positionals.length > 0) throw new ScriptUsageError(`unexpected argument '${parsed.positionals[0]}'`);
    return parsed.values;
  } catch (err) {
    if (err instanceof ScriptUsageError) throw err;
    throw new ScriptUsageError(err instanceof Error ? err.message.split("\n")[0]! : String(err));
  }
}

/** A whole number in [min, max] from an option value, or the default when absent. */
export function wholeNumber(name: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ScriptUsageError(`--${name} takes a whole number from ${min} to ${max}, not '${value}'`);
  return n;
}

/** Runs a script's main: exit with its code; a ScriptUsageError is one line and exit 2. */
export function runScript(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof ScriptUsageError) process.stderr.write(`${name}: ${err.message}\n`);
      else process.stderr.write(`${name}: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
