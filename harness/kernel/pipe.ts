// SPDX-License-Identifier: GPL-2.0-only
// A pipe from the raw pipe2 syscall: fds the harness owns and closes itself
// (Node's own pipes belong to libuv and would be read behind our back).
import { Mapping } from "./memory.js";
import { check, syscall, type SyscallResult } from "./syscall.js";

export interface Pipe {
  readonly readFd: number;
  readonly writeFd: number;
  readonly closed: boolean;
  /** Closes both ends; a second call does nothing. Throws SyscallError if a close fails. */
  close(): void;
  /** Same as close(), for ResourceScope. */
  release(): void;
}

/** pipe2(fds, flags), e.g. O_NONBLOCK | O_CLOEXEC; throws SyscallError on failure. */
export function openPipe(flags = 0): Pipe {
  const fds = Mapping.map(8); // int pipefd[2]
  let readFd: number;
  let writeFd: number;
  try {
    check("pipe2", syscall("pipe2", fds.address, flags), `flags 0x${flags.toString(16)}`);
    // Two native-endian ints, read as such.
    readFd = fds.readU32(0) | 0;
    writeFd = fds.readU32(4) | 0;
  } finally {
    fds.release();
  }
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    const results: Array<[number, SyscallResult]> = [readFd, writeFd].map((fd) => [fd, syscall("close", fd)]);
    for (const [fd, result] of results) check("close", result, `pipe fd ${fd}`);
  };
  return {
    readFd,
    writeFd,
    get closed() {
      return closed;
    },
    close,
    release: close,
  };
}
