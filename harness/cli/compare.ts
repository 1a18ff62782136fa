// SPDX-License-Identifier: GPL-2.0-only
// `kapi-conform compare DIR...`: the cases of several runs (one per kernel,
// e.g. from `kapi-conform vm`) side by side: markdown on stdout, an HTML page
// written to a file.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { buildMatrix, renderMarkdown, sharedSyscalls, type MatrixInput } from "../compare/matrix.js";
import { renderHtml } from "../compare/html.js";
import { readResults } from "../report/results-file.js";
import { REPORT_FILES, writeSet } from "../report/write.js";
import { parseCommandArgs } from "./args.js";
import { makeDirectory } from "../report/directory.js";
import { InputError, UsageError } from "./errors.js";

export const HELP = `usage: kapi-conform compare DIR... [--html FILE]

Reads DIR/results.json of each run (a results.json path works too) and shows
the cases by kernel: rows where the kernels differ first. Markdown goes to
stdout; a self-contained, colour-coded HTML page to FILE.

  --html FILE   where the HTML page goes (default: reports/compare.html)
  -h, --help    show this help

Exit: 0 the matrix was written, 2 bad arguments or input.`;

function resultsPath(arg: string): string {
  if (!existsSync(arg)) throw new InputError(`compare: no such directory '${arg}'`);
  return statSync(arg).isDirectory() ? join(arg, REPORT_FILES.results) : arg;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("compare", argv, {
    html: { type: "string", default: join("reports", "compare.html") },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("compare: no DIR given (try 'kapi-conform compare --help')");
  const inputs: MatrixInput[] = [];
  for (const arg of positionals) inputs.push({ source: arg, results: await readResults(resultsPath(arg)) });
  if (inputs.length > 1 && sharedSyscalls(inputs).length === 0) throw new InputError("compare: the runs have no syscall in common; compare runs of the same specs");
  const matrix = buildMatrix(inputs);
  process.stdout.write(renderMarkdown(matrix));
  const html = values.html!;
  try {
    await makeDirectory(dirname(html));
    // Through the report writer: never through a symlink, never half written.
    await writeSet(dirname(html), [[basename(html), renderHtml(matrix)]]);
  } catch (err) {
    throw new InputError(`compare: cannot write '${html}': ${(err as Error).message.split("\n")[0]}`);
  }
  process.stderr.write(`kapi-conform compare: ${matrix.columns.length} runs, ${matrix.rows.length} cases, ${matrix.differing} differ; HTML: ${html}\n`);
  return 0;
}
