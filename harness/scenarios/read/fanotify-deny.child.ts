// SPDX-License-Identifier: GPL-2.0-only
// Child side of the fanotify permission scenario: reads the permission events
// of the fanotify group it inherits as fd 3 (blocking until the parent's read
// makes one), answers each with FAN_DENY, says so on stdout and exits. Its
// copy is the group's only descriptor: should it die unanswered, the kernel
// allows the pending access, so the parent's read never hangs on it.
import { closeSync, readSync, writeSync } from "node:fs";
import { dieWithParent } from "../../run/parent-death.js";

const FD = 3;
/** <linux/fanotify.h> */
const FAN_DENY = 0x02;

dieWithParent();
const events = Buffer.alloc(4096);
const n = readSync(FD, events);
// struct fanotify_event_metadata: event_len u32, vers u8, reserved u8, metadata_len u16, mask u64, fd s32, pid s32.
const masks: string[] = [];
for (let at = 0; at + 24 <= n; at += events.readUInt32LE(at)) {
  const fd = events.readInt32LE(at + 16);
  const response = Buffer.alloc(8);
  response.writeInt32LE(fd, 0);
  response.writeUInt32LE(FAN_DENY, 4);
  writeSync(FD, response);
  closeSync(fd);
  masks.push(`0x${events.readBigUInt64LE(at + 8).toString(16)}`);
}
process.stdout.write(`denied ${masks.join(",")}\n`);
