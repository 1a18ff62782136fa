// SPDX-License-Identifier: GPL-2.0-only
// Facts about the running kernel that decide whether a scenario can run here:
// release, machine, and kernel config options (from /proc/config.gz or
// /boot/config-RELEASE). Read once per run.
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import os from "node:os";
import { consultKapiConfig } from "./kapi-config.js";
import type { KernelFacts } from "./results.js";

export interface KernelConfig {
  /** Where the config was read from, or undefined when none was found. */
  origin?: string;
  /** Value of an option ("y", "m", a string) or "n" when the config says "is not set" or omits it. */
  get(option: string): string;
}

export interface Environment {
  release: string;
  version: string;
  machine: string;
  config: KernelConfig;
  /** Options looked up during the run, for results.json. */
  consulted: Map<string, string>;
}

function parseConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (set) values.set(set[1]!, set[2]!.replace(/^"(.*)"$/, "$1"));
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (unset) values.set(unset[1]!, "n");
  }
  return values;
}

function readKernelConfig(release: string): { origin?: string; values?: Map<string, string> } {
  const candidates = ["/proc/config.gz", `/boot/config-${release}`];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const raw = readFileSync(path);
      const text = path.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
      return { origin: path, values: parseConfig(text) };
    } catch {
      // Unreadable (permissions): try the next source.
    }
  }
  return {};
}

export function detectEnvironment(): Environment {
  const release = os.release();
  const { origin, values } = readKernelConfig(release);
  const consulted = new Map<string, string>();
  const config: KernelConfig = {
    origin,
    get(option: string): string {
      const value = values ? (values.get(option) ?? "n") : "unknown";
      consulted.set(option, value);
      return value;
    },
  };
  return { release, version: os.version(), machine: os.machine(), config, consulted };
}

export function kernelFacts(env: Environment, arch: string): KernelFacts {
  consultKapiConfig(env);
  return {
    release: env.release,
    version: env.version,
    machine: env.machine,
    arch,
    config: Object.fromEntries([...env.consulted].sort(([a], [b]) => a.localeCompare(b))),
  };
}
