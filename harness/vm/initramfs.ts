// SPDX-License-Identifier: GPL-2.0-only
// The VM's initramfs, in three newc archives concatenated (the kernel unpacks
// each in turn): the base (static busybox, the Node runtime and the libraries
// it loads; uncompressed), the app (the kselftest package's one-file bundle with
// ffi-rs's native module and the specs, /init) and the per-kernel extras (its
// config). Base and app are cached by a key over their files' paths, sizes and
// mtimes (the app's by content, it is rebuilt per run): rebuilding the project
// only recompresses the small, gzip'd app part, and Node's ~100 MB are
// written only once.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { readdir, readFile, realpath, rename, rm, stat } from "node:fs/promises";
import { join, posix, relative } from "node:path";
import { pipeline } from "node:stream/promises";
import { cacheDir, cacheKey } from "./cache.js";
import { writeCpioFile, writeCpioGz, type CpioEntry } from "./cpio.js";
import { VM_KERNEL_CONFIG, VM_PROJECT_DIR, initScript, probeInitScript } from "./init-script.js";
import { OPTIONAL_LIBRARIES, writeApp } from "../package/kselftest.js";
import { findLibrary, sharedLibraries } from "./shared-libs.js";

/** Host files the suite reads when present: libaio for the library claims, the man page for drift. */
export const OPTIONAL_HOST_FILES = ["/usr/share/man/man2/io_cancel.2.gz"];
export { OPTIONAL_LIBRARIES };

const ROOT_DIRS = ["/bin", "/sbin", "/usr/bin", "/dev", "/proc", "/sys", "/tmp", "/root", "/boot", "/etc"];

/** Adds every missing parent directory before its first child (the kernel creates no parents). */
export function withParentDirs(entries: CpioEntry[]): CpioEntry[] {
  const seen = new Set<string>(["/"]);
  const out: CpioEntry[] = [];
  const ensure = (dir: string) => {
    if (seen.has(dir)) return;
    ensure(posix.dirname(dir));
    seen.add(dir);
    out.push({ type: "dir", path: dir });
  };
  for (const e of entries) {
    const path = posix.normalize("/" + e.path.replace(/^\/+/, ""));
    ensure(posix.dirname(path));
    if (e.type === "dir") {
      if (seen.has(path)) continue;
      seen.add(path);
    }
    out.push({ ...e, path });
  }
  return out;
}

export interface BaseInputs {
  /** A static busybox on the host. */
  busybox: string;
  /** The Node binary; it goes to the same path in the VM. */
  node: string;
  /** Shared libraries, each placed at the path given. */
  libraries: string[];
}

/** Busybox, Node and its libraries, the mount points and /dev/console (init's stdio before devtmpfs). */
export function baseEntries(inputs: BaseInputs): CpioEntry[] {
  return withParentDirs([
    ...ROOT_DIRS.map((path): CpioEntry => ({ type: "dir", path })),
    { type: "chardev", path: "/dev/console", major: 5, minor: 1 },
    { type: "file", path: "/bin/busybox", source: inputs.busybox, mode: 0o755 },
    { type: "file", path: inputs.node, source: inputs.node, mode: 0o755 },
    ...inputs.libraries.map((lib): CpioEntry => ({ type: "file", path: lib, source: lib })),
  ]);
}

export interface AppInputs {
  /** The app directory on the host (package/kselftest.ts writeApp). */
  root: string;
  /** App files (absolute host paths under root), placed under VM_PROJECT_DIR. */
  files: string[];
  /** Host files copied to the same path (man page, optional libraries). */
  hostFiles: string[];
  /** The Node binary's path in the VM, for /init. */
  node: string;
}

export function appEntries(inputs: AppInputs): CpioEntry[] {
  return withParentDirs([
    { type: "data", path: "/init", data: Buffer.from(initScript(inputs.node)), mode: 0o755 },
    ...inputs.files.map((file): CpioEntry => {
      const rel = relative(inputs.root, file);
      if (rel.startsWith("..")) throw new Error(`${file} is outside the app ${inputs.root}`);
      return { type: "file", path: posix.join(VM_PROJECT_DIR, rel.split("\\").join("/")), source: file };
    }),
    ...inputs.hostFiles.map((file): CpioEntry => ({ type: "file", path: file, source: file })),
  ]);
}

/** The kernel's own extras: its config, so the suite's config checks read the booted kernel's. */
export function kernelEntries(config: string | undefined): CpioEntry[] {
  return config ? withParentDirs([{ type: "file", path: VM_KERNEL_CONFIG, source: config, mode: 0o644 }]) : [];
}

/** Files at most this big are keyed by content (the app, written afresh per run), bigger ones by size and mtime. */
const HASH_BELOW = 16 << 20;

