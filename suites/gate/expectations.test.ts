// SPDX-License-Identifier: GPL-2.0-only
// The expectations file: what it accepts, what it refuses (file:line, one
// line), globs, kernel ranges and conditions, without a kernel.
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { InputError } from "../../harness/cli/errors.js";
import { conditionsHold, expectationFor, parseExpectations, targetOf, type Expectation, type Target } from "../../harness/gate/expectations.js";
import { globToRegExp } from "../../harness/gate/glob.js";
import { inKernelRange, kernelVersionOf, parseKernelRange } from "../../harness/gate/kernel-range.js";
import { resultsOf } from "./fixtures.js";

const target = (release: string, config: Record<string, string> = { CONFIG_AIO: "y" }, arch = "x86_64"): Target =>
  targetOf({ release, version: "#1", machine: arch, arch, config });

function refusal(text: string): string {
  try {
    parseExpectations(text, "expect.yaml");
  } catch (err) {
    expect(err).to.be.instanceOf(InputError);
    const message = (err as Error).message;
    expect(message.split("\n"), message).to.have.length(1);
    return message;
  }
  throw new Error("the file was accepted");
}

const EXAMPLE = `# known deviations
io_cancel.poll-cancel.returns-success:
  reason: 6.8-rc7 returned 0 from a successful cancel
  link: https://git.kernel.org/torvalds/c/28468cbed92e
  kernel: ">=6.8 <6.9"
io_cancel.ctx-*:
  - reason: old kernels
    link: https://example.org/issue/1#note
    kernel: "<5.0"
    arch: [x86_64, arm64]
  - reason: no AIO
    link: http://example.org/2
    config: { CONFIG_AIO: n }
`;

