// SPDX-License-Identifier: GPL-2.0-only
// A strict checker of KTAP version 1 (Documentation/dev-tools/ktap.rst) in the
// nested form KUnit prints: every test level opens with "KTAP version 1",
// optionally "# Subtest: NAME", then the plan "1..N"; N result lines numbered
// 1..N in order; a nested level is indented by one more step (four spaces, as
// KUnit) and is closed by its parent's result line, named NAME when a Subtest
// header gave one (kunit_parser pairs them by name). Diagnostic lines ("# ...")
// may appear anywhere at the current level. Stricter than the kernel's parser
// on purpose: blank lines, unknown lines and bad indentation are reported
// instead of being taken as kernel log noise, because our output has none.

export interface KtapViolation {
  /** 1-based line number. */
  line: number;
  message: string;
}

export interface KtapCheckOptions {
  /** Spaces per nesting level (KUnit: 4; ktap.rst's example: 2). */
  indent?: number;
}

export const KTAP_DIRECTIVES = ["SKIP", "TODO", "XFAIL", "XPASS", "TIMEOUT", "ERROR"] as const;

const VERSION = /^KTAP version 1$/;
const ANY_VERSION = /^K?TAP version \S+/;
const PLAN = /^1\.\.(\d+)$/;
const RESULT = /^(ok|not ok)(?: |$)/;
const SUBTEST = /^# Subtest: (.+)$/;

interface Line {
  n: number;
  depth: number;
  text: string;
}

class Checker {
  readonly violations: KtapViolation[] = [];
  private i = 0;

  constructor(
    private readonly lines: Line[],
    private readonly last: number,
  ) {}

  private report(line: number, message: string): void {
    this.violations.push({ line, message });
  }

  private peek(): Line | undefined {
    return this.lines[this.i];
  }

  /** Parses a result line; returns its description, or undefined when it is no result line. */
  private result(line: Line, expected: number, plan: number | undefined): string | undefined {
    const m = /^(ok|not ok) (\S+)(.*)$/.exec(line.text);
    if (!m) {
      this.report(line.n, `malformed result line '${line.text}': expected 'ok|not ok N [description][ # DIRECTIVE ...]'`);
      return undefined;
    }
    const [, status, number, rest] = m as unknown as [string, string, string, string];
    if (!/^[1-9]\d*$/.test(number)) this.report(line.n, `test number '${number}' is not a positive integer`);
    else if (Number(number) !== expected) this.report(line.n, `test number ${number} out of order: expected ${expected}`);
    if (plan !== undefined && expected > plan) this.report(line.n, `test ${expected} is beyond the plan 1..${plan}`);
    if (rest !== "" && !rest.startsWith(" ")) this.report(line.n, `no space after the test number`);
    const hash = rest.indexOf("#");
    const description = (hash < 0 ? rest : rest.slice(0, hash)).trim().replace(/^- /, "");
    if (hash >= 0) {
      const after = rest.slice(hash + 1);
      if (rest[hash - 1] !== " " && description !== "") this.report(line.n, `'#' inside the description (a description cannot contain '#')`);
      else if (after !== "" && !after.startsWith(" ")) this.report(line.n, `no space after '#'`);
      const word = after.trim().split(/\s+/)[0] ?? "";
      const directive = (KTAP_DIRECTIVES as readonly string[]).find((d) => d === word.toUpperCase());
      if (directive && word !== directive) this.report(line.n, `directive '${word}' must be written '${directive}'`);
      else if (!directive && /^[A-Z]{3,}$/.test(word)) this.report(line.n, `unknown directive '${word}' (known: ${KTAP_DIRECTIVES.join(", ")})`);
      if ((directive === "TIMEOUT" || directive === "ERROR") && status === "ok") this.report(line.n, `a ${directive} result must be 'not ok'`);
    }
    return description;
  }

