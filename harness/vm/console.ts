// SPDX-License-Identifier: GPL-2.0-only
// The serial console protocol between the VM's /init and the host. The console
// carries kernel messages (printk goes straight to ttyS0), firmware escape
// codes and our own output; every line the init script prints starts with a
// per-boot marker (a random nonce passed on the kernel command line), so the
// host tells them apart without trusting anything else on the line.
//
//   <M> START <release>                 init reached userspace
//   <M> KTAP-BEGIN                      suite's stdout (KTAP) follows, unprefixed
//   <M> LOG <text>                      one line of the suite's stderr (progress)
//   <M> KTAP-END <exit code>            suite finished
//   <M> FILE-BEGIN <name>               base64 of a report file follows
//   <M> FILE-END <name> <sha256>        end of that file, with its digest
//   <M> DONE                            init is about to power off

import { createHash } from "node:crypto";

export const MARKER_PREFIX = "KAPI-";

export function markerOf(nonce: string): string {
  return `${MARKER_PREFIX}${nonce}`;
}

/** What one console line turned out to be. */
export type ConsoleEvent =
  | { kind: "noise"; line: string }
  | { kind: "start"; release: string }
  | { kind: "ktap"; line: string }
  | { kind: "log"; line: string }
  | { kind: "suite-exit"; code: number }
  | { kind: "file"; name: string; data: Buffer }
  | { kind: "file-corrupt"; name: string; why: string }
  | { kind: "done" };

// printk with CONFIG_PRINTK_TIME (Debian's default): "[    1.234567] text".
const PRINTK = /^\[\s*\d+\.\d+\]/;
// Firmware and terminal escape sequences (SeaBIOS clears the screen, "ESC c" resets).
const ESCAPES = /\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_]|c)/g;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strips carriage returns and escape sequences; the serial line ends in CRLF. */
export function cleanLine(raw: string): string {
  return raw.replace(ESCAPES, "").replace(/\r/g, "");
}

type State = { section: "boot" } | { section: "ktap" } | { section: "file"; name: string; chunks: string[] } | { section: "after" };

/**
 * Classifies console lines one at a time (the console is streamed, so KTAP can
 * be passed on as it arrives). Keeps only what it needs: the state of the
 * section it is in, and the base64 of the file being received.
 */
export class ConsoleSplitter {
  private readonly marker: string;
  private state: State = { section: "boot" };

  constructor(nonce: string) {
    this.marker = markerOf(nonce);
  }

  push(raw: string): ConsoleEvent[] {
    const line = cleanLine(raw);
    // A marker may follow junk on the same line (an escape sequence that left
    // text behind, a printk without newline), so look for it anywhere.
    const at = line.indexOf(this.marker + " ");
    if (at >= 0) return this.marked(line.slice(at + this.marker.length + 1));
    const state = this.state;
    if (state.section === "ktap") {
      // Kernel messages can land between two KTAP lines; KTAP never starts with "[".
      if (PRINTK.test(line) || line.trim() === "") return [{ kind: "noise", line }];
      return [{ kind: "ktap", line }];
    }
    if (state.section === "file") {
      const text = line.trim();
      if (text !== "" && BASE64_LINE.test(text)) {
        state.chunks.push(text);
        return [];
      }
      return [{ kind: "noise", line }];
    }
    return [{ kind: "noise", line }];
  }

  private marked(rest: string): ConsoleEvent[] {
    const [word = "", ...args] = rest.split(" ");
    switch (word) {
      case "START":
        return [{ kind: "start", release: args.join(" ").trim() }];
      case "KTAP-BEGIN":
        this.state = { section: "ktap" };
        return [];
      case "LOG":
        return [{ kind: "log", line: args.join(" ") }];
      case "KTAP-END": {
        this.state = { section: "after" };
        const code = Number(args[0]);
        return [{ kind: "suite-exit", code: Number.isInteger(code) ? code : -1 }];
      }
      case "FILE-BEGIN":
        this.state = { section: "file", name: args[0] ?? "", chunks: [] };
        return [];
      case "FILE-END":
        return [this.endFile(args[0] ?? "", args[1] ?? "")];
      case "DONE":
        this.state = { section: "after" };
        return [{ kind: "done" }];
      default:
        return [{ kind: "noise", line: rest }];
    }
  }

  private endFile(name: string, digest: string): ConsoleEvent {
    const state = this.state;
    this.state = { section: "after" };
    if (state.section !== "file" || state.name !== name) return { kind: "file-corrupt", name, why: "end marker without a matching begin marker" };
    const data = Buffer.from(state.chunks.join(""), "base64");
    const actual = createHash("sha256").update(data).digest("hex");
    // A kernel message that split a base64 line would change the bytes: the digest says so.
    if (actual !== digest) return { kind: "file-corrupt", name, why: `sha256 mismatch (${data.length} bytes received)` };
    return { kind: "file", name, data };
  }
}

/** Splits a byte stream into lines, keeping the unfinished tail for the next chunk. */
export class LineBuffer {
  private tail = "";

  push(chunk: string): string[] {
    const parts = (this.tail + chunk).split("\n");
    this.tail = parts.pop() ?? "";
    return parts;
  }

  /** The unterminated last line, if any (the console may stop mid-line). */
  flush(): string[] {
    const rest = this.tail;
    this.tail = "";
    return rest === "" ? [] : [rest];
  }
}

/** The last N lines seen, for the error message of a boot that went wrong. */
export class LastLines {
  private readonly lines: string[] = [];

  constructor(private readonly limit = 20) {}

  push(line: string): void {
    if (line.trim() === "") return;
    this.lines.push(line);
    if (this.lines.length > this.limit) this.lines.shift();
  }

  get(): string[] {
    return [...this.lines];
  }
}
