package org.bmpexporter.bgp;

/**
 * Receives the routes of an UPDATE as the decoder walks it, without an object per route. The key
 * bytes identify the route within its family (see {@link UpdateDecoder}) and are only valid during
 * the call.
 */
public interface NlriSink {

  /** Path identifier value when the NLRI carried none (no ADD-PATH). */
  long NO_PATH_ID = -1;

  /**
   * @param family {@link AfiSafi} code
   * @param announce true for a reachable route, false for a withdrawal (or treat-as-withdraw)
   * @param pathId RFC 7911 path identifier (0..2^32-1) or {@link #NO_PATH_ID}
   */
  void route(int family, boolean announce, long pathId, byte[] key, int keyOffset, int keyLength);

  /** An End-of-RIB marker (RFC 4724) for {@code family}. */
  void endOfRib(int family);
}
