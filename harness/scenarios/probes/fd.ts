// SPDX-License-Identifier: GPL-2.0-only
// File descriptors: -1, a descriptor that was closed, and kinds of file a
// call may not take (a directory, a pipe). -1 and a closed descriptor must
// fail as the spec's bad-descriptor error says; for the kinds, the spec's
// error about that kind applies, or else its success.
import { closeSync, openSync } from "node:fs";
import { constant } from "../../kernel/constants.js";
import { openPipe } from "../../kernel/pipe.js";
import type { Param } from "../../spec/model.js";
import { tempDirectory } from "../resources/files.js";
import type { ProbeValue } from "./probe.js";

export const isFd = (p: Param): boolean => p.type?.value === "FD";

const BAD_FD = /bad file descriptor|not a valid (?:open )?file descriptor|invalid file descriptor|not an open file descriptor|not open|is not valid/;

export const FD_PROBES: ProbeValue[] = [
  { slug: "fd-negative", what: "-1 (no descriptor)", value: "-1", errorWords: BAD_FD, make: () => -1 },
  {
    slug: "fd-closed",
    what: "a descriptor that was closed",
    errorWords: BAD_FD,
    make: ({ scope }) => {
      const fd = openSync(tempDirectory(scope), "r");
      closeSync(fd);
      return fd;
    },
  },
  {
    slug: "fd-directory",
    what: "a descriptor of a directory",
    errorWords: /director/,
    mayAccept: true,
    make: ({ scope }) => {
      const fd = openSync(tempDirectory(scope), "r");
      scope.defer(() => closeSync(fd));
      return fd;
    },
  },
  {
    slug: "fd-pipe",
    what: "the read end of an empty pipe with O_NONBLOCK",
    errorWords: /\bpipe\b|\bFIFO\b|seek/,
    kindWords: /\bnon-regular\b|\bnot a regular file\b/,
    mayAccept: true,
    // Non-blocking: a read of the empty pipe must not block the case.
    make: ({ scope }) => scope.add(openPipe(constant("O_NONBLOCK"))).readFd,
  },
];
