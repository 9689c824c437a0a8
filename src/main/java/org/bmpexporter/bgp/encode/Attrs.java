package org.bmpexporter.bgp.encode;

/**
 * Mutable, reusable BGP path attributes of one UPDATE (the generator fills one instance per group
 * of prefixes, so encoding allocates nothing). AS numbers are 4-octet (the Peer Up OPENs negotiate
 * the 4-octet AS capability). Absent optional attributes are {@code -1} / empty.
 */
public final class Attrs {
  public static final int ORIGIN_IGP = 0;
  public static final int ORIGIN_EGP = 1;
  public static final int ORIGIN_INCOMPLETE = 2;

  public int origin = ORIGIN_IGP;
  public final long[] asPath = new long[16];
  public int asPathLen;

  /** IPv4 NEXT_HOP (classic attribute, for IPv4 NLRI). */
  public int nextHopV4;

  /** IPv6 global next hop (in MP_REACH_NLRI, for IPv6 NLRI). */
  public final byte[] nextHopV6 = new byte[16];

  public long med = -1;
  public long localPref = -1;
  public final int[] communities = new int[16];
  public int communitiesLen;

  /** Large communities as (global admin, data1, data2) triples. */
  public final int[] largeCommunities = new int[3 * 8];

  public int largeCommunitiesLen;

  public Attrs clear() {
    origin = ORIGIN_IGP;
    asPathLen = 0;
    nextHopV4 = 0;
    med = -1;
    localPref = -1;
    communitiesLen = 0;
    largeCommunitiesLen = 0;
    return this;
  }

  public Attrs addAs(long asn) {
    if (asPathLen < asPath.length) {
      asPath[asPathLen++] = asn;
    }
    return this;
  }

  public Attrs addCommunity(int high, int low) {
    if (communitiesLen < communities.length) {
      communities[communitiesLen++] = (high << 16) | (low & 0xffff);
    }
    return this;
  }

  public Attrs addLargeCommunity(long global, long d1, long d2) {
    if (largeCommunitiesLen + 3 <= largeCommunities.length) {
      largeCommunities[largeCommunitiesLen++] = (int) global;
      largeCommunities[largeCommunitiesLen++] = (int) d1;
      largeCommunities[largeCommunitiesLen++] = (int) d2;
    }
    return this;
  }
}
