// SPDX-License-Identifier: GPL-2.0-only
// A kernel from a Debian linux-image-* package: resolved with apt-cache,
// fetched with `apt-get download` into the cache, its /boot unpacked with
// dpkg-deb. A meta-package (linux-image-cloud-amd64, linux-image-6.12-amd64)
// is followed to the image it depends on. Modules are not unpacked: the VM
// boots from the initramfs with a serial console, AIO and devtmpfs, all
// built into Debian's kernels.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { promisify } from "node:util";
import { InputError } from "../input-error.js";
import { cacheDir } from "./cache.js";
import type { KernelImage } from "./kernel-image.js";

const run = promisify(execFile);

export interface PackageInfo {
  name: string;
  version: string;
  filename?: string;
  depends: string[];
}

/** Parses one stanza of `apt-cache show` or `dpkg-deb -f` output. */
export function parseControl(text: string): PackageInfo | undefined {
  const fields = new Map<string, string>();
  let last = "";
  for (const line of text.split("\n")) {
    if (line === "") {
      if (fields.size > 0) break; // first stanza only
      continue;
    }
    if (/^\s/.test(line) && last) {
      fields.set(last, `${fields.get(last) ?? ""} ${line.trim()}`);
      continue;
    }
    const m = /^([\w-]+):\s*(.*)$/.exec(line);
    if (m) {
      last = m[1]!.toLowerCase();
      fields.set(last, m[2]!);
    }
  }
  const name = fields.get("package");
  const version = fields.get("version");
  if (!name || !version) return undefined;
  const depends = (fields.get("depends") ?? "")
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d !== "");
  const filename = fields.get("filename");
  return { name, version, ...(filename ? { filename } : {}), depends };
}

