package org.bmpexporter.bgp;

/** The origin AS of the UPDATE whose routes a {@link NlriSink} is receiving now. */
public interface OriginSource {
  /** None known: every route's origin is the speaker's AS (tests that feed routes directly). */
  OriginSource NONE = speakerAs -> speakerAs;

  /**
   * The origin AS ({@link AsPaths#origin}), {@link AsPaths#NONE}, or {@code speakerAs} for an empty
   * path.
   */
  long originAs(long speakerAs);
}
