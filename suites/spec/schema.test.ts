// SPDX-License-Identifier: GPL-2.0-only
// The JSON schema accepts what the parser emits and rejects what it must not.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { validateSpec, schemaPath } from "../../harness/spec/schema.js";
import { parseInput } from "../../harness/spec/parse-input.js";
import type { Spec } from "../../harness/spec/model.js";
import { DEMO_DEFINE, ROOT, cSource, demoBody } from "./helpers.js";

describe("spec: JSON schema", () => {
  const checkedIn = JSON.parse(readFileSync(path.join(ROOT, "specs", "io_cancel.spec.json"), "utf8")) as Spec;

  it("lives at specs/kapi-spec.schema.json and is draft 2020-12", () => {
    expect(schemaPath()).to.equal(path.join(ROOT, "specs", "kapi-spec.schema.json"));
    const schema = JSON.parse(readFileSync(schemaPath(), "utf8")) as { $schema: string; additionalProperties: boolean };
    expect(schema.$schema).to.equal("https://json-schema.org/draft/2020-12/schema");
    expect(schema.additionalProperties).to.equal(false);
  });

  it("accepts the checked-in io_cancel spec and a synthetic one", () => {
    expect(validateSpec(checkedIn)).to.deep.equal({ valid: true, errors: [] });
    const demo = parseInput("demo.c", cSource(demoBody(), DEMO_DEFINE).text).specs[0]!;
    expect(validateSpec(demo).errors).to.deep.equal([]);
  });

  it("rejects unknown properties, missing required ones and malformed values", () => {
    const extraKey = validateSpec({ ...checkedIn, colour: "blue" });
    expect(extraKey.valid).to.equal(false);
    expect(extraKey.errors.join("\n")).to.include("colour");
    const { name: _drop, ...nameless } = checkedIn;
    expect(validateSpec(nameless).valid).to.equal(false);
    const badKind = structuredClone(checkedIn);
    (badKind.params[0]!.constraintType as { kind: string }).kind = "BANANA";
    expect(validateSpec(badKind).valid).to.equal(false);
    const badLine = structuredClone(checkedIn);
    badLine.errors[0]!.source.line = 0;
    expect(validateSpec(badLine).errors.join("\n")).to.include("/errors/0/source/line");
    const badSuccess = structuredClone(checkedIn);
    badSuccess.return!.success = { kind: "range", raw: "~0", op: "~" as ">=", bound: "0" };
    expect(validateSpec(badSuccess).valid).to.equal(false);
  });
});
