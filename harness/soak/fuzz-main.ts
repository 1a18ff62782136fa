// SPDX-License-Identifier: GPL-2.0-only
// `npm run fuzz -- [--iterations N] [--seed S] [--corpus DIR] [--slow-ms MS] [--replay I]`:
// the parser fuzzer for as long as you like. Progress on stderr; the figures
// and every finding (with seed and iteration, to replay it) at the end.
// Exit 0 no findings, 1 findings, 2 bad arguments or no corpus.
import { existsSync } from "node:fs";
import { randomInt } from "node:crypto";
import { MUTATION_KINDS } from "./mutations.js";
import { checkInput } from "./parse-invariants.js";
import { checkReportFormats } from "./report-formats.js";
import { DEFAULT_SLOW_MS, defaultCorpusDir, formatFinding, fuzzInput, fuzzParser, readCorpus } from "./parser-fuzz.js";
import { parseScriptArgs, runScript, ScriptUsageError, wholeNumber } from "./args.js";

const HELP = `usage: npm run fuzz -- [--iterations N] [--seed S] [--corpus DIR] [--slow-ms MS] [--replay I]

Mutates the KAPI corpus texts (${MUTATION_KINDS.length} kinds: ${MUTATION_KINDS.join(", ")}),
parses and lints each input in-process, and checks that nothing throws, every
diagnostic names the input and a line in it, no KAPI block vanishes silently,
and every report format made from each spec that parses is well formed
(KTAP valid with one line per test, JUnit parses, no raw control characters).

  --iterations N  inputs to try (default 20000)
  --seed S        run seed, 0..4294967295 (default: random, printed)
  --corpus DIR    seed texts (default ${defaultCorpusDir()})
  --slow-ms MS    parse+lint time of one input that counts as a finding (default ${DEFAULT_SLOW_MS})
  --replay I      write iteration I's input (of --seed S) to stdout and check only it`;

const PROGRESS_MS = 2000;

async function main(argv: string[]): Promise<number> {
  const values = parseScriptArgs(argv, {
    iterations: { type: "string" },
    seed: { type: "string" },
    corpus: { type: "string" },
    "slow-ms": { type: "string" },
    replay: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(HELP + "\n");
    return 0;
  }
  const iterations = wholeNumber("iterations", values.iterations, 20000, 1);
  const seed = wholeNumber("seed", values.seed, randomInt(0, 2 ** 32), 0, 2 ** 32 - 1);
  const slowMs = wholeNumber("slow-ms", values["slow-ms"], DEFAULT_SLOW_MS, 1);
  const dir = values.corpus ?? defaultCorpusDir();
  if (!existsSync(dir)) throw new ScriptUsageError(`KAPI corpus not found at ${dir} (it lives in ../shared, outside the project; or give --corpus DIR)`);
  const corpus = readCorpus(dir);
  if (corpus.length === 0) throw new ScriptUsageError(`no .patch or .txt seed texts in ${dir}`);

  if (values.replay !== undefined) {
    if (values.seed === undefined) throw new ScriptUsageError("--replay needs the --seed of the run it comes from");
    const input = fuzzInput(corpus, seed, wholeNumber("replay", values.replay, 0, 0));
    process.stdout.write(input.text);
    const checked = checkInput(input.base, input.text, { slowMs });
    if (checked.specs > 0) checked.violations.push(...(await checkReportFormats(checked.parsed)));
    process.stderr.write(`fuzz: seed ${seed} iteration ${input.iteration}: ${input.base}; ${input.kinds.join(" + ")}; ${checked.specs} spec(s), ${checked.errors} error diagnostic(s), ${checked.ms.toFixed(1)} ms\n`);
    for (const v of checked.violations) process.stderr.write(`fuzz: ${v.code}: ${v.message}\n`);
    return checked.violations.length > 0 ? 1 : 0;
  }

  process.stderr.write(`fuzz: seed ${seed}, ${iterations} iterations over ${corpus.length} corpus texts\n`);
  let lastPrint = 0;
  const report = await fuzzParser(corpus, {
    seed,
    iterations,
    slowMs,
    progressEvery: 100,
    onProgress: (done, findings, elapsed) => {
      if (elapsed - lastPrint < PROGRESS_MS) return;
      lastPrint = elapsed;
      process.stderr.write(`fuzz: ${done}/${iterations} (${Math.round((done * 1000) / elapsed)}/s), ${findings} finding(s)\n`);
    },
  });
  const seconds = report.elapsedMs / 1000;
  const out = [
    `seed: ${report.seed}`,
    `iterations: ${report.iterations}`,
    `elapsed: ${seconds.toFixed(1)} s (${Math.round(report.iterations / seconds)} inputs/s)`,
    `inputs still yielding a spec: ${report.specsProduced} (reports rendered and checked for ${report.formatsChecked}); error diagnostics: ${report.errorDiagnostics}`,
    "mutations applied:",
    ...MUTATION_KINDS.map((k) => `  ${k.padEnd(16)} ${report.kinds[k]}`),
    `findings: ${report.findings.length}`,
    ...report.findings.map((f) => `  ${formatFinding(f)}`),
  ];
  if (report.findings.length > 0) out.push(`replay one with: npm run fuzz -- --seed ${report.seed} --replay ITERATION`);
  process.stdout.write(out.join("\n") + "\n");
  return report.findings.length > 0 ? 1 : 0;
}

runScript("fuzz", main);
