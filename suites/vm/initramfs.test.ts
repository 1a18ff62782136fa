// SPDX-License-Identifier: GPL-2.0-only
// What goes into the VM's initramfs: the file lists, the newc encoding, the
// /init script's protocol, and the host-side helpers that feed them.
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { gunzipSync } from "node:zlib";
import { writeCpio, writeCpioGz, type CpioEntry } from "../../harness/vm/cpio.js";
import { appEntries, baseEntries, kernelEntries, withParentDirs } from "../../harness/vm/initramfs.js";
import { CMDLINE, VM_KERNEL_CONFIG, VM_PROJECT_DIR, VM_REPORTS_DIR, initScript } from "../../harness/vm/init-script.js";
import { writeApp } from "../../harness/package/kselftest.js";
import { LAUNCHERS } from "../../harness/package/bundle.js";
import { parseLdd } from "../../harness/vm/shared-libs.js";
import { imageDependency, parseControl } from "../../harness/vm/debian-kernel.js";
import { isBzImage } from "../../harness/vm/kernel-image.js";
import { combinedExit } from "../../harness/cli/vm.js";
import { releaseDir } from "../../harness/vm/session.js";

interface Member {
  name: string;
  mode: number;
  rdev: [number, number];
  data: Buffer;
}

/** A minimal newc reader, independent of the writer, to check what the kernel will see. */
function readNewc(buf: Buffer): Member[] {
  const out: Member[] = [];
  let off = 0;
  const align = (n: number) => (n + 3) & ~3;
  for (;;) {
    expect(buf.toString("ascii", off, off + 6)).to.equal("070701");
    const field = (i: number) => parseInt(buf.toString("ascii", off + 6 + i * 8, off + 14 + i * 8), 16);
    const mode = field(1);
    const size = field(6);
    const namesize = field(11);
    const rdev: [number, number] = [field(9), field(10)];
    const name = buf.toString("utf8", off + 110, off + 110 + namesize - 1);
    const dataStart = align(off + 110 + namesize);
    const data = buf.subarray(dataStart, dataStart + size);
    off = align(dataStart + size);
    if (name === "TRAILER!!!") {
      expect(off).to.equal(buf.length);
      return out;
    }
    out.push({ name, mode, rdev, data });
  }
}

async function encode(entries: CpioEntry[]): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (c: Buffer) => chunks.push(c));
  const size = await writeCpio(entries, sink);
  const buf = Buffer.concat(chunks);
  expect(buf.length).to.equal(size);
  return buf;
}

