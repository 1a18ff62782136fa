// SPDX-License-Identifier: GPL-2.0-only
// Drops one capability from the calling thread's effective set (capset acts
// on the calling thread), so a call made as root shows what that one
// capability allows: root keeps every other capability.
import { currentArch } from "../../kernel/arch.js";
import { Mapping } from "../../kernel/memory.js";
import type { ResourceScope } from "../../kernel/scope.js";
import { check, rawSyscall } from "../../kernel/syscall.js";
import { ResourceUnavailable } from "../errors.js";

// capget/capset are outside the arch tables; syscall_64.tbl and asm-generic numbers.
const CAPS: Partial<Record<string, { get: number; set: number }>> = { x86_64: { get: 125, set: 126 }, arm64: { get: 90, set: 91 }, riscv64: { get: 90, set: 91 } };
const LINUX_CAPABILITY_VERSION_3 = 0x20080522;
/** Capability numbers from include/uapi/linux/capability.h, for the capabilities a spec may name here. */
export const CAPABILITY_NUMBERS: Readonly<Record<string, number>> = { CAP_CHOWN: 0, CAP_DAC_OVERRIDE: 1, CAP_DAC_READ_SEARCH: 2, CAP_FOWNER: 3, CAP_FSETID: 4 };

/** Removes `name` from this thread's effective capabilities and puts it back on release. */
export function dropEffective(scope: ResourceScope, name: string): void {
  const cap = CAPABILITY_NUMBERS[name];
  if (cap === undefined) throw new ResourceUnavailable("kapi-conform knows no number for this capability", name);
  const nr = CAPS[currentArch()];
  if (nr === undefined) throw new ResourceUnavailable("no capget/capset numbers for this arch in kapi-conform", currentArch());
  const header = scope.add(Mapping.map(8));
  const old = scope.add(Mapping.map(24));
  const dropped = scope.add(Mapping.map(24));
  header.writeU32(0, LINUX_CAPABILITY_VERSION_3);
  check("capget", rawSyscall(nr.get, header.address, old.address), "this thread's capabilities");
  dropped.write(0, old.read(0, 24));
  dropped.writeU32(0, (old.readU32(0) & ~(1 << cap)) >>> 0);
  header.writeU32(0, LINUX_CAPABILITY_VERSION_3);
  check("capset", rawSyscall(nr.set, header.address, dropped.address), `drop ${name}`);
  scope.defer(() => {
    header.writeU32(0, LINUX_CAPABILITY_VERSION_3);
    header.writeU32(4, 0);
    check("capset", rawSyscall(nr.set, header.address, old.address), `restore ${name}`);
  });
}