  /** One test level starting at a version line at `depth`; returns its Subtest name, if any. */
  level(depth: number): string | undefined {
    const version = this.lines[this.i++]!;
    let name: string | undefined;
    let plan: number | undefined;
    const header = this.peek();
    if (header && header.depth === depth) {
      const sub = SUBTEST.exec(header.text);
      if (sub) {
        name = sub[1]!.trim();
        this.i++;
      }
    }
    let planLine = this.peek();
    const p = planLine && planLine.depth === depth ? PLAN.exec(planLine.text) : null;
    if (p) {
      plan = Number(p[1]);
      this.i++;
    } else {
      this.report(planLine?.n ?? version.n, `plan '1..N' must follow the version line${name === undefined ? "" : " and the '# Subtest:' header"}`);
    }
    let count = 0;
    for (;;) {
      const line = this.peek();
      if (!line || line.depth < depth) break;
      if (line.depth > depth) {
        if (line.depth === depth + 1 && VERSION.test(line.text)) {
          const inner = this.level(depth + 1);
          // Diagnostics about the parent may come between its subtests and its result line.
          while (this.peek()?.depth === depth && /^# (?!Subtest:)/.test(this.peek()!.text)) this.i++;
          const close = this.peek();
          if (!close || close.depth !== depth || !RESULT.test(close.text)) {
            this.report(close?.n ?? this.last, `subtest opened at line ${line.n} is not followed by its result line`);
            continue;
          }
          this.i++;
          count += 1;
          const description = this.result(close, count, plan);
          if (inner !== undefined && description !== undefined && description !== inner) {
            this.report(close.n, `result '${description}' does not match the subtest header '# Subtest: ${inner}'`);
          }
        } else {
          this.report(line.n, line.depth === depth + 1 ? `indented line outside a subtest (a subtest starts with 'KTAP version 1')` : `indented too deep: level ${line.depth}, expected at most ${depth + 1}`);
          this.i++;
        }
        continue;
      }
      this.i++;
      const text = line.text;
      if (text.startsWith("#")) {
        if (SUBTEST.test(text)) this.report(line.n, `'# Subtest:' header not right after a version line`);
        else if (text.length > 1 && text[1] !== " ") this.report(line.n, `diagnostic line must start with '# '`);
      } else if (RESULT.test(text)) {
        count += 1;
        this.result(line, count, plan);
      } else if (PLAN.test(text)) {
        // A late plan was already reported as missing; take it so the count is still checked.
        if (plan === undefined && count === 0) {
          plan = Number(PLAN.exec(text)![1]);
          planLine = line;
        } else this.report(line.n, `second plan at this level`);
      } else if (ANY_VERSION.test(text)) {
        this.report(line.n, VERSION.test(text) ? `version line at the same level inside a test (a subtest is indented)` : `unsupported version line '${text}' (expected 'KTAP version 1')`);
      } else if (text === "") {
        this.report(line.n, `blank line`);
      } else {
        this.report(line.n, `unknown line '${text}'`);
      }
    }
    if (plan !== undefined && count !== plan) {
      const where = this.lines[this.i - 1]?.n ?? version.n;
      this.report(where, `plan 1..${plan} at line ${planLine!.n} but ${count} result line(s)`);
    }
    return name;
  }
}

/** Returns every violation found, with 1-based line numbers; [] for conforming KTAP. */
export function checkKtap(text: string, options: KtapCheckOptions = {}): KtapViolation[] {
  const step = options.indent ?? 4;
  const raw = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
  const violations: KtapViolation[] = [];
  const lines: Line[] = raw.map((t, idx) => {
    const n = idx + 1;
    if (/\r$/.test(t)) violations.push({ line: n, message: "carriage return (KTAP lines end with \\n)" });
    const body = t.replace(/\r$/, "");
    const lead = /^[ \t]*/.exec(body)![0];
    if (lead.includes("\t")) violations.push({ line: n, message: "tab in indentation (indent with spaces)" });
    const spaces = lead.replace(/\t/g, " ".repeat(step)).length;
    if (spaces % step !== 0) violations.push({ line: n, message: `indentation of ${spaces} spaces is not a multiple of ${step}` });
    return { n, depth: Math.floor(spaces / step), text: body.slice(lead.length) };
  });
  if (lines.length === 0 || (lines.length === 1 && lines[0]!.text === "")) return [{ line: 1, message: "empty output: expected 'KTAP version 1'" }];
  const first = lines[0]!;
  if (first.depth !== 0 || !VERSION.test(first.text)) {
    violations.push({ line: 1, message: `first line must be 'KTAP version 1', not '${raw[0]}'` });
    return violations;
  }
  const checker = new Checker(lines, lines.length);
  // The top level runs to the end of the output: trailing lines ("# Totals:") are its diagnostics.
  checker.level(0);
  return [...violations, ...checker.violations].sort((a, b) => a.line - b.line);
}
