// SPDX-License-Identifier: GPL-2.0-only
// The structure of a man page: sections, paragraphs and tagged items (.TP/.IP),
// built from roff events. Items nested under .RS inside an item's body fold into
// that body, so an ERRORS list yields one item per error, not one per sub-bullet.
import type { RoffEvent } from "./groff.js";

/** A piece of text and the 1-based source line it came from. */
export interface TextLine {
  text: string;
  line: number;
}

/** Running text: the lines of one paragraph, in order. */
export interface Paragraph {
  line: number;
  lines: TextLine[];
}

/** A tagged paragraph: .TP (tag on the next line, more tags via .TQ) or .IP tag. */
export interface ManItem {
  kind: "item";
  via: "TP" | "IP";
  tags: TextLine[];
  body: Paragraph[];
  line: number;
  depth: number;
}

export type ManBlock =
  | { kind: "paragraph"; paragraph: Paragraph; depth: number }
  | ManItem
  | { kind: "subheading"; text: string; line: number };

export interface ManSection {
  name: string;
  line: number;
  blocks: ManBlock[];
}

/** The .TH line: title, section, date, source (e.g. "Linux man-pages 6.03"), manual. */
export interface ManHeader {
  title: string;
  section: string;
  date?: string;
  source?: string;
  manual?: string;
  line: number;
}

export interface ManDocument {
  header?: ManHeader;
  sections: ManSection[];
}

/** Where the next text goes: the open top-level item (if any) and the open paragraph. */
interface BuildState {
  section: ManSection | null;
  depth: number;
  item: ManItem | null;
  para: Paragraph | null;
}

/** Groups roff events into sections and blocks. Text before the first .SH is dropped. */
export function buildDocument(events: RoffEvent[]): ManDocument {
  const doc: ManDocument = { sections: [] };
  const st: BuildState = { section: null, depth: 0, item: null, para: null };

  const closeItem = (): void => {
    st.item = null;
    st.para = null;
  };
  const startParagraph = (first: TextLine, line: number): void => {
    const p: Paragraph = { line, lines: [first] };
    if (st.item !== null) st.item.body.push(p);
    else st.section?.blocks.push({ kind: "paragraph", paragraph: p, depth: st.depth });
    st.para = p;
  };
  const startItem = (via: "TP" | "IP", tag: TextLine): void => {
    const item: ManItem = { kind: "item", via, tags: tag.text === "" ? [] : [tag], body: [], line: tag.line, depth: st.depth };
    st.section?.blocks.push(item);
    st.item = item;
    st.para = null;
  };

  for (const ev of events) {
    const item = st.item;
    switch (ev.kind) {
      case "title": {
        const [title = "", section = "", date, source, manual] = ev.args;
        doc.header = { title, section, line: ev.line };
        if (date) doc.header.date = date;
        if (source) doc.header.source = source;
        if (manual) doc.header.manual = manual;
        break;
      }
      case "heading":
        // .SH and .SS reset the .RS level, as the man macros do.
        st.depth = 0;
        closeItem();
        if (ev.level === 1) {
          st.section = { name: ev.text, line: ev.line, blocks: [] };
          doc.sections.push(st.section);
        } else {
          st.section?.blocks.push({ kind: "subheading", text: ev.text, line: ev.line });
        }
        break;
      case "paragraph":
        if (item !== null && st.depth > item.depth) st.para = null; // a paragraph inside the item's .RS
        else closeItem();
        break;
      case "tag": {
        const tag = { text: ev.text, line: ev.line };
        if (item !== null && ev.more && item.body.length === 0) item.tags.push(tag);
        else if (item !== null && st.depth > item.depth) {
          // A nested list entry becomes a paragraph of the enclosing item: "tag body".
          startParagraph(tag, ev.line);
        } else startItem("TP", tag);
        break;
      }
      case "indented":
        if (ev.tag === "") {
          // An untagged .IP continues the open item with a new paragraph.
          if (item !== null && st.depth < item.depth) closeItem();
          st.para = null;
        } else if (item !== null && (st.depth > item.depth || item.via === "TP")) {
          // Bullets under a .TP entry describe that entry.
          startParagraph({ text: ev.tag, line: ev.line }, ev.line);
        } else startItem("IP", { text: ev.tag, line: ev.line });
        break;
      case "indent":
        st.depth = Math.max(0, st.depth + ev.delta);
        if (item !== null && st.depth < item.depth) closeItem();
        else st.para = null;
        break;
      case "break":
      case "fill":
        // Line breaks and no-fill blocks change layout, not what the words say.
        break;
      case "text":
        if (st.section === null) break;
        if (st.para === null) startParagraph({ text: ev.text, line: ev.line }, ev.line);
        else st.para.lines.push({ text: ev.text, line: ev.line });
        break;
    }
  }
  return doc;
}

/** A paragraph as one line of text, with a map from text offsets back to source lines. */
export interface FlatText {
  text: string;
  /** Source line of the character at `offset` in `text`. */
  lineAt(offset: number): number;
}

/** Joins a paragraph's lines with single blanks; layout whitespace carries no meaning here. */
export function flatten(p: Paragraph): FlatText {
  let text = "";
  const starts: { offset: number; line: number }[] = [];
  for (const l of p.lines) {
    const t = l.text.replace(/\s+/g, " ").trim();
    if (t === "") continue;
    if (text !== "") text += " ";
    starts.push({ offset: text.length, line: l.line });
    text += t;
  }
  return {
    text,
    lineAt(offset: number): number {
      let line = p.line;
      for (const s of starts) {
        if (s.offset > offset) break;
        line = s.line;
      }
      return line;
    },
  };
}

/** The body of an item as text, one paragraph per line. */
export function itemText(item: ManItem): string {
  return item.body
    .map((p) => flatten(p).text)
    .filter((t) => t !== "")
    .join("\n");
}

/** A whole section as text: paragraphs and items one per line, tags before their body. */
export function sectionText(section: ManSection): string {
  const out: string[] = [];
  for (const b of section.blocks) {
    if (b.kind === "paragraph") out.push(flatten(b.paragraph).text);
    else if (b.kind === "subheading") out.push(b.text);
    else {
      out.push(b.tags.map((t) => t.text).join(", "));
      out.push(itemText(b));
    }
  }
  return out.filter((t) => t !== "").join("\n");
}

/** Section names compared without case or extra blanks: "Return  value" is RETURN VALUE. */
export function findSection(doc: ManDocument, ...names: string[]): ManSection | undefined {
  const wanted = new Set(names.map(normalizeHeading));
  return doc.sections.find((s) => wanted.has(normalizeHeading(s.name)));
}

function normalizeHeading(name: string): string {
  return name.replace(/\s+/g, " ").trim().toUpperCase();
}
