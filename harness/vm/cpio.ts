// SPDX-License-Identifier: GPL-2.0-only
// A writer for the cpio "newc" format the kernel unpacks as an initramfs
// (Documentation/driver-api/early-userspace/buffer-format.rst), gzip-compressed.
// Written here rather than through cpio(1) so entries can come from anywhere on
// disk (or from memory) without a staging copy, and the archive is
// reproducible: fixed owners, mtimes and inode numbers.
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createGzip } from "node:zlib";
import type { Writable } from "node:stream";
import { once } from "node:events";
import { finished, pipeline } from "node:stream/promises";

export type CpioEntry =
  | { type: "dir"; path: string; mode?: number }
  | { type: "file"; path: string; mode?: number; source: string }
  | { type: "data"; path: string; mode?: number; data: Buffer }
  | { type: "symlink"; path: string; target: string }
  | { type: "chardev"; path: string; mode?: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

interface Header {
  ino: number;
  mode: number;
  nlink: number;
  size: number;
  rdevMajor?: number;
  rdevMinor?: number;
  name: string;
}

/** Header and name, padded so the data starts on a 4-byte boundary. */
export function cpioHeader(h: Header): Buffer {
  const name = Buffer.from(h.name + "\0", "utf8");
  const fields = [h.ino, h.mode, 0, 0, h.nlink, 0, h.size, 0, 0, h.rdevMajor ?? 0, h.rdevMinor ?? 0, name.length, 0];
  const head = Buffer.from("070701" + fields.map(hex8).join(""), "ascii");
  return Buffer.concat([head, name, pad4(head.length + name.length)]);
}

async function write(out: Writable, chunk: Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}

/** Archive paths are relative to the initramfs root, without a leading slash. */
function archiveName(path: string): string {
  return path.replace(/^\/+/, "");
}

/** Writes the entries (in order) and the trailer to `out`; returns the uncompressed size. */
export async function writeCpio(entries: CpioEntry[], out: Writable): Promise<number> {
  let ino = 721;
  let total = 0;
  const put = async (chunk: Buffer) => {
    total += chunk.length;
    await write(out, chunk);
  };
  for (const e of entries) {
    const name = archiveName(e.path);
    ino += 1;
    switch (e.type) {
      case "dir":
        await put(cpioHeader({ ino, mode: S_IFDIR | (e.mode ?? 0o755), nlink: 2, size: 0, name }));
        break;
      case "symlink": {
        const target = Buffer.from(e.target, "utf8");
        await put(cpioHeader({ ino, mode: S_IFLNK | 0o777, nlink: 1, size: target.length, name }));
        await put(Buffer.concat([target, pad4(target.length)]));
        break;
      }
      case "chardev":
        await put(cpioHeader({ ino, mode: S_IFCHR | (e.mode ?? 0o600), nlink: 1, size: 0, rdevMajor: e.major, rdevMinor: e.minor, name }));
        break;
      case "data":
        await put(cpioHeader({ ino, mode: S_IFREG | (e.mode ?? 0o644), nlink: 1, size: e.data.length, name }));
        await put(Buffer.concat([e.data, pad4(e.data.length)]));
        break;
      case "file": {
        const st = await stat(e.source);
        await put(cpioHeader({ ino, mode: S_IFREG | (e.mode ?? st.mode & 0o777), nlink: 1, size: st.size, name }));
        let copied = 0;
        for await (const chunk of createReadStream(e.source)) {
          copied += (chunk as Buffer).length;
          await put(chunk as Buffer);
        }
        // A file that changed while being archived would shift every later entry.
        if (copied !== st.size) throw new Error(`${e.source} changed size while being archived`);
        await put(pad4(st.size));
        break;
      }
    }
  }
  await put(cpioHeader({ ino: 0, mode: 0, nlink: 1, size: 0, name: "TRAILER!!!" }));
  return total;
}

/** Writes a newc archive to `file`, gzip-compressed at `gzipLevel` when one is given. */
export async function writeCpioFile(entries: CpioEntry[], file: string, gzipLevel?: number): Promise<void> {
  const out = createWriteStream(file);
  const gzip = gzipLevel === undefined ? undefined : createGzip({ level: gzipLevel });
  const sink: Writable = gzip ?? out;
  const done = gzip ? pipeline(gzip, out) : finished(out);
  try {
    await writeCpio(entries, sink);
    sink.end();
  } catch (err) {
    sink.destroy(err as Error);
    await done.catch(() => undefined);
    throw err;
  }
  await done;
}

/** Writes a gzip-compressed newc archive to `file`. */
export function writeCpioGz(entries: CpioEntry[], file: string, level = 6): Promise<void> {
  return writeCpioFile(entries, file, level);
}
