// SPDX-License-Identifier: GPL-2.0-only
// The serial console splitter: kernel noise, KTAP, progress and framed files
// told apart by the per-boot marker, whatever the kernel interleaves.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { ConsoleSplitter, LastLines, LineBuffer, cleanLine, markerOf, type ConsoleEvent } from "../../harness/vm/console.js";

const NONCE = "0123abcd4567ef89";
const M = markerOf(NONCE);

function feed(lines: string[], nonce = NONCE): ConsoleEvent[] {
  const s = new ConsoleSplitter(nonce);
  return lines.flatMap((l) => s.push(l));
}

function framed(name: string, data: Buffer, digest = createHash("sha256").update(data).digest("hex")): string[] {
  const b64 = data.toString("base64");
  const chunks = b64.match(/.{1,76}/g) ?? [];
  return [`${M} FILE-BEGIN ${name}`, ...chunks.map((c) => `${c}\r`), `${M} FILE-END ${name} ${digest}`];
}

describe("vm console splitter", () => {
  it("calls everything before the START marker noise, firmware escapes included", () => {
    const ev = feed(["\x1bc\x1b[?7l\x1b[2JSeaBIOS (version 1.16.2)", "[    0.000000] Linux version 6.1.0", "Booting from ROM.."]);
    expect(ev.map((e) => e.kind)).to.deep.equal(["noise", "noise", "noise"]);
    expect(ev[0]).to.deep.equal({ kind: "noise", line: "SeaBIOS (version 1.16.2)" });
  });

  it("finds a marker behind junk on the same line and reads the release", () => {
    const ev = feed(["\x1b[2JBooting from ROM..." + `${M} START 6.1.0-56-cloud-amd64\r`]);
    expect(ev).to.deep.equal([{ kind: "start", release: "6.1.0-56-cloud-amd64" }]);
  });

  it("passes KTAP lines through between KTAP-BEGIN and KTAP-END, and printk lines there are noise", () => {
    const ev = feed([
      `${M} START 6.12.117+deb12-cloud-amd64`,
      `${M} KTAP-BEGIN`,
      "KTAP version 1\r",
      "1..2",
      "[   12.345678] random: crng init done",
      "    # Subtest: io_cancel.params.0",
      `${M} LOG [ 1/31] pass    io_cancel.iocb-null.rejected`,
      "ok 1 io_cancel.params.0",
      "",
      `${M} KTAP-END 0`,
      "[   20.1] reboot: Power down",
    ]);
    expect(ev.filter((e) => e.kind === "ktap").map((e) => (e as { line: string }).line)).to.deep.equal([
      "KTAP version 1",
      "1..2",
      "    # Subtest: io_cancel.params.0",
      "ok 1 io_cancel.params.0",
    ]);
    expect(ev.filter((e) => e.kind === "log")).to.deep.equal([{ kind: "log", line: "[ 1/31] pass    io_cancel.iocb-null.rejected" }]);
    expect(ev.filter((e) => e.kind === "noise").map((e) => (e as { line: string }).line)).to.include("[   12.345678] random: crng init done");
    expect(ev.find((e) => e.kind === "suite-exit")).to.deep.equal({ kind: "suite-exit", code: 0 });
  });

  it("does not take KTAP-looking lines outside the KTAP section as KTAP", () => {
    const ev = feed(["ok 1 fake", `${M} KTAP-BEGIN`, `${M} KTAP-END 1`, "ok 2 after"]);
    expect(ev.filter((e) => e.kind === "ktap")).to.have.length(0);
    expect(ev.find((e) => e.kind === "suite-exit")).to.deep.equal({ kind: "suite-exit", code: 1 });
  });

  it("ignores markers of another boot (a different nonce)", () => {
    const other = markerOf("ffffffffffffffff");
    const ev = feed([`${other} START 5.10`, `${other} KTAP-BEGIN`, "ok 1 x", `${other} DONE`]);
    expect(ev.every((e) => e.kind === "noise")).to.equal(true);
  });

  it("rebuilds a framed file from base64 lines, skipping kernel lines between them", () => {
    const data = Buffer.from(JSON.stringify({ kernel: { release: "6.1.0" }, pad: "x".repeat(500) }));
    const lines = framed("results.json", data);
    lines.splice(3, 0, "[   19.000001] some kernel message");
    const ev = feed([`${M} KTAP-END 0`, ...lines, `${M} DONE`]);
    const file = ev.find((e) => e.kind === "file") as { kind: "file"; name: string; data: Buffer };
    expect(file.name).to.equal("results.json");
    expect(file.data.equals(data)).to.equal(true);
    expect(ev.at(-1)).to.deep.equal({ kind: "done" });
  });

  it("reports a file whose bytes do not match the digest (a line was damaged)", () => {
    const data = Buffer.from("hello world, this is a report");
    const lines = framed("summary.md", data);
    lines[1] = lines[1]!.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    const ev = feed(lines);
    expect(ev).to.deep.equal([{ kind: "file-corrupt", name: "summary.md", why: `sha256 mismatch (${data.length} bytes received)` }]);
  });

  it("reports an end marker without its begin marker", () => {
    const ev = feed([`${M} FILE-END results.json abc`]);
    expect(ev[0]).to.include({ kind: "file-corrupt", name: "results.json" });
  });

  it("strips CR and escape sequences", () => {
    expect(cleanLine("\x1b[0mok 1 x\r")).to.equal("ok 1 x");
  });
});

describe("vm console line buffering", () => {
  it("joins lines split across chunks and keeps an unterminated tail for flush()", () => {
    const b = new LineBuffer();
    expect(b.push("KTAP ver")).to.deep.equal([]);
    expect(b.push("sion 1\r\n1..")).to.deep.equal(["KTAP version 1\r"]);
    expect(b.push("2\nok")).to.deep.equal(["1..2"]);
    expect(b.flush()).to.deep.equal(["ok"]);
    expect(b.flush()).to.deep.equal([]);
  });

  it("keeps the last N non-blank lines", () => {
    const t = new LastLines(3);
    for (const l of ["a", "", "b", "c", "d"]) t.push(l);
    expect(t.get()).to.deep.equal(["b", "c", "d"]);
  });
});