/** The linux-image package a meta-package points at: the first alternative named linux-image-*. */
export function imageDependency(info: PackageInfo): string | undefined {
  for (const dep of info.depends) {
    for (const alt of dep.split("|")) {
      const name = alt.trim().split(/[\s(]/)[0] ?? "";
      if (/^linux-image-/.test(name)) return name;
    }
  }
  return undefined;
}

let aptOptions: Promise<string[]> | undefined;

/**
 * Options for apt-cache and apt-get. Where apt keeps no package cache (Docker
 * images set Dir::Cache::pkgcache to ""), each call rebuilds it from the lists
 * in memory (about 0.5 s, twice for a meta-package); then one is kept in
 * kapi-conform's cache directory, which apt itself checks against the lists
 * and rebuilds when they change.
 */
function aptCacheOptions(): Promise<string[]> {
  return (aptOptions ??= (async () => {
    try {
      const { stdout } = await run("apt-config", ["dump", "Dir::Cache::pkgcache"], { encoding: "utf8" });
      if (!/^Dir::Cache::pkgcache "";$/m.test(stdout)) return [];
    } catch {
      return [];
    }
    const dir = await cacheDir("apt");
    return ["-o", `Dir::Cache::pkgcache=${join(dir, "pkgcache.bin")}`, "-o", `Dir::Cache::srcpkgcache=${join(dir, "srcpkgcache.bin")}`];
  })());
}

async function aptShow(name: string): Promise<PackageInfo> {
  try {
    const { stdout } = await run("apt-cache", [...(await aptCacheOptions()), "show", "--no-all-versions", name], { encoding: "utf8" });
    const info = parseControl(stdout);
    if (info) return info;
  } catch {
    // falls through to the message below
  }
  throw new InputError(
    `vm: no Debian package '${name}' in the configured apt sources (run 'apt-get update'; 'apt-cache search linux-image' lists the kernels)`,
  );
}

/** The .deb of a package at the candidate version, from the cache or downloaded into it. */
async function download(info: PackageInfo, log: (line: string) => void): Promise<string> {
  const dir = await cacheDir("debs");
  const file = join(dir, info.filename ? basename(info.filename) : `${info.name}_${info.version}_amd64.deb`);
  if (existsSync(file)) return file;
  log(`downloading ${info.name} ${info.version}`);
  // Into a scratch dir first: a download cut short never sits in the cache under the final name.
  const scratch = join(dir, `.download-${process.pid}`);
  await mkdir(scratch, { recursive: true });
  try {
    // Root's downloads skip apt's sandbox user (it cannot write to the cache).
    await run("apt-get", [...(await aptCacheOptions()), "download", "-q", "-o", "APT::Sandbox::User=root", `${info.name}=${info.version}`], { cwd: scratch, encoding: "utf8" });
    const [got] = (await readdir(scratch)).filter((f) => f.endsWith(".deb"));
    if (!got) throw new Error("apt-get download wrote no .deb");
    await rename(join(scratch, got), file);
  } catch (err) {
    const text = ((err as { stderr?: string }).stderr || (err as Error).message).trim().split("\n").pop();
    throw new InputError(`vm: cannot download ${info.name} ${info.version}: ${text}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return file;
}

async function controlOf(deb: string): Promise<PackageInfo> {
  try {
    const { stdout } = await run("dpkg-deb", ["-f", deb], { encoding: "utf8" });
    const info = parseControl(stdout);
    if (info) return info;
  } catch {
    // falls through
  }
  throw new InputError(`vm: '${deb}' is not a Debian package (dpkg-deb -f failed)`);
}

/** Unpacks ./boot of the .deb into the cache (once) and finds vmlinuz-* and config-* there. */
async function unpackBoot(deb: string, info: PackageInfo): Promise<{ kernel?: string; config?: string; release?: string }> {
  const dir = join(await cacheDir("kernels"), `${info.name}_${info.version}`.replace(/[^\w.+-]/g, "_"));
  // Unpacked before (renamed into place whole): its /boot says what the .deb holds, without listing the .deb (0.75 s).
  const unpacked = existsSync(join(dir, "boot")) ? (await readdir(join(dir, "boot"))).map((f) => `./boot/${f}`).join("\n") : undefined;
  const listing = unpacked ?? (await run("dpkg-deb", ["-c", deb], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })).stdout;
  const image = /\.\/boot\/(vmlinuz-(\S+))$/m.exec(listing);
  if (!image) return {};
  const release = image[2]!;
  const kernel = join(dir, "boot", image[1]!);
  if (!existsSync(kernel)) {
    const partial = `${dir}.partial-${process.pid}`;
    await mkdir(partial, { recursive: true });
    try {
      await run("sh", ["-c", 'dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" --wildcards "./boot/*"', "sh", deb, partial]);
      await rm(dir, { recursive: true, force: true });
      await rename(partial, dir);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  const config = join(dir, "boot", `config-${release}`);
  return { kernel, release, ...(existsSync(config) ? { config } : {}) };
}

/** Resolves `--deb PACKAGE|FILE.deb` to a bootable kernel, following meta-packages. */
export async function debianKernel(spec: string, log: (line: string) => void): Promise<KernelImage> {
  let name = spec;
  let localDeb = spec.endsWith(".deb") ? resolve(spec) : undefined;
  if (localDeb && !existsSync(localDeb)) throw new InputError(`vm: no such file '${spec}'`);
  for (let depth = 0; depth < 4; depth++) {
    const info = localDeb ? await controlOf(localDeb) : await aptShow(name);
    const deb = localDeb ?? (await download(info, log));
    const boot = await unpackBoot(deb, info);
    if (boot.kernel) {
      return {
        kernel: boot.kernel,
        label: `${info.name} ${info.version}`,
        ...(boot.config ? { config: boot.config } : {}),
        ...(boot.release ? { expectedRelease: boot.release } : {}),
      };
    }
    const next = imageDependency(info);
    if (!next) throw new InputError(`vm: ${info.name} ${info.version} holds no /boot/vmlinuz-* and depends on no linux-image-* package`);
    log(`${info.name} is a meta-package for ${next}`);
    name = next;
    localDeb = undefined;
  }
  throw new InputError(`vm: '${spec}': too many meta-packages in a row`);
}
