// SPDX-License-Identifier: GPL-2.0-only
// Text for a terminal (stderr progress, messages): no control characters, so
// spec or kernel text cannot move the cursor, recolour, retitle the window or
// hide what follows (ANSI CSI / OSC sequences start with ESC or U+009B).
import { ktapText } from "./ktap.js";

/** One line, every control character (ESC, CSI, BEL, ...) shown as \xNN. */
export function terminalText(text: string): string {
  return ktapText(text);
}
