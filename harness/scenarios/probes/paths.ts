// SPDX-License-Identifier: GPL-2.0-only
// Paths: a missing file, a regular file used as a directory component, a path
// longer than PATH_MAX, a component longer than NAME_MAX, a symlink loop, and
// a directory the caller (nobody) cannot search. Specs name the parameter
// "pathname" in their errors whatever the parameter is called, so each probe
// finds its error item by the item's summary words (the error's own name in
// words, as specs write it) and, where one errno covers several conditions,
// by the condition too.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Param } from "../../spec/model.js";
import { cString } from "../resources/fds.js";
import { tempDirectory } from "../resources/files.js";
import type { ProbeValue } from "./probe.js";

export const isPath = (p: Param): boolean => p.type?.value === "PATH" || p.constraintType?.kind === "USER_PATH";

const PATH_MAX = 4096;
const NAME_MAX = 255;

export const PATH_PROBES: ProbeValue[] = [
  {
    slug: "path-missing",
    what: "a path whose last component does not exist",
    errorWords: /does not exist|no such file/,
    errorTarget: { section: "errors", summary: /no such file|(?:file|symlink) not found|does not exist/i },
    make: ({ scope }) => cString(scope, join(tempDirectory(scope), "missing")),
  },
  {
    slug: "path-file-as-directory",
    what: "a path that uses a regular file as a directory component",
    errorWords: /not (?:actually )?a directory/,
    errorTarget: { section: "errors", summary: "not a directory", condition: "component" },
    make: ({ scope }) => {
      const file = join(tempDirectory(scope), "file");
      writeFileSync(file, "");
      return cString(scope, join(file, "child"));
    },
  },
  {
    slug: "path-too-long",
    what: `a path of ${PATH_MAX + 1} bytes, longer than PATH_MAX`,
    errorWords: /too long|PATH_MAX/,
    errorTarget: { section: "errors", summary: "file name too long", condition: "PATH_MAX" },
    make: ({ scope }) => cString(scope, `/${"x/".repeat(PATH_MAX / 2)}`),
  },
  {
    slug: "path-component-too-long",
    what: `a path with a component of ${NAME_MAX + 1} bytes, longer than NAME_MAX`,
    errorWords: /NAME_MAX|component/,
    errorTarget: { section: "errors", summary: "file name too long", condition: "NAME_MAX" },
    make: ({ scope }) => cString(scope, join(tempDirectory(scope), "x".repeat(NAME_MAX + 1))),
  },
  {
    slug: "path-symlink-loop",
    what: "a path whose directory component is one of two symbolic links that point at each other",
    errorWords: /symbolic links|loop/,
    errorTarget: { section: "errors", summary: "too many symbolic links", condition: "too many symbolic links" },
    make: ({ scope }) => {
      const dir = tempDirectory(scope);
      symlinkSync(join(dir, "b"), join(dir, "a"));
      symlinkSync(join(dir, "a"), join(dir, "b"));
      // A directory component, so that calls which do not follow a final link (lsetxattr, O_NOFOLLOW) still resolve it.
      return cString(scope, join(dir, "a", "child"));
    },
  },
  {
    slug: "path-no-search-permission",
    what: "a file inside a directory (mode 0700, owned by root) that the caller, nobody, cannot search",
    errorWords: /search permission/,
    errorTarget: { section: "errors", summary: "permission denied", condition: "search permission" },
    as: "nobody",
    make: ({ scope }) => {
      const top = tempDirectory(scope);
      chmodSync(top, 0o755);
      const dir = join(top, "private");
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(join(dir, "file"), "", { mode: 0o644 });
      return cString(scope, join(dir, "file"));
    },
  },
];
