// SPDX-License-Identifier: GPL-2.0-only
// Finding and reading an installed man page: `man -w`, the usual directories,
// gzip (by magic number, not by name) and whole-page `.so` redirections.
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";

/** Debian package with the section 2 and 3 pages of the Linux man-pages project. */
export const MAN_PAGES_PACKAGE = "manpages-dev";

/** Where pages are looked for when `man` is absent or does not know the page. */
export const DEFAULT_MAN_ROOTS = ["/usr/share/man", "/usr/local/share/man"];

/** No page to read: says where it looked and what to install. */
export class ManPageNotFoundError extends Error {
  override name = "ManPageNotFoundError";
  constructor(
    /** The page asked for, "io_cancel(2)", or the explicit path. */
    readonly wanted: string,
    /** Each place tried, in order ("man -w 2 io_cancel: no entry", file paths). */
    readonly looked: string[],
  ) {
    super(
      `no man page for ${wanted}; looked: ${looked.join(", ")}. ` +
        `The Linux man-pages are in the Debian package ${MAN_PAGES_PACKAGE} (apt-get install ${MAN_PAGES_PACKAGE}).`,
    );
  }
}

export interface ManLookupOptions {
  /** Sections tried in order; default ["2"]. Section 3 pages of the same name
   *  (libaio's io_cancel(3)) describe a wrapper with other error conventions. */
  sections?: string[];
  /** Man roots searched directly (root/manN/NAME.N[.gz]); default DEFAULT_MAN_ROOTS. */
  roots?: string[];
  /** Ask `man -w` first; default true. False makes lookups independent of MANPATH. */
  useMan?: boolean;
}

/** Page text after decompression and redirections; `page` is the file it came from. */
export interface ManSource {
  page: string;
  source: string;
  /** Files that redirected (.so) on the way to `page`, first one first. */
  redirects: string[];
}

const GZIP_MAGIC = [0x1f, 0x8b];
const MAX_REDIRECTS = 8;

/** Page text from file bytes: gunzipped when gzip, UTF-8 either way. */
export function decodeManBytes(bytes: Buffer, file: string): string {
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) return gunzipSync(bytes).toString("utf8");
  // Other compressors need tools node:zlib lacks; say so instead of parsing binary.
  if (bytes.subarray(0, 3).toString("latin1") === "BZh" || bytes.subarray(1, 5).toString("latin1") === "7zXZ") {
    throw new Error(`${file}: compressed with bzip2 or xz, which this reader does not decompress`);
  }
  return bytes.toString("utf8");
}

/** The target of a page that is only a `.so other` line (comments and blanks aside). */
export function soTarget(source: string): string | undefined {
  const lines = source
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !/^['.]\s*\\"/.test(l) && l !== "." && l !== "'");
  if (lines.length !== 1) return undefined;
  const m = /^\.\s*so\s+(\S+)\s*$/.exec(lines[0]!);
  return m?.[1];
}

async function readIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EISDIR") return undefined;
    throw err;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Reads a page file, following `.so` relative to its man root (the parent of manN/). */
export async function loadManSource(file: string): Promise<ManSource> {
  const redirects: string[] = [];
  let current = file;
  for (;;) {
    const bytes = await readIfExists(current);
    if (bytes === undefined) {
      const via = redirects.length > 0 ? ` (redirected from ${redirects.join(" -> ")})` : "";
      throw new ManPageNotFoundError(current + via, [current]);
    }
    const source = decodeManBytes(bytes, current);
    const target = soTarget(source);
    if (target === undefined) return { page: current, source, redirects };
    if (redirects.length >= MAX_REDIRECTS) throw new Error(`${file}: more than ${MAX_REDIRECTS} .so redirections`);
    redirects.push(current);
    const root = path.dirname(path.dirname(current));
    const resolved = path.isAbsolute(target) ? target : path.join(root, target);
    // Installed targets are usually compressed though .so names them plain.
    const candidates = [resolved, `${resolved}.gz`];
    let found: string | undefined;
    for (const c of candidates) {
      if (await isFile(c)) {
        found = c;
        break;
      }
    }
    if (found === undefined) throw new ManPageNotFoundError(`${target} (.so in ${current})`, candidates);
    current = found;
  }
}

/** `man -w SECTION NAME`: the path, or why not (man missing, no entry). */
function manWhere(section: string, name: string): Promise<{ path?: string; note: string }> {
  const label = `man -w ${section} ${name}`;
  return new Promise((resolve) => {
    // The C locale keeps man from preferring a translated page.
    const env = { ...process.env, LC_ALL: "C", LANG: "C", LANGUAGE: "" };
    execFile("man", ["-w", section, name], { env, timeout: 10_000 }, (err, stdout) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        resolve({ note: code === "ENOENT" ? "man: not installed" : `${label}: no entry` });
        return;
      }
      const first = stdout.split("\n")[0]?.trim() ?? "";
      resolve(first === "" ? { note: `${label}: no entry` } : { path: first, note: `${label}: ${first}` });
    });
  });
}

/** Finds the page file for `name`; throws ManPageNotFoundError listing every place tried. */
export async function locateManPage(name: string, options: ManLookupOptions = {}): Promise<string> {
  // A name is a word, never a path or an option for man(1).
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(name)) throw new Error(`not a man page name: '${name}'`);
  const sections = options.sections ?? ["2"];
  const roots = options.roots ?? DEFAULT_MAN_ROOTS;
  const looked: string[] = [];
  let manMissing = false;
  for (const section of sections) {
    if ((options.useMan ?? true) && !manMissing) {
      const r = await manWhere(section, name);
      looked.push(r.note);
      manMissing = r.note === "man: not installed";
      if (r.path !== undefined && (await isFile(r.path))) return r.path;
    }
    for (const root of roots) {
      for (const suffix of [".gz", ""]) {
        const file = path.join(root, `man${section}`, `${name}.${section}${suffix}`);
        looked.push(file);
        if (await isFile(file)) return file;
      }
    }
  }
  throw new ManPageNotFoundError(`${name}(${sections.join("/")})`, looked);
}
