// SPDX-License-Identifier: GPL-2.0-only
// XML 1.0 text: characters XML 1.0 forbids (C0 controls but tab, newline and
// CR; lone surrogates; U+FFFE, U+FFFF) cannot be escaped, not even as
// character references, so they are replaced by a visible "\xNN" / "\uNNNN".
// The XML library escapes markup (& < > ") itself.

const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const visible = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/** Element text or an attribute value that XML 1.0 can hold. */
export function xmlText(text: string): string {
  return text.replace(FORBIDDEN, visible);
}

/** An attribute value on one line: line breaks in attributes are normalised away by parsers anyway. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/\r\n|[\r\n\t\u0085\u2028\u2029]/g, " ");
}