describe("expectations file: parsing", function () {
  it("reads entries keyed by case id or glob, a list giving several entries one key, with file:line", function () {
    const entries = parseExpectations(EXAMPLE, "expect.yaml");
    expect(entries.map((e) => [e.pattern, e.line])).to.deep.equal([
      ["io_cancel.poll-cancel.returns-success", 2],
      ["io_cancel.ctx-*", 7],
      ["io_cancel.ctx-*", 11],
    ]);
    expect(entries[0]).to.include({ reason: "6.8-rc7 returned 0 from a successful cancel", link: "https://git.kernel.org/torvalds/c/28468cbed92e", file: "expect.yaml" });
    expect(entries[0]!.kernel?.text).to.equal(">=6.8 <6.9");
    expect(entries[1]!.arch).to.deep.equal(["x86_64", "arm64"]);
    expect(entries[2]!.config).to.deep.equal({ CONFIG_AIO: "n" });
  });

  it("reads JSON, and an empty file as no entries", function () {
    const entries = parseExpectations(`{"io_cancel.a.b": {"reason": "r", "link": "https://x.org", "config": {"CONFIG_AIO": "y"}}}`, "e.json");
    expect(entries).to.have.length(1);
    expect(entries[0]!.config).to.deep.equal({ CONFIG_AIO: "y" });
    expect(parseExpectations("", "e.yaml")).to.deep.equal([]);
    expect(parseExpectations("# nothing known\n", "e.yaml")).to.deep.equal([]);
  });

  it("accepts the README's example", function () {
    const readme = readFileSync("README.md", "utf8");
    const example = /```yaml\n(# expectations\.yaml\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(example, "README example not found").to.be.a("string");
    expect(parseExpectations(example!, "README.md").map((e) => e.pattern)).to.deep.equal(["io_cancel.poll-cancel.returns-success", "io_cancel.ctx-*.rejected"]);
  });

  const refused: Array<[string, string, RegExp]> = [
    ["YAML syntax", "a.b:\n  reason: [r\n  link: https://x\n", /^expect\.yaml:3: Flow sequence/],
    ["an unquoted range (a YAML block scalar)", "a.b:\n  reason: r\n  link: https://x\n  kernel: >=6.1\n", /^expect\.yaml:4: /],
    ["a duplicate key", "a.b:\n  reason: r\n  reason: s\n  link: https://x\n", /^expect\.yaml:3: Map keys must be unique/],
    ["a missing link", "a.b:\n  reason: r\n", /^expect\.yaml:1: 'a\.b' has no link$/],
    ["a missing reason", "a.b:\n  link: https://x\n", /^expect\.yaml:1: 'a\.b' has no reason$/],
    ["a link that is no URL", "a.b:\n  reason: r\n  link: bug 12\n", /^expect\.yaml:3: link 'bug 12' is not an http\(s\) URL$/],
    ["an unknown field", "a.b:\n  reason: r\n  link: https://x\n  kernal: '>=6.1'\n", /^expect\.yaml:4: unknown field 'kernal'/],
    ["a bad range", "a.b:\n  reason: r\n  link: https://x\n  kernel: '~6.1'\n", /^expect\.yaml:4: kernel: '~6\.1' is not a comparator/],
    ["an unknown arch", "a.b:\n  reason: r\n  link: https://x\n  arch: [aarch64]\n", /^expect\.yaml:4: arch 'aarch64' is not one of x86_64/],
    ["a bad config option", "a.b:\n  reason: r\n  link: https://x\n  config: { AIO: y }\n", /^expect\.yaml:4: config option 'AIO'/],
    ["a key with no entry", "a.b:\n", /^expect\.yaml:1: 'a\.b' must map to an entry/],
    ["a list at the top", "- a.b\n", /^expect\.yaml:1: expected a mapping from case ids/],
    ["a key that is no case id", "'a b':\n  reason: r\n  link: https://x\n", /^expect\.yaml:1: 'a b' is not a case id or glob/],
    ["malformed JSON", `{"a": {"reason": "r",}`, /^expect\.yaml:1: /],
  ];
  for (const [what, text, message] of refused) {
    it(`refuses ${what} with one line naming file:line`, function () {
      expect(refusal(text)).to.match(message);
    });
  }
});

describe("expectations file: globs and kernel ranges", function () {
  it("globs: * spans dots, ? is one character, the rest is literal", function () {
    expect(globToRegExp("io_cancel.poll-cancel.*").test("io_cancel.poll-cancel.event-in-ring")).to.equal(true);
    expect(globToRegExp("io_cancel.*.rejected").test("io_cancel.ctx-zero.rejected")).to.equal(true);
    expect(globToRegExp("io_cancel.ctx-?ero.rejected").test("io_cancel.ctx-zero.rejected")).to.equal(true);
    expect(globToRegExp("io_cancel.ctx-zero").test("io_cancel.ctx-zero.rejected")).to.equal(false);
    expect(globToRegExp("io_cancel.ctx-zero").test("io_cancelXctx-zero")).to.equal(false);
  });

  it("reads the numeric part of kernel releases, distribution and -rc suffixes aside", function () {
    expect(kernelVersionOf("6.18.44-fc-v769")?.version).to.equal("6.18.44");
    expect(kernelVersionOf("6.8.0-rc7")?.version).to.equal("6.8.0");
    expect(kernelVersionOf("6.1-rc1")?.version).to.equal("6.1.0");
    expect(kernelVersionOf("weird")).to.equal(undefined);
    expect(kernelVersionOf("linux 6.1")).to.equal(undefined);
  });

  it("compares numerically (6.18 is after 6.8), with ranges, bare versions and ||", function () {
    const v = kernelVersionOf("6.18.44-fc-v769")!;
    expect(inKernelRange(v, parseKernelRange(">=6.1 <6.8"))).to.equal(false);
    expect(inKernelRange(v, parseKernelRange(">=6.1 <6.19"))).to.equal(true);
    expect(inKernelRange(v, parseKernelRange(">6.18.43 <=6.18.44"))).to.equal(true);
    expect(inKernelRange(v, parseKernelRange("6.18"))).to.equal(true);
    expect(inKernelRange(v, parseKernelRange("=6.1"))).to.equal(false);
    expect(inKernelRange(v, parseKernelRange("<5.0 || >=6.18"))).to.equal(true);
    // Missing parts are 0 for inequalities (semver alone would read ">6.18" as ">=6.19.0").
    expect(inKernelRange(v, parseKernelRange(">6.18"))).to.equal(true);
    expect(inKernelRange(v, parseKernelRange("<=6.18"))).to.equal(false);
    expect(inKernelRange(kernelVersionOf("6.8.0-rc7")!, parseKernelRange(">=6.8 <6.9"))).to.equal(true);
    expect(() => parseKernelRange(">=6.1 ||")).to.throw(/empty kernel range/);
    expect(() => parseKernelRange("6.x")).to.throw(/not a comparator/);
  });
});

describe("expectations file: conditions", function () {
  const [ranged, oldOrArch, noAio] = parseExpectations(EXAMPLE, "expect.yaml") as [Expectation, Expectation, Expectation];

  it("a kernel range that matches the running release applies; one that does not, does not", function () {
    expect(conditionsHold(ranged, target("6.8.3"))).to.deep.equal({ applies: true });
    expect(conditionsHold(ranged, target("6.18.44-fc-v769"))).to.deep.equal({ applies: false });
    expect(conditionsHold(ranged, target("6.9.0"))).to.deep.equal({ applies: false });
  });

  it("arch and config conditions must all hold", function () {
    expect(conditionsHold(oldOrArch, target("4.19.1")).applies).to.equal(true);
    expect(conditionsHold(oldOrArch, target("4.19.1", {}, "riscv64")).applies).to.equal(false);
    expect(conditionsHold(noAio, target("6.1.0", { CONFIG_AIO: "n" })).applies).to.equal(true);
    expect(conditionsHold(noAio, target("6.1.0", { CONFIG_AIO: "y" })).applies).to.equal(false);
  });

  it("an option the results did not record is undecided, not met", function () {
    expect(conditionsHold(noAio, target("6.1.0", {}))).to.deep.include({ applies: false });
    expect(conditionsHold(noAio, target("6.1.0", {})).undecided).to.match(/CONFIG_AIO is unknown/);
    const live = targetOf(resultsOf([]).kernel, { get: () => "unknown" });
    expect(conditionsHold(noAio, live).undecided).to.match(/CONFIG_AIO is unknown/);
  });

  it("takes the first entry, in file order, whose pattern and conditions match", function () {
    const entries = parseExpectations(EXAMPLE, "expect.yaml");
    expect(expectationFor(entries, "io_cancel.ctx-zero.rejected", target("4.0.0"))?.line).to.equal(7);
    expect(expectationFor(entries, "io_cancel.ctx-zero.rejected", target("6.1.0", { CONFIG_AIO: "n" }))?.line).to.equal(11);
    expect(expectationFor(entries, "io_cancel.ctx-zero.rejected", target("6.1.0"))).to.equal(undefined);
    expect(expectationFor(entries, "io_cancel.never-submitted.rejected", target("4.0.0"))).to.equal(undefined);
  });
});
