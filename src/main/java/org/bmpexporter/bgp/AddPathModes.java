package org.bmpexporter.bgp;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import org.bmpexporter.codec.Quirk;

/**
 * Whether the NLRI of one RIB of one peer carry ADD-PATH path identifiers (RFC 7911), per family:
 * what the Peer Up OPENs declare, and what the stream proved when it contradicted them. The UPDATE
 * decoder reads the declared mode; only when an UPDATE does not parse that way and parses the other
 * way does it {@link #learn} the other mode, which is then tried first for that family until the
 * next Peer Up or Peer Down.
 */
public interface AddPathModes {
  /** Whether the Peer Up OPENs declare path identifiers for {@code family} in this RIB. */
  boolean declared(int family);

  /** Whether a Peer Up declared anything: without one, the other mode is detection, not a quirk. */
  boolean known();

  /** The mode the stream proved for {@code family}: 1 with path ids, 0 without, -1 none learned. */
  int learned(int family);

  /** Remembers the mode of {@code family} (1 with, 0 without), or forgets it (-1). */
  void learn(int family, int mode);

  /** The quirk of this RIB: path ids present though not declared, or declared but absent. */
  Quirk quirk(boolean pathIdsPresent);

  /** The quirk of a RIB: path identifiers present though undeclared, or declared but absent. */
  static Quirk quirk(RibKind kind, boolean pathIdsPresent) {
    switch (kind) {
      case LOC_RIB:
        return pathIdsPresent ? Quirk.LOC_RIB_ADDPATH_UNDECLARED : Quirk.LOC_RIB_ADDPATH_ABSENT;
      case ADJ_RIB_OUT:
        return pathIdsPresent
            ? Quirk.ADJ_RIB_OUT_ADDPATH_UNDECLARED
            : Quirk.ADJ_RIB_OUT_ADDPATH_ABSENT;
      default:
        return pathIdsPresent
            ? Quirk.ADJ_RIB_IN_ADDPATH_UNDECLARED
            : Quirk.ADJ_RIB_IN_ADDPATH_ABSENT;
    }
  }

  /** The RIB classes whose ADD-PATH facts differ (the per-peer header's RIB, coarsely). */
  enum RibKind {
    ADJ_RIB_IN,
    ADJ_RIB_OUT,
    LOC_RIB;

    /** Which way the routes of this RIB travel between the router and the peer. */
    public Direction direction() {
      return this == ADJ_RIB_OUT ? Direction.SENT : Direction.RECEIVED;
    }
  }

  /** Modes for one RIB from {@code facts}, remembering learned modes itself (tests, tools). */
  static AddPathModes of(SessionFacts facts, RibKind kind) {
    Int2IntOpenHashMap learned = new Int2IntOpenHashMap();
    learned.defaultReturnValue(-1);
    return new AddPathModes() {
      @Override
      public boolean declared(int family) {
        return facts.addPath(family, kind.direction());
      }

      @Override
      public boolean known() {
        return facts.known();
      }

      @Override
      public int learned(int family) {
        return learned.get(family);
      }

      @Override
      public void learn(int family, int mode) {
        if (mode < 0) {
          learned.remove(family);
        } else {
          learned.put(family, mode);
        }
      }

      @Override
      public Quirk quirk(boolean pathIdsPresent) {
        return AddPathModes.quirk(kind, pathIdsPresent);
      }
    };
  }
}
