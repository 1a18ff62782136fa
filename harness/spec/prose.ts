// SPDX-License-Identifier: GPL-2.0-only
// Joining the lines of a prose section. Comment text is hard-wrapped, so the
// lines of a paragraph are one sentence stream (joined with single spaces);
// blank comment lines separate paragraphs ("\n\n"); "- item" lines are list
// entries and keep a line each, with their wrapped continuation joined on.
// Code (examples:) keeps every line as written.

/** A non-blank prose line: indentation after the comment prefix, and the trimmed text. */
export interface ProseLine {
  indent: number;
  text: string;
}

/** `null` marks a blank comment line. */
export type ProseInput = ReadonlyArray<ProseLine | null>;

const LIST_ITEM = /^[-*\u2022]\s/;

export function renderProse(lines: ProseInput, mode: "prose" | "code"): string {
  const paragraphs: string[] = [];
  let current: string[] = [];
  let itemIndent: number | undefined;
  const flush = () => {
    if (current.length > 0) paragraphs.push(current.join("\n"));
    current = [];
    itemIndent = undefined;
  };
  for (const line of lines) {
    if (line === null) {
      flush();
      continue;
    }
    if (mode === "code") {
      current.push(line.text);
      continue;
    }
    const last = current.length - 1;
    if (LIST_ITEM.test(line.text)) {
      current.push(line.text);
      itemIndent = line.indent;
    } else if (last < 0) {
      current.push(line.text);
    } else if (itemIndent !== undefined && line.indent <= itemIndent) {
      // Text back at the item's own column after a list: a new line, not part of the item.
      current.push(line.text);
      itemIndent = undefined;
    } else {
      current[last] = `${current[last]} ${line.text}`;
    }
  }
  flush();
  return paragraphs.join("\n\n");
}
