// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform lint INPUT...`: every finding as `file:line: severity: message
// [code]` on stdout, a count on stderr; exit 1 when any finding is an error.
import { parseCommandArgs } from "./args.js";
import { UsageError } from "./errors.js";
import { lintInputs } from "../spec/lint.js";
import { countErrors, formatDiagnostic } from "../spec/diagnostic.js";

export const LINT_USAGE = `usage: kapi-conform lint INPUT...

Check KAPI specification comments: unknown sections, sub-fields and enum tokens,
@param lines against the param: blocks and SYSCALL_DEFINEn, success: against
check-type:, duplicate params, error: blocks without a name, text the parser
could not attribute, and the JSON schema. INPUT as for 'kapi-conform parse'.
Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage or input error.

options:
  -h, --help  show this help`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("lint", argv, { help: { type: "boolean", short: "h" } });
  if (values.help) {
    process.stdout.write(LINT_USAGE + "\n");
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("lint: no INPUT given (try 'kapi-conform lint --help')");
  const { outcome, diagnostics } = await lintInputs(positionals);
  for (const d of diagnostics) process.stdout.write(formatDiagnostic(d) + "\n");
  const errors = countErrors(diagnostics);
  const warnings = diagnostics.length - errors;
  process.stderr.write(`lint: ${errors} error(s), ${warnings} warning(s) in ${outcome.specs.length} spec(s)\n`);
  return errors > 0 ? 1 : 0;
}
