// SPDX-License-Identifier: GPL-2.0-only
// Preconditions on the running kernel, each with the precise reason it is unmet.
import type { Requirement } from "./scenario.js";

/** The kernel's config must set `option` to one of `values` ("n" meaning not set). */
export function kernelConfig(option: string, values: string[], why: string): Requirement {
  return {
    unmetReason(env) {
      const value = env.config.get(option);
      if (value === "unknown") return `${why}: cannot tell, no kernel config found (/proc/config.gz, /boot/config-${env.release})`;
      if (values.includes(value)) return undefined;
      const seen = value === "n" ? `${option} is not set` : `${option}=${value}`;
      return `${why}: needs ${values.map((v) => (v === "n" ? `${option} unset` : `${option}=${v}`)).join(" or ")}, this kernel has ${seen} (${env.config.origin})`;
    },
  };
}
