// SPDX-License-Identifier: GPL-2.0-only
// A child process started ahead of its use must not keep this process alive
// while unused: its process handle, IPC channel and stdio pipes are each
// counted by the event loop, so all of them are unref'd, and ref'd again when
// the child is put to work.
import type { ChildProcess } from "node:child_process";
import { Socket } from "node:net";

/** Whether `child` (process, IPC channel, stdio pipes) keeps this process's event loop alive. */
export function holdEventLoop(child: ChildProcess, on: boolean): void {
  const handles: Array<{ ref(): unknown; unref(): unknown }> = [child];
  if (child.channel) handles.push(child.channel);
  for (const s of child.stdio) if (s instanceof Socket) handles.push(s);
  for (const h of handles) {
    if (on) h.ref();
    else h.unref();
  }
}
