// SPDX-License-Identifier: GPL-2.0-only
// How user space observes what the *setxattr specs claim: the attribute's
// state (absent, an old value, the new value) read back with the getter that
// matches the variant, where it landed for a symbolic link (on the link
// itself or on its target), and that a failed call changed nothing. None of
// these reads an errno or return value the spec owns; "failed" is told only
// by the call having returned an errno at all.
import { appendFileSync } from "node:fs";
import type { SyscallResult } from "../../kernel/syscall.js";
import { describeResult } from "../../run/expectation.js";
import type { ClaimProbe, FactObservation, StateModel } from "../scenario.js";
import { readBack, type ReadBack, type Subject, type Variant } from "./variant.js";

/** What a scenario's call intends, and what was there before it. */
export interface XattrState {
  variant: Variant;
  subject: Subject;
  /** The attribute's name as text, for reading it back. */
  name: string;
  /** The bytes the call would store. */
  value: Buffer;
  /** The attribute before the call (read back after setup). */
  before: ReadBack;
  /** For a symbolic link: the link and its target. */
  link?: { link: string; target: string };
}

const show = (r: ReadBack): string => (r.value === undefined ? `absent (${describeResult(r.result)})` : `${r.value.length} bytes ${JSON.stringify(r.value.toString("latin1").slice(0, 24))}`);
const same = (a: Buffer | undefined, b: Buffer | undefined): boolean => (a === undefined ? b === undefined : b !== undefined && a.equals(b));

/** What a probe saw: the call's result and the attribute read back after it. */
const afterCall = (call: SyscallResult, r: ReadBack, holds: boolean): FactObservation => ({
  holds,
  facts: { call: describeResult(call), after: show(r) },
  detail: `the call returned ${describeResult(call)}; ${r.via}: ${show(r)}`,
});

/** A failed call that left no attribute to read back. */
const refusedNothingSet = (call: SyscallResult, r: ReadBack): FactObservation => afterCall(call, r, call.errno !== undefined && r.value === undefined);

function now(s: XattrState): ReadBack {
  return readBack(s.variant, s.subject, s.name);
}

export const holdsNewValue = (s: XattrState): FactObservation => {
  const r = now(s);
  const holds = same(r.value, s.value);
  return { holds, facts: { readBack: show(r), via: r.via }, detail: `${r.via}: ${show(r)}; the call's value is ${s.value.length} bytes` };
};

/** The states of the named attribute, as the state-trans item names them. */
export const ATTRIBUTE_STATES: StateModel<XattrState> = {
  object: "extended attribute",
  states: [
    {
      names: ["nonexistent", "old value"],
      how: "reading it back finds no attribute, or bytes other than the call's value",
      observe: (s) => {
        const r = now(s);
        return { holds: !same(r.value, s.value), facts: { readBack: show(r) }, detail: `${r.via}: ${show(r)}` };
      },
    },
    { names: ["new value"], how: "reading it back returns exactly the call's value", observe: holdsNewValue },
  ],
};

/** A successful call leaves the new value; a failed one leaves what was there before, byte for byte. */
export const CHANGED_ONLY_ON_SUCCESS: ClaimProbe<XattrState> = {
  claim: "the attribute is created or modified when the call succeeds, and left as it was when it fails",
  says: ["extended attribute is created or modified", "attribute is created or modified"],
  observe: (s, call: SyscallResult) => {
    const r = now(s);
    const failed = call.errno !== undefined;
    const holds = failed ? same(r.value, s.before.value) : same(r.value, s.value);
    const detail = `the call ${failed ? `failed (${call.errno})` : "succeeded"}; before: ${show(s.before)}; after: ${show(r)}; the call's value: ${s.value.length} bytes`;
    return { holds, facts: { before: show(s.before), after: show(r), failed }, detail };
  },
};

/** The return's prose: the attribute holds the value given. */
export const SET_TO_VALUE: ClaimProbe<XattrState> = {
  claim: "the attribute holds exactly the value given",
  says: ["attribute is set with the specified value"],
  observe: (s) => holdsNewValue(s),
};

