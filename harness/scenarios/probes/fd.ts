// SPDX-License-Identifier: GPL-2.0-only
// File descriptors: -1, a descriptor that was closed, and kinds of file a
// call may not take (a directory, a pipe). -1 and a closed descriptor must
// fail as the spec's bad-descriptor error says; for the kinds, the spec's
// error about that kind applies, or else its success.
import { closeSync, openSync } from "node:fs";
import { constant } from "../../kernel/constants.js";
import { openPipe } from "../../kernel/pipe.js";
import { syscall } from "../../kernel/syscall.js";
import type { Param } from "../../spec/model.js";
import { tempDirectory } from "../resources/files.js";
import type { ProbeValue } from "./probe.js";

export const isFd = (p: Param): boolean => p.type?.value === "FD";

export const BAD_FD = /bad file descriptor|not a valid (?:open )?file descriptor|invalid file descriptor|not an open file descriptor|not open|is not valid/;

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
    // The directory is open read-only: for a call that writes, the error about descriptors not open for writing describes it too.
    errorWords: /director|opened with O_RDONLY|not opened for writing/,
    mayAccept: true,
    make: ({ scope }) => {
      const fd = openSync(tempDirectory(scope), "r");
      scope.defer(() => closeSync(fd));
      return fd;
    },
  },
  {
    slug: "fd-pipe",
    what: "an end of an empty pipe with O_NONBLOCK (the write end where the baseline's descriptor is write-only, else the read end)",
    errorWords: /\bpipe\b|\bFIFO\b|seek/,
    kindWords: /\bnon-regular\b|\bnot a regular file\b/,
    mayAccept: true,
    // Non-blocking: a read of the empty pipe must not block the case. The end matches the baseline's access mode, so the probe is about the kind of file.
    make: ({ scope }, original) => {
      const pipe = scope.add(openPipe(constant("O_NONBLOCK")));
      const writeOnly = typeof original === "number" && original >= 0 && (Number(syscall("fcntl", original, constant("F_GETFL")).ret) & constant("O_ACCMODE")) === constant("O_WRONLY");
      return writeOnly ? pipe.writeFd : pipe.readFd;
    },
  },
];
