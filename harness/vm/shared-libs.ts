// SPDX-License-Identifier: GPL-2.0-only
// The shared libraries a dynamically linked program loads, as ldd resolves them
// on this host, so the VM gets the very same files at the very same paths.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Parses ldd output: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" and
 * "/lib64/ld-linux-x86-64.so.2 (0x...)"; the vDSO has no file. Throws on "not found".
 */
export function parseLdd(output: string, program: string): string[] {
  const paths: string[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("linux-vdso") || line.startsWith("linux-gate")) continue;
    if (/not a dynamic executable|statically linked/.test(line)) continue;
    if (/=> not found/.test(line)) throw new Error(`${program} needs ${line.split(" ")[0]}, which ldd cannot find`);
    const arrow = /=>\s*(\/\S+)/.exec(line);
    const direct = /^(\/\S+)\s+\(0x/.exec(line);
    const path = arrow?.[1] ?? direct?.[1];
    if (path) paths.push(path);
  }
  return paths;
}

/** Libraries of every program, deduplicated, in first-seen order. */
export async function sharedLibraries(programs: string[]): Promise<string[]> {
  const all = new Set<string>();
  for (const program of programs) {
    let stdout: string;
    try {
      ({ stdout } = await run("ldd", [program], { encoding: "utf8" }));
    } catch (err) {
      // ldd exits 1 for a static program, with this message.
      const out = (err as { stdout?: string; stderr?: string }).stdout ?? "";
      const errText = (err as { stderr?: string }).stderr ?? "";
      if (/not a dynamic executable/.test(out + errText)) continue;
      throw new Error(`ldd ${program} failed: ${(errText || (err as Error).message).split("\n")[0]}`);
    }
    for (const path of parseLdd(stdout, program)) all.add(path);
  }
  return [...all];
}

/** Whether ldd calls the program static (the VM's busybox must need no library). */
export async function isStatic(program: string): Promise<boolean> {
  try {
    const { stdout } = await run("ldd", [program], { encoding: "utf8" });
    return /statically linked/.test(stdout);
  } catch (err) {
    const text = `${(err as { stdout?: string }).stdout ?? ""}${(err as { stderr?: string }).stderr ?? ""}`;
    return /not a dynamic executable/.test(text);
  }
}

/** The file ldconfig's cache names for a soname, if any (optional libraries such as libaio.so.1). */
export async function findLibrary(soname: string): Promise<string | undefined> {
  try {
    const { stdout } = await run("/sbin/ldconfig", ["-p"], { encoding: "utf8" });
    for (const line of stdout.split("\n")) {
      const m = /^\s*(\S+) \(([^)]*)\) => (\S+)$/.exec(line);
      if (m && m[1] === soname && m[2]!.includes("x86-64")) return m[3];
    }
  } catch {
    // no ldconfig: the library is optional
  }
  return undefined;
}