/** Any previous value is replaced: none of the old bytes remain, the new ones do. */
export const PREVIOUS_REPLACED: ClaimProbe<XattrState> = {
  claim: "a previous value is replaced by the new one",
  says: ["previous value is replaced", "replaced if it does"],
  observe: (s) => {
    const seen = holdsNewValue(s);
    return { ...seen, facts: { ...seen.facts, before: show(s.before) }, detail: `before: ${show(s.before)}; ${seen.detail}` };
  },
};

/** Size 0 stores an attribute with an empty value (which exists, unlike a removed one). */
export const EMPTY_VALUE_CREATED: ClaimProbe<XattrState> = {
  claim: "a zero size creates the attribute with an empty value",
  says: ["creates an attribute with empty value", "creates an attribute with an empty value"],
  observe: (s) => {
    const r = now(s);
    return { holds: r.value !== undefined && r.value.length === 0, facts: { readBack: show(r) }, detail: `${r.via}: ${show(r)}` };
  },
};

/** A flag's "fails if": the call returned an error and the attribute is as it was. */
function failsAndKeeps(claim: string, says: string[]): ClaimProbe<XattrState> {
  return {
    claim,
    says,
    observe: (s, call) => {
      const r = now(s);
      const holds = call.errno !== undefined && same(r.value, s.before.value);
      return { holds, facts: { call: describeResult(call), before: show(s.before), after: show(r) }, detail: `the call returned ${describeResult(call)}; before: ${show(s.before)}; after: ${show(r)}` };
    },
  };
}

export const CREATE_FAILS_IF_EXISTS = failsAndKeeps("XATTR_CREATE fails when the attribute exists, leaving it", ["XATTR_CREATE fails if the attribute already exists"]);
export const REPLACE_FAILS_IF_MISSING = failsAndKeeps("XATTR_REPLACE fails when the attribute is missing, creating nothing", ["XATTR_REPLACE fails if the attribute does not exist"]);

/** flags=0 creates a missing attribute and replaces an existing one. */
export const FLAGS0_CREATES_OR_REPLACES: ClaimProbe<XattrState> = {
  claim: "with flags 0 the attribute is created or replaced",
  says: ["flags=0, the attribute is created if it doesn't exist or replaced if it does", "flags=0, the attribute is created"],
  observe: (s, call) => {
    const seen = holdsNewValue(s);
    return { ...seen, holds: call.errno === undefined && seen.holds, detail: `the call returned ${describeResult(call)}; before: ${show(s.before)}; ${seen.detail}` };
  },
};

/** Where a call through a symbolic link put the attribute: on the target (followed) and not on the link. */
function landing(s: XattrState): { onTarget: boolean; onLink: boolean; detail: string; facts: Record<string, string> } {
  if (!s.link) throw new Error("the scenario has no symbolic link");
  const target = readBack(s.variant, { path: s.link.target }, s.name, "follow");
  const link = readBack(s.variant, { path: s.link.link }, s.name, "nofollow");
  return {
    onTarget: same(target.value, s.value),
    onLink: same(link.value, s.value),
    facts: { target: show(target), link: show(link) },
    detail: `${target.via}: ${show(target)}; ${link.via}: ${show(link)}`,
  };
}

export const FOLLOWS_LINK: ClaimProbe<XattrState> = {
  claim: "through a symbolic link, the attribute is set on the link's target, not on the link",
  says: ["resolved following symbolic links", "follows symbolic links"],
  opposite: ["without following symbolic links", "applies to the link itself", "set on the link itself"],
  observe: (s) => {
    const l = landing(s);
    return { holds: l.onTarget && !l.onLink, facts: l.facts, detail: l.detail };
  },
};

export const ON_LINK_ITSELF: ClaimProbe<XattrState> = {
  claim: "through a symbolic link, the attribute is set on the link itself, not on its target",
  says: ["on the symbolic link itself", "set on the link itself"],
  observe: (s) => {
    const l = landing(s);
    return { holds: l.onLink && !l.onTarget, facts: l.facts, detail: l.detail };
  },
};

/** The namespace constraint: user.* is refused on file types other than regular files and directories, and nothing is set. */
export const NON_REGULAR_REFUSED: ClaimProbe<XattrState> = {
  claim: "user.* on a file that is neither regular nor a directory is refused, and nothing is set",
  says: ["set user attributes on other file types", "user on non-regular"],
  observe: (s, call) => {
    return refusedNothingSet(call, now(s));
  },
};

