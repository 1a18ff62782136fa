// SPDX-License-Identifier: GPL-2.0-only
// Joining the lines of a prose section. Comment text is hard-wrapped, so the
// lines of a paragraph are one sentence stream (joined with single spaces);
// blank comment lines separate paragraphs ("\n\n"); "- item" lines are list
// entries and keep a line each, with their wrapped continuation joined on.
// Code (examples:) keeps every line as written.

/** A non-blank prose line: indentation after the comment prefix, the trimmed text and, when known, its input line. */
export interface ProseLine {
  indent: number;
  text: string;
  line?: number;
}

/** `null` marks a blank comment line. */
export type ProseInput = ReadonlyArray<ProseLine | null>;

const LIST_ITEM = /^[-*\u2022]\s/;

export function renderProse(lines: ProseInput, mode: "prose" | "code"): string {
  return renderProseWithLines(lines, mode).text;
}

/**
 * renderProse, plus where each input line landed: [offset, line] for every
 * input line that carries its `line` (see LineMap in model.ts).
 */
export function renderProseWithLines(lines: ProseInput, mode: "prose" | "code"): { text: string; textLines: Array<[number, number]> } {
  /** Entries of the current paragraph (joined with "\n"), with where each input line starts in its entry. */
  const paragraphs: { entries: string[]; starts: Array<[number, number, number]> }[] = [];
  let current: string[] = [];
  let starts: Array<[number, number, number]> = [];
  let itemIndent: number | undefined;
  const flush = () => {
    if (current.length > 0) paragraphs.push({ entries: current, starts });
    current = [];
    starts = [];
    itemIndent = undefined;
  };
  const newEntry = (line: ProseLine) => {
    if (line.line !== undefined) starts.push([current.length, 0, line.line]);
    current.push(line.text);
  };
  for (const line of lines) {
    if (line === null) {
      flush();
      continue;
    }
    if (mode === "code") {
      newEntry(line);
      continue;
    }
    const last = current.length - 1;
    if (LIST_ITEM.test(line.text)) {
      newEntry(line);
      itemIndent = line.indent;
    } else if (last < 0) {
      newEntry(line);
    } else if (itemIndent !== undefined && line.indent <= itemIndent) {
      // Text back at the item's own column after a list: a new line, not part of the item.
      newEntry(line);
      itemIndent = undefined;
    } else {
      if (line.line !== undefined) starts.push([last, current[last]!.length + 1, line.line]);
      current[last] = `${current[last]} ${line.text}`;
    }
  }
  flush();
  const textLines: Array<[number, number]> = [];
  let base = 0;
  for (const [i, p] of paragraphs.entries()) {
    if (i > 0) base += 2;
    const entryBase: number[] = [];
    let at = base;
    for (const [j, e] of p.entries.entries()) {
      if (j > 0) at += 1;
      entryBase.push(at);
      at += e.length;
    }
    for (const [entry, offset, line] of p.starts) textLines.push([entryBase[entry]! + offset, line]);
    base = at;
  }
  return { text: paragraphs.map((p) => p.entries.join("\n")).join("\n\n"), textLines };
}
