// SPDX-License-Identifier: GPL-2.0-only
// KTAP text: a test name, directive or diagnostic is one line whatever the
// spec said. Readers split lines on more than "\n" (Python's splitlines on
// \v \f \x1c-\x1e U+0085 U+2028 U+2029, some on \r), so every line break of
// any kind becomes a space, and other control characters are escaped as \xNN
// so the text stays readable and reversible by eye.

/** Line breaks of every kind a reader might split on. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\x1c-\x1e\u0085\u2028\u2029]/g;
/** C0 and C1 controls and DEL that are not line breaks; tab too (a tab in indentation is invalid KTAP). */
const CONTROLS = /[\x00-\x08\t\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]/g;

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;

/** Text for a diagnostic line: one line, control characters escaped; "#" allowed (a link's fragment). */
export function ktapText(text: string): string {
  return text.replace(LINE_BREAKS, " ").replace(CONTROLS, hex).replace(/ {2,}/g, " ").trim();
}

/**
 * A test name or a directive's reason: one line, and no "#", which would start
 * a directive (KTAP has no escape for it). "#" is written as "no." as in
 * "no. 3"; names we generate never hold one.
 */
export function ktapName(text: string): string {
  return ktapText(text).replace(/#/g, "no.");
}

/**
 * A test's name on a result line and its "# Subtest:" header: ktapName, and
 * never empty (a header needs a name to pair with its result line) nor
 * starting with "- " (TAP's optional separator, which readers strip).
 */
export function ktapTestName(text: string): string {
  const name = ktapName(text);
  if (name === "") return "unnamed";
  return name.startsWith("- ") || name === "-" ? `_${name}` : name;
}