async function fingerprint(entries: CpioEntry[], extra: string): Promise<string> {
  const parts = [extra];
  for (const e of entries) {
    if (e.type !== "file") continue;
    const st = await stat(e.source);
    parts.push(st.size < HASH_BELOW ? `${e.path}:${createHash("sha256").update(await readFile(e.source)).digest("hex")}` : `${e.source}:${st.size}:${st.mtimeMs}`);
  }
  return cacheKey(...parts);
}

/** Writes entries as a cached .cpio (or .cpio.gz) named by a key over their sources; returns its path. */
async function cachedArchive(kind: string, entries: CpioEntry[], extra: string, compressed = true): Promise<{ path: string; cached: boolean }> {
  const key = await fingerprint(entries, extra + JSON.stringify(entries.map((e) => [e.type, e.path])));
  const dir = await cacheDir("initramfs");
  const path = join(dir, `${kind}-${key}${compressed ? ".cpio.gz" : ".cpio"}`);
  if (existsSync(path)) return { path, cached: true };
  // Written aside and renamed: an interrupted build never leaves a truncated piece under the final name.
  const partial = `${path}.${process.pid}.partial`;
  await (compressed ? writeCpioGz(entries, partial) : writeCpioFile(entries, partial));
  await rename(partial, path);
  await prune(dir, kind, path);
  return { path, cached: false };
}

/** Pieces kept per kind: every build of the project makes a new app piece. */
const KEEP_PER_KIND = 3;

/** Removes the oldest pieces of a kind beyond KEEP_PER_KIND (never the one just written). */
async function prune(dir: string, kind: string, keep: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(`${kind}-`) && /\.cpio(\.gz)?$/.test(n));
  const aged = await Promise.all(names.map(async (n) => ({ path: join(dir, n), mtime: (await stat(join(dir, n))).mtimeMs })));
  aged.sort((a, b) => b.mtime - a.mtime);
  for (const old of aged.slice(KEEP_PER_KIND)) if (old.path !== keep) await rm(old.path, { force: true });
}

export interface HostRuntime {
  busybox: string;
  node: string;
  libraries: string[];
  hostFiles: string[];
}

/** Finds what the VM needs from this host: Node, its libraries, the ffi-rs module's, and the optional ones. */
export async function hostRuntime(busybox: string, files: string[]): Promise<HostRuntime> {
  const node = await realpath(process.execPath);
  const natives = files.filter((f) => f.endsWith(".node"));
  const libraries = await sharedLibraries([node, ...natives]);
  for (const soname of OPTIONAL_LIBRARIES) {
    const lib = await findLibrary(soname);
    if (lib && !libraries.includes(lib)) libraries.push(lib);
  }
  const hostFiles = OPTIONAL_HOST_FILES.filter((f) => existsSync(f));
  return { busybox, node, libraries, hostFiles };
}

export interface BuiltInitramfs {
  /** The concatenated image to pass to qemu -initrd. */
  image: string;
  /** Which pieces came from the cache. */
  cached: { base: boolean; app: boolean };
}

/** Builds (or reuses) base and app, adds the kernel's extras, and concatenates them into `workDir`. */
export async function buildInitramfs(options: { root: string; busybox: string; kernelConfig?: string; workDir: string }): Promise<BuiltInitramfs> {
  // The same app as the kselftest package: one bundle instead of the build tree and node_modules.
  const appDir = join(options.workDir, "app");
  const files = await writeApp(options.root, appDir);
  const host = await hostRuntime(options.busybox, files);
  // The base uncompressed: a guest under TCG takes 1.4 s to gunzip its ~100 MB, and qemu reads the file as it is.
  const base = await cachedArchive("base", baseEntries(host), "", false);
  const app = await cachedArchive("app", appEntries({ root: appDir, files, hostFiles: host.hostFiles, node: host.node }), initScript(host.node));
  const pieces = [base.path, app.path];
  const extras = kernelEntries(options.kernelConfig);
  if (extras.length > 0) {
    const path = join(options.workDir, "kernel.cpio.gz");
    await writeCpioGz(extras, path);
    pieces.push(path);
  }
  const image = join(options.workDir, "initramfs.img");
  await concatenate(pieces, image);
  return { image, cached: { base: base.cached, app: app.cached } };
}

/** The probe's initramfs: busybox and an init that powers off at once. */
export async function buildProbeInitramfs(busybox: string): Promise<string> {
  const entries = withParentDirs([
    ...ROOT_DIRS.map((path): CpioEntry => ({ type: "dir", path })),
    { type: "chardev", path: "/dev/console", major: 5, minor: 1 },
    { type: "file", path: "/bin/busybox", source: busybox, mode: 0o755 },
    { type: "data", path: "/init", data: Buffer.from(probeInitScript()), mode: 0o755 },
  ]);
  return (await cachedArchive("probe", entries, probeInitScript())).path;
}

async function concatenate(pieces: string[], target: string): Promise<void> {
  const out = createWriteStream(target);
  for (const piece of pieces) await pipeline(createReadStream(piece), out, { end: false });
  out.end();
  await new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
}