/** A non-owner without CAP_FOWNER is refused user.* in a sticky directory: the call fails and nothing is set. */
export const NON_OWNER_REFUSED: ClaimProbe<XattrState> = {
  claim: "a non-owner without CAP_FOWNER cannot set user.* on a file in a sticky directory",
  says: ["non-owners cannot set user attributes on files in sticky directories"],
  observe: (s, call) => {
    const r = now(s);
    const holds = call.errno !== undefined && same(r.value, s.before.value);
    return { holds, facts: { call: describeResult(call), after: show(r) }, detail: `the call returned ${describeResult(call)}; after: ${show(r)}` };
  },
};

/** A watcher of the file sees an attribute-change event (IN_ATTRIB, which libuv reports as "change"). */
export interface Watched {
  events: string[];
  /** Resolves once an event arrived, or after the wait. */
  wait(ms: number): Promise<void>;
}

export const ATTRIB_EVENT: ClaimProbe<XattrState & { watched: Watched }> = {
  claim: "an inotify watcher of the file receives an attribute-change (IN_ATTRIB) event",
  says: ["generates an IN_ATTRIB event", "notify any registered watchers"],
  observe: async (s) => {
    await s.watched.wait(500);
    const holds = s.watched.events.length > 0;
    return { holds, facts: { events: s.watched.events.join(",") || "none" }, detail: holds ? `the watcher saw: ${s.watched.events.join(", ")}` : "no event reached the watcher within 500 ms" };
  },
};

/** Exceeding the filesystem's own limit fails and stores nothing. */
export const BEYOND_FS_LIMIT_FAILS: ClaimProbe<XattrState> = {
  claim: "a value beyond the filesystem's own limit is refused, and nothing is stored",
  says: ["Exceeding filesystem limits returns"],
  observe: (s, call) => {
    return refusedNothingSet(call, now(s));
  },
};

/** The O_PATH constraint: such a descriptor is refused, and nothing is set. */
export const O_PATH_REFUSED: ClaimProbe<XattrState> = {
  claim: "an O_PATH descriptor is refused, and nothing is set",
  says: ["must be a regular file descriptor, not one opened with O_PATH", "cannot be an O_PATH file descriptor"],
  observe: (s, call) => {
    return refusedNothingSet(call, readBack(s.variant, { path: s.subject.path }, s.name, "follow"));
  },
};

/** On a filesystem without extended attributes the call fails and nothing can be read back. */
export const NEEDS_FS_SUPPORT: ClaimProbe<XattrState> = {
  claim: "a filesystem without extended attribute support refuses the call",
  says: ["filesystem must support extended attributes"],
  observe: (s, call) => {
    return refusedNothingSet(call, now(s));
  },
};

/** Whether user.* was set on the symbolic link itself: the call succeeded and the link holds the value. */
export const USER_ON_SYMLINK_ITSELF: ClaimProbe<XattrState> = {
  claim: "user.* can be set on a symbolic link itself",
  says: ["user namespace supported on symbolic links"],
  opposite: ["user namespace explicitly not supported on symbolic links"],
  observe: (s, call) => {
    const r = now(s);
    return afterCall(call, r, call.errno === undefined && same(r.value, s.value));
  },
};

/**
 * S_NOSEC cleared: a later write runs the privilege check again, which removes a security.capability
 * (file_remove_privs; with S_NOSEC still set the write would skip it and the attribute would stay).
 */
export const NOSEC_CLEARED: ClaimProbe<XattrState> = {
  claim: "S_NOSEC is cleared: the next write removes the security.capability just set",
  says: ["cleared from the inode"],
  observe: (s, call) => {
    const set = now(s);
    appendFileSync(s.subject.path, "a write after the call\n");
    const r = now(s);
    const holds = call.errno === undefined && same(set.value, s.value) && r.value === undefined;
    return {
      holds,
      facts: { call: describeResult(call), afterCall: show(set), afterWrite: show(r) },
      detail: `the call returned ${describeResult(call)}; ${r.via} after the call: ${show(set)}; after a write: ${show(r)}`,
    };
  },
};
