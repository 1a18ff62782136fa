// SPDX-License-Identifier: GPL-2.0-only
// The JSON schema accepts what the parser emits and rejects what it must not.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { expect } from "chai";
import { schemaPath, schemaValidator, validateSpec, validatorName } from "../../harness/spec/schema.js";
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

  describe("the saved validator (validators/, node_modules/.cache)", () => {
    let dir: string;
    // No precompiled copy: what the tests below save or damage is what is read.
    const NONE = "/nonexistent/validators";
    const file = (): string => path.join(dir, validatorName(readFileSync(schemaPath(), "utf8")));
    // Under the project's node_modules, where the saved code's require of ajv's runtime resolves.
    const cacheRoot = path.join(ROOT, "node_modules", ".cache");
    const tempDir = (): string => {
      mkdirSync(cacheRoot, { recursive: true });
      return mkdtempSync(path.join(cacheRoot, "kapi-schema-test-"));
    };
    beforeEach(() => (dir = tempDir()));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Each sample's verdict and findings through `validate`. */
    function findings(validate: ReturnType<typeof schemaValidator>): unknown[] {
      const { name: _drop, ...nameless } = checkedIn;
      const badLine = structuredClone(checkedIn);
      badLine.errors[0]!.source.line = 0;
      return [checkedIn, { ...checkedIn, colour: "blue" }, nameless, badLine, {}, 7].map((sample) => {
        const valid = validate(JSON.parse(JSON.stringify(sample)));
        return { valid, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${e.message ?? ""}`) };
      });
    }

    it("is saved by the first compile and, loaded, finds what a fresh compile finds", () => {
      const fresh = findings(schemaValidator(undefined, NONE));
      expect(existsSync(file())).to.equal(false);
      schemaValidator(dir, NONE);
      expect(existsSync(file()), "saved").to.equal(true);
      const loaded = schemaValidator(dir, NONE);
      expect(loaded, "the saved file's validator, not a compile").to.equal(createRequire(import.meta.url)(file()));
      expect(findings(loaded)).to.deep.equal(fresh);
      expect((fresh[1] as { valid: boolean }).valid).to.equal(false);
    });

    it("a package's precompiled copy is used first, and nothing is saved beside it", () => {
      schemaValidator(dir, NONE);
      const cache = tempDir();
      try {
        expect(findings(schemaValidator(cache, dir))).to.deep.equal(findings(schemaValidator(undefined, NONE)));
        expect(readdirSync(cache), "nothing compiled, nothing saved").to.deep.equal([]);
      } finally {
        rmSync(cache, { recursive: true, force: true });
      }
    });

    it("is named by the schema text: an edited schema is compiled afresh", () => {
      const text = readFileSync(schemaPath(), "utf8");
      expect(validatorName(text.replace('"title"', '"title" '))).to.not.equal(validatorName(text));
      expect(validatorName(text)).to.equal(validatorName(text));
    });

    it("a damaged saved file is compiled over, and the findings stay right", () => {
      writeFileSync(file(), "module.exports = (;\n");
      expect(findings(schemaValidator(dir, NONE))).to.deep.equal(findings(schemaValidator(undefined, NONE)));
      expect(readFileSync(file(), "utf8")).to.match(/^"use strict";/);
    });
  });
});
