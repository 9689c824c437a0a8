package org.bmpexporter.synthetic;

import org.bmpexporter.bgp.encode.Attrs;
import org.bmpexporter.bgp.encode.UpdateEncoder;
import org.bmpexporter.bgp.encode.UpdateEncoder.OpenSpec;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.wire.PeerDownReason;
import org.bmpexporter.wire.PeerType;
import org.bmpexporter.wire.PerPeerHeader;
import org.bmpexporter.wire.StatType;
import org.bmpexporter.wire.encode.BmpEncoder;
import org.bmpexporter.wire.encode.BmpEncoder.PeerHeader;
import org.bmpexporter.wire.encode.BmpEncoder.Stat;

/**
 * One synthetic router session with the shapes real routers send, for the exporter's start-up
 * warm-up: Initiation; an IPv4 peer, an ADD-PATH peer (both families negotiated in its Peer Up) and
 * an RFC 9069 Loc-RIB instance; Internet-like IPv4 and IPv6 tables in Adj-RIB-In pre- and
 * post-policy and Loc-RIB, most prefixes packed up to {@value #PACKED} per UPDATE and a fifth one
 * per UPDATE, as routers send them; End-of-RIB; a peer shaped like FRR's dump (one prefix per
 * message, pre- and post-policy interleaved, a dense run of /24s); a Statistics Report;
 * withdrawals; Peer Downs; Termination.
 */
public final class WarmupStream {
  /** Prefixes per packed UPDATE (the 4096-octet limit may cut it shorter). */
  static final int PACKED = 200;

  /** Every SINGLE_EVERY-th group of prefixes goes one per UPDATE: a fifth of them. */
  private static final int SINGLE_SHARE_PERCENT = 20;

  private static final long TS = 1_700_000_000L;

  /**
   * Consecutive /24s of the FRR-shaped peer: more than one RoaringBitmap array container holds
   * (4096), so the dense-table paths (array growth, conversion to a bitmap container) are compiled
   * with the rest; a real full table fills such containers, and code compiled without them was
   * thrown away and recompiled during the first real table.
   */
  public static final int DENSE_V4 = 5_000;

  private WarmupStream() {}

  /** The session's bytes: tables of {@code ipv4} and {@code ipv6} prefixes per RIB. */
  public static byte[] session(int ipv4, int ipv6, long seed) {
    long[] v4 = TableGenerator.ipv4(ipv4, seed);
    long[] v6 = TableGenerator.ipv6(ipv6, seed);
    ByteWriter b = new ByteWriter(1 << 20);
    BmpEncoder.initiation(b, "warmup", "bmp-exporter start-up warm-up (synthetic)");

    PeerHeader plain = PeerHeader.ipv4(PeerType.GLOBAL.code(), 0x0a00_0001, 3356, 0x0a00_0001);
    PeerHeader addPath =
        PeerHeader.ipv4(PeerType.GLOBAL.code(), 0x0a00_0002, 4_200_000_001L, 0x0a00_0002);
    PeerHeader loc = PeerHeader.ipv4(PeerType.LOC_RIB.code(), 0, 65000, 0x0aff_ff01);
    byte[] local = new byte[16];
    local[15] = 1;
    peerUp(b, plain, local, 0);
    peerUp(b, addPath, local, 3);
    BmpEncoder.peerUp(b, loc, TS, new byte[16], 0, 0, open(65000, 0), open(65000, 0), "global");

    Attrs a = attrs(3356);
    int[] noIds = null;
    int[] ids = new int[Math.max(v4.length, v6.length)];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 1 + i % 4;
    }
    for (int flags : new int[] {0, PerPeerHeader.FLAG_L}) {
      announce(b, plain, flags, a, v4, noIds, false);
      announce(b, plain, flags, a, v6, noIds, true);
      announce(b, addPath, flags, a, v4, ids, false);
      announce(b, addPath, flags, a, v6, ids, true);
      endOfRib(b, plain, flags);
      endOfRib(b, addPath, flags);
    }
    announce(b, loc, 0, attrs(65000), v4, noIds, false);
    announce(b, loc, 0, attrs(65000), v6, noIds, true);
    endOfRib(b, loc, 0);

