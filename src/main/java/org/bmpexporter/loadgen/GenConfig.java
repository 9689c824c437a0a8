package org.bmpexporter.loadgen;

/**
 * What to generate for every router: P peers, each with an IPv4 and an IPv6 table, sent as the
 * chosen RIB copies, packed into UPDATEs as chosen.
 *
 * @param packedPercent in mixed packing, the share of prefixes (percent) that travel in packed
 *     UPDATEs of 2..maxPerUpdate prefixes sharing attributes; the rest one per UPDATE
 * @param postPercent the share of a peer's prefixes its import policy accepts (post-policy and
 *     Loc-RIB candidates), decided per (peer, prefix) deterministically
 */
public record GenConfig(
    int peers,
    int ipv4,
    int ipv6,
    boolean pre,
    boolean post,
    boolean loc,
    Packing packing,
    int maxPerUpdate,
    int packedPercent,
    int postPercent,
    boolean addPath,
    long seed,
    long routerAs,
    int chunkSize,
    long maxPrebuiltBytes,
    /** Per-peer header timestamp (epoch seconds) for reproducible bytes; 0 = the clock. */
    long timestamp) {

  public enum Packing {
    PACKED,
    SINGLE,
    MIXED
  }

  public boolean rib(int rib) {
    return rib == Labels.PRE ? pre : rib == Labels.POST ? post : loc;
  }

  /** A family is negotiated (and gets an End-of-RIB) when its table is not empty. */
  public boolean family(int afi) {
    return afi == Labels.V4 ? ipv4 > 0 || ipv6 == 0 : ipv6 > 0;
  }

  public int tableSize(int afi) {
    return afi == Labels.V4 ? ipv4 : ipv6;
  }
}
