// SPDX-License-Identifier: GPL-2.0-only
// How a scenario's setup says it could not create its condition. Either way
// the case is not a verdict on the spec: an error (the harness or machine
// failed) or a skip (a resource the machine has run out of, named).

/** The scenario's own setup failed: the case is an error, never a verdict on the spec. */
export class SetupError extends Error {
  override name = "SetupError";
}

/** A resource the machine cannot give now (all AIO contexts in use, ...): the case is a skip with this reason. */
export class ResourceUnavailable extends Error {
  override name = "ResourceUnavailable";
  constructor(
    /** Short and fixed per cause, so test names stay stable. */
    readonly reason: string,
    /** The figures behind it (counts, limits). */
    readonly detail?: string,
  ) {
    super(detail ? `${reason} (${detail})` : reason);
  }
}