    // FRR's table dump: one prefix per message, each prefix's pre-policy then its post-policy
    // message, consecutive /24s (dense containers)
    PeerHeader frr = PeerHeader.ipv4(PeerType.GLOBAL.code(), 0x0a00_0003, 65002, 0x0a00_0003);
    peerUp(b, frr, local, 0);
    long[] dense = new long[DENSE_V4];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = org.bmpexporter.bgp.encode.Prefixes.v4((100 << 24) | (i << 8), 24);
    }
    Attrs fa = attrs(65002);
    for (int i = 0; i < dense.length; i++) {
      for (int flags : new int[] {0, PerPeerHeader.FLAG_L}) {
        int at = BmpEncoder.beginRouteMonitoring(b, frr, flags, TS);
        UpdateEncoder.announce(b, false, fa, dense, noIds, i, i + 1);
        BmpEncoder.end(b, at);
      }
    }
    endOfRib(b, frr, 0);
    endOfRib(b, frr, PerPeerHeader.FLAG_L);

    BmpEncoder.statisticsReport(
        b,
        plain,
        TS,
        Stat.counter32(StatType.REJECTED_PREFIXES.code(), 3),
        Stat.counter32(StatType.DUPLICATE_WITHDRAWS.code(), 1),
        Stat.gauge64(StatType.ADJ_RIB_IN_ROUTES.code(), v4.length + v6.length),
        Stat.gauge64(StatType.LOC_RIB_ROUTES.code(), v4.length + v6.length),
        Stat.perAfi(StatType.ADJ_RIB_IN_ROUTES_PER_AFI_SAFI.code(), 1, 1, v4.length),
        Stat.perAfi(StatType.ADJ_RIB_IN_ROUTES_PER_AFI_SAFI.code(), 2, 1, v6.length));

    // Withdraw a tenth of each table, packed and one by one, then announce it again.
    long[] w4 = java.util.Arrays.copyOf(v4, v4.length / 10);
    long[] w6 = java.util.Arrays.copyOf(v6, v6.length / 10);
    withdraw(b, plain, w4, noIds, false);
    withdraw(b, plain, w6, noIds, true);
    withdraw(b, addPath, w4, ids, false);
    announce(b, plain, 0, attrs(174), w4, noIds, false);

    BmpEncoder.peerDown(
        b,
        addPath,
        TS,
        PeerDownReason.REMOTE_NOTIFICATION.code(),
        UpdateEncoder.ceaseAdminShutdown("warm-up"));
    BmpEncoder.peerDown(b, plain, TS, PeerDownReason.LOCAL_NO_NOTIFICATION.code(), null);
    BmpEncoder.termination(b, 0);
    return b.toByteArray();
  }

  private static byte[] open(long asn, int addPath) {
    return UpdateEncoder.open(
        new OpenSpec(asn, 0x0aff_ff01, 90, true, true, true, addPath, true, true));
  }

  private static void peerUp(ByteWriter b, PeerHeader h, byte[] local, int addPath) {
    BmpEncoder.peerUp(
        b, h, TS, local, 179, 40_000, open(65000, addPath), open(h.peerAs(), addPath), null);
  }

  private static Attrs attrs(long firstAs) {
    Attrs a = new Attrs().clear();
    a.addAs(firstAs).addAs(6939).addAs(13335);
    a.nextHopV4 = 0x0a00_0001;
    a.nextHopV6[0] = 0x20;
    a.nextHopV6[1] = 0x01;
    a.nextHopV6[15] = 1;
    a.med = 10;
    a.communities[0] = (int) (firstAs << 16) | 100;
    a.communitiesLen = 1;
    return a;
  }

  /** Packed groups of up to {@value #PACKED}, with every fifth group sent one per UPDATE. */
  private static void announce(
      ByteWriter b, PeerHeader h, int flags, Attrs a, long[] keys, int[] ids, boolean v6) {
    int group = 0;
    for (int from = 0; from < keys.length; from += PACKED, group++) {
      int to = Math.min(keys.length, from + PACKED);
      boolean single = group % (100 / SINGLE_SHARE_PERCENT) == 0;
      a.med = group;
      int i = from;
      while (i < to) {
        int at = BmpEncoder.beginRouteMonitoring(b, h, flags, TS);
        i = UpdateEncoder.announce(b, v6, a, keys, ids, i, single ? i + 1 : to);
        BmpEncoder.end(b, at);
      }
    }
  }

  private static void withdraw(ByteWriter b, PeerHeader h, long[] keys, int[] ids, boolean v6) {
    int i = 0;
    boolean single = false;
    while (i < keys.length) {
      int to = single ? i + 1 : Math.min(keys.length, i + PACKED);
      while (i < to) {
        int at = BmpEncoder.beginRouteMonitoring(b, h, 0, TS);
        i = UpdateEncoder.withdraw(b, v6, keys, ids, i, to);
        BmpEncoder.end(b, at);
      }
      single = !single;
    }
  }

  private static void endOfRib(ByteWriter b, PeerHeader h, int flags) {
    int at = BmpEncoder.beginRouteMonitoring(b, h, flags, TS);
    UpdateEncoder.endOfRibV4(b);
    BmpEncoder.end(b, at);
    at = BmpEncoder.beginRouteMonitoring(b, h, flags, TS);
    UpdateEncoder.endOfRibV6(b);
    BmpEncoder.end(b, at);
  }
}
