#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-only
// kapi-conform entry point: dispatches to one module per subcommand and maps
// errors to exit codes (2 for usage and input errors, one line, no stack trace).
import { readFileSync } from "node:fs";
import { UsageError } from "./errors.js";
import { InputError } from "../input-error.js";
import { TOOL } from "../run/tool.js";

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

Run 'kapi-conform <command> --help' for the options of one command;
'kapi-conform --version' (-V) prints the version.
Exit codes: 0 conform/clean, 1 deviation/lint errors, 2 usage or input error,
4 all skipped; 130, 143, 129 after SIGINT, SIGTERM, SIGHUP.`;

/**
 * Node decodes arguments as UTF-8 and replaces bytes that are not with U+FFFD,
 * so a path in another encoding would name a different file. The raw bytes are
 * in /proc/self/cmdline; without it, U+FFFD is the only trace.
 */
function refuseNonUtf8(argv: string[]): void {
  let raw: Buffer[] | undefined;
  try {
    const parts = readFileSync("/proc/self/cmdline").toString("latin1").split("\0").slice(0, -1);
    if (parts.length >= argv.length) raw = parts.slice(parts.length - argv.length).map((p) => Buffer.from(p, "latin1"));
  } catch {
    raw = undefined;
  }
  const strict = new TextDecoder("utf-8", { fatal: true });
  argv.forEach((arg, i) => {
    let valid = !arg.includes("\uFFFD");
    if (raw) {
      try {
        strict.decode(raw[i]);
        valid = true;
      } catch {
        valid = false;
      }
    }
    if (!valid) throw new UsageError(`argument ${i + 1} ('${arg}') is not valid UTF-8: Node would read it as another name`);
  });
}

async function main(argv: string[]): Promise<number> {
  // Started by another kapi-conform process (vm --host): end with it, as the worker and helpers do.
  if (process.env.KAPI_CONFORM_PARENT_PID) (await import("../run/parent-death.js")).dieWithParent();
  refuseNonUtf8(argv);
  const [name, ...rest] = argv;
  if (name === undefined) throw new UsageError("no command given (try 'kapi-conform --help')");
  if (name === "--version" || name === "-V") {
    process.stdout.write(`${TOOL.name} ${TOOL.version}\n`);
    return 0;
  }
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command '${name}' (try --help)`);
  // The worker's start-up is a run's longest path: begun before run's own modules load (run starts it otherwise).
  if (name === "run" && !rest.some((a) => a === "--help" || a === "-h" || a === "--list")) (await import("../run/worker-fork.js")).prestartWorker();
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
