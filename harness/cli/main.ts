#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// kapi-conform entry point: dispatches to one module per subcommand and maps
// errors to exit codes (2 for usage and input errors, one line, no stack trace).
import { InputError, UsageError } from "./errors.js";

interface Command {
  summary: string;
  load: () => Promise<{ main(argv: string[]): Promise<number> }>;
}

const commands: Record<string, Command> = {
  parse: { summary: "parse KAPI comments into canonical JSON specs", load: () => import("./parse.js") },
  run: { summary: "run a spec's scenarios against the live kernel (default: io_cancel)", load: () => import("./run.js") },
  drift: { summary: "compare spec, live kernel and man page, claim by claim", load: () => import("./drift.js") },
  lint: { summary: "check KAPI comments for format errors (file:line)", load: () => import("./lint.js") },
  vm: { summary: "run the suite on other kernels (--kernel, --deb) in qemu VMs", load: () => import("./vm.js") },
  compare: { summary: "side-by-side matrix of cases by kernel from several report dirs", load: () => import("./compare.js") },
  report: { summary: "rebuild KTAP, JUnit and summary from a saved results.json", load: () => import("./report.js") },
  package: { summary: "write a kselftest install tree (--kselftest DIR [--tar FILE])", load: () => import("./package.js") },
};

export const USAGE = `usage: kapi-conform <command> [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run 'kapi-conform <command> --help' for the options of one command.
Exit codes: 0 conform/clean, 1 deviation/lint errors, 2 usage or input error, 4 all skipped.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError("no command given (try 'kapi-conform --help')");
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command '${name}' (try --help)`);
  const module = await command.load();
  return module.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError || err instanceof InputError) {
      process.stderr.write(`kapi-conform: ${err.message}\n`);
    } else {
      // An internal bug: keep the stack, it is what a maintainer needs.
      process.stderr.write(`kapi-conform: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    }
    process.exitCode = 2;
  },
);