describe("vm initramfs: file lists", () => {
  it("adds each missing parent directory once, before its first child", () => {
    const list = withParentDirs([
      { type: "data", path: "/kapi/build/harness/cli/main.js", data: Buffer.from("") },
      { type: "dir", path: "kapi/build" },
      { type: "data", path: "kapi/specs/a.txt", data: Buffer.from("") },
    ]);
    expect(list.map((e) => `${e.type} ${e.path}`)).to.deep.equal([
      "dir /kapi",
      "dir /kapi/build",
      "dir /kapi/build/harness",
      "dir /kapi/build/harness/cli",
      "data /kapi/build/harness/cli/main.js",
      "dir /kapi/specs",
      "data /kapi/specs/a.txt",
    ]);
  });

  it("base: busybox, Node at its own path, each library at the path ldd gave, /dev/console and mount points", () => {
    const list = baseEntries({ busybox: "/usr/bin/busybox", node: "/usr/bin/node", libraries: ["/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"] });
    const byPath = new Map(list.map((e) => [e.path, e]));
    expect(byPath.get("/bin/busybox")).to.deep.include({ type: "file", source: "/usr/bin/busybox", mode: 0o755 });
    expect(byPath.get("/usr/bin/node")).to.deep.include({ type: "file", source: "/usr/bin/node" });
    expect(byPath.get("/lib64/ld-linux-x86-64.so.2")).to.deep.include({ type: "file", source: "/lib64/ld-linux-x86-64.so.2" });
    expect(byPath.get("/dev/console")).to.deep.include({ type: "chardev", major: 5, minor: 1 });
    for (const dir of ["/proc", "/sys", "/dev", "/tmp", "/lib/x86_64-linux-gnu"]) expect(byPath.get(dir)?.type, dir).to.equal("dir");
  });

  it("app: /init, the project under the VM's project dir, host files at their own paths", () => {
    const list = appEntries({ root: "/work/p", files: ["/work/p/package.json", "/work/p/build/harness/cli/main.js"], hostFiles: ["/usr/share/man/man2/io_cancel.2.gz"], node: "/usr/bin/node" });
    const files = list.filter((e) => e.type !== "dir").map((e) => e.path);
    expect(files).to.deep.equal(["/init", `${VM_PROJECT_DIR}/package.json`, `${VM_PROJECT_DIR}/build/harness/cli/main.js`, "/usr/share/man/man2/io_cancel.2.gz"]);
    const init = list.find((e) => e.path === "/init");
    expect(init).to.deep.include({ type: "data", mode: 0o755 });
    expect(() => appEntries({ root: "/work/p", files: ["/etc/passwd"], hostFiles: [], node: "/usr/bin/node" })).to.throw(/outside the app/);
  });

  it("kernel extras: the config where /init looks for it, nothing without one", () => {
    expect(kernelEntries(undefined)).to.deep.equal([]);
    expect(kernelEntries("/x/config-6.1").at(-1)).to.deep.include({ path: VM_KERNEL_CONFIG, source: "/x/config-6.1" });
  });

  it("app: the one-file bundle, its launchers, ffi-rs's native module and the specs; no build tree, no node_modules", async () => {
    const root = process.cwd();
    const dir = mkdtempSync(join(tmpdir(), "kapi-conform-app-"));
    try {
      const files = (await writeApp(root, dir)).map((f) => f.slice(dir.length + 1)).sort();
      expect(files).to.include.members(["kapi-conform.js", "package.json", "worker.js", "io_cancel/suite.js", "ffi-rs.linux-x64-gnu.node", "specs/io_cancel.archive.txt"]);
      // The bundle and one launcher per part (CLI, worker, helpers, each suite module).
      expect(files.filter((f) => f.endsWith(".js") && !f.startsWith("specs/")).length).to.equal(LAUNCHERS.length + 1);
      expect(files.some((f) => f.startsWith("node_modules/") || f.startsWith("build/"))).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("vm initramfs: newc encoding", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "kapi-conform-cpio-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes headers, names and data on 4-byte boundaries, and a trailer", async () => {
    const source = join(dir, "payload.bin");
    writeFileSync(source, Buffer.from("abcde"));
    const entries = withParentDirs([
      { type: "file", path: "/bin/tool", source, mode: 0o755 },
      { type: "data", path: "/init", data: Buffer.from("#!/bin/sh\n"), mode: 0o755 },
      { type: "symlink", path: "/bin/sh", target: "busybox" },
      { type: "chardev", path: "/dev/console", major: 5, minor: 1 },
    ]);
    const members = readNewc(await encode(entries));
    expect(members.map((m) => m.name)).to.deep.equal(["bin", "bin/tool", "init", "bin/sh", "dev", "dev/console"]);
    const [bin, tool, init, sh, , consoleNode] = members;
    expect(bin!.mode).to.equal(0o040755);
    expect(tool!.mode).to.equal(0o100755);
    expect(tool!.data.toString()).to.equal("abcde");
    expect(init!.data.toString()).to.equal("#!/bin/sh\n");
    expect(sh!.mode).to.equal(0o120777);
    expect(sh!.data.toString()).to.equal("busybox");
    expect(consoleNode!.mode).to.equal(0o020600);
    expect(consoleNode!.rdev).to.deep.equal([5, 1]);
  });

  it("gzips the archive", async () => {
    const out = join(dir, "x.cpio.gz");
    await writeCpioGz([{ type: "data", path: "/a", data: Buffer.from("1") }], out);
    expect(readNewc(gunzipSync(readFileSync(out))).map((m) => m.name)).to.deep.equal(["a"]);
  });
});

describe("vm /init script", () => {
  const script = initScript("/usr/bin/node");

  it("mounts proc, sys and devtmpfs, runs the suite with the VM's reports dir, and powers off", () => {
    expect(script).to.match(/^#!\/bin\/busybox sh\n/);
    for (const m of ["mount -t proc", "mount -t sysfs", "mount -t devtmpfs"]) expect(script).to.contain(m);
    expect(script).to.contain(`/usr/bin/node ${VM_PROJECT_DIR}/kapi-conform.js run --reports ${VM_REPORTS_DIR}`);
    expect(script.trimEnd().split("\n").at(-1)).to.equal("poweroff -f");
  });

  it("speaks the console protocol with the nonce from the kernel command line", () => {
    expect(script).to.contain(`M="KAPI-$(arg ${CMDLINE.nonce})"`);
    for (const word of ["START", "KTAP-BEGIN", "LOG", "KTAP-END", "FILE-BEGIN", "FILE-END", "DONE"]) expect(script).to.contain(`$M ${word}`);
    expect(script).to.contain("sha256sum");
  });
});

describe("vm host helpers", () => {
  it("parses ldd output, skipping the vDSO and rejecting a missing library", () => {
    const out = [
      "\tlinux-vdso.so.1 (0x00007ffd)",
      "\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f98)",
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f98)",
    ].join("\n");
    expect(parseLdd(out, "node")).to.deep.equal(["/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/ld-linux-x86-64.so.2"]);
    expect(() => parseLdd("\tlibfoo.so.1 => not found", "node")).to.throw(/needs libfoo\.so\.1/);
  });

  it("reads a package's control data and follows a meta-package to its image", () => {
    const text = [
      "Package: linux-image-cloud-amd64",
      "Source: linux-signed-amd64 (6.1.192+2)",
      "Version: 6.1.192-2",
      "Depends: linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)",
      "Description: Linux for x86-64 cloud (meta-package)",
      " continued line",
      "",
      "Package: second-stanza",
    ].join("\n");
    const info = parseControl(text)!;
    expect(info).to.include({ name: "linux-image-cloud-amd64", version: "6.1.192-2" });
    expect(imageDependency(info)).to.equal("linux-image-6.1.0-56-cloud-amd64");
    expect(imageDependency({ name: "x", version: "1", depends: ["kmod", "initramfs-tools (>= 0.120) | linux-initramfs-tool"] })).to.equal(undefined);
    expect(parseControl("Description: nothing")).to.equal(undefined);
  });

  it("recognises an x86 boot image by its header", () => {
    const dir = mkdtempSync(join(tmpdir(), "kapi-conform-bz-"));
    try {
      const fake = Buffer.alloc(0x300);
      writeFileSync(join(dir, "junk"), fake);
      fake.write("HdrS", 0x202, "latin1");
      writeFileSync(join(dir, "bz"), fake);
      expect(isBzImage(join(dir, "junk"))).to.equal(false);
      expect(isBzImage(join(dir, "bz"))).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("combines per-kernel exit codes as kselftest does", () => {
    expect(combinedExit([0, 0])).to.equal(0);
    expect(combinedExit([0, 4])).to.equal(0);
    expect(combinedExit([4, 4])).to.equal(4);
    expect(combinedExit([0, 1])).to.equal(1);
    expect(combinedExit([4, 2])).to.equal(1);
  });

  it("turns a kernel release into a safe directory name", () => {
    expect(releaseDir("6.12.117+deb12-cloud-amd64")).to.equal("6.12.117+deb12-cloud-amd64");
    expect(releaseDir("../x")).to.equal(".._x");
    expect(releaseDir("")).to.equal("unknown-kernel");
  });
});
