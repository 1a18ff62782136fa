// SPDX-License-Identifier: GPL-2.0-only
// Preconditions on the running kernel, each with the precise reason it is
// unmet: a short reason fixed per cause (stable test names), and the detail
// of this machine (config path, the value found) apart.
import type { Requirement } from "./scenario.js";

/** The kernel's config must set `option` to one of `values` ("n" meaning not set). */
export function kernelConfig(option: string, values: string[], why: string): Requirement {
  const wanted = values.map((v) => (v === "n" ? `${option} unset` : `${option}=${v}`)).join(" or ");
  return {
    unmet(env) {
      const value = env.config.get(option);
      if (value === "unknown") return { reason: `${why}: cannot tell, no kernel config found`, detail: `looked in /proc/config.gz and /boot/config-${env.release}` };
      if (values.includes(value)) return undefined;
      const seen = value === "n" ? `${option} is not set` : `${option}=${value}`;
      return { reason: `${why}: needs ${wanted}`, detail: `this kernel has ${seen} (${env.config.origin})` };
    },
  };
}
