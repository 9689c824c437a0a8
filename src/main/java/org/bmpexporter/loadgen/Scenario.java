package org.bmpexporter.loadgen;

import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.bmpexporter.bgp.AttributeType;
import org.bmpexporter.bgp.encode.Attrs;
import org.bmpexporter.bgp.encode.UpdateEncoder;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.synthetic.Rng;
import org.bmpexporter.synthetic.TableGenerator;
import org.bmpexporter.wire.PeerType;
import org.bmpexporter.wire.encode.BmpEncoder.PeerHeader;

/**
 * The shared part of a generated run: the prefix tables, the runs of prefixes that share attributes
 * (an "origin block", the same for every peer), each peer's identity, import policy and attributes,
 * and the pre-encoded initial dumps (one segment per peer with its pre- and post-policy tables and
 * End-of-RIB markers, one for the Loc-RIB instance). Every router session sends the same dump
 * segments; what differs per router (Initiation, Peer Ups, churn, flaps, statistics) is encoded
 * live by {@link RouterModel}.
 *
 * <p>Loc-RIB holds, per prefix, the path of the lowest-numbered up peer whose policy accepts it and
 * that currently announces it (with that peer's post-policy attributes).
 */
final class Scenario {
  static final long ROUTER_BGP_ID = 0x0aff_ff01L; // 10.255.255.1
  static final String LOC_TABLE = "global";

  /** Public transit ASNs used for the first peers (the rest get private ASNs). */
  private static final long[] PEER_ASNS = {
    3356, 1299, 174, 2914, 6939, 3257, 6762, 6453, 3491, 1273, 7018, 701, 9002, 6461, 5511, 4637,
    2497, 7922, 20473, 24940, 199524, 212271, 207841, 141011, 263444, 396982, 327687, 136907, 58453,
    37100
  };

  final GenConfig c;
  final int peers;
  final long[][] keys = new long[2][];

  /** Per AFI: run r covers prefix indexes [runStart[r], runStart[r + 1]). */
  final int[][] runStart = new int[2][];

  final int[] peerAddr;
  final long[] peerAs;
  final PeerHeader[] peerHeader;
  final PeerHeader locHeader;
  final byte[] routerOpenTemplate;
  private final long[] transitPool;
  private final long[] originPool;
  final long[][] postInitial;
  final long[] locInitial = new long[2];
  Segment[] dump;
  Segment locDump;

  Scenario(GenConfig c) {
    this.c = c;
    this.peers = c.peers();
    keys[Labels.V4] = TableGenerator.ipv4(c.ipv4(), c.seed());
    keys[Labels.V6] = TableGenerator.ipv6(c.ipv6(), c.seed());
    Rng r = new Rng(Rng.mix(c.seed(), 0x5eed));
    for (int afi = 0; afi < 2; afi++) {
      runStart[afi] = runs(keys[afi].length, r);
    }
    transitPool = asnPool(r, 600, 30);
    originPool = asnPool(r, 20_000, 40);
    peerAddr = new int[peers];
    peerAs = new long[peers];
    peerHeader = new PeerHeader[peers];
    for (int p = 0; p < peers; p++) {
      peerAddr[p] = peerAddress(p);
      peerAs[p] =
          p < PEER_ASNS.length
              ? PEER_ASNS[p]
              : (p % 2 == 0 ? 64512 + (p / 2) % 1000 : 4_200_000_000L + p);
      peerHeader[p] =
          PeerHeader.ipv4(
              PeerType.GLOBAL.code(), peerAddr[p], peerAs[p], peerAddr[p] & 0xffffffffL);
    }
    locHeader = PeerHeader.ipv4(PeerType.LOC_RIB.code(), 0, c.routerAs(), ROUTER_BGP_ID);
    routerOpenTemplate = open(c.routerAs(), ROUTER_BGP_ID);
    postInitial = new long[peers][2];
  }

  /** Peer p's address: 10.0.0.1, 10.0.0.2, ... (p + 1 as the low 24 bits of 10/8). */
  static int peerAddress(int p) {
    return 0x0a00_0000 | (p + 1);
  }

  /** The router's own address on the peering with p (10.128.0.0/9 side). */
  static int localAddress(int p) {
    return 0x0a80_0000 | (p + 1);
  }

  private int[] runs(int n, Rng r) {
    int k = Math.max(1, c.maxPerUpdate());
    int[] starts = new int[n + 1];
    int runs = 0;
    int i = 0;
    double avgPacked = (2.0 + k) / 2.0;
    double s = c.packedPercent() / 100.0;
    // probability that a run is packed, so that packed runs carry share s of the prefixes
    double q = s >= 1 ? 1 : s / (avgPacked * (1 - s) + s);
    while (i < n) {
      starts[runs++] = i;
      int len;
      switch (c.packing()) {
        case SINGLE -> len = 1;
        case PACKED -> len = k;
        default -> len = (k >= 2 && r.nextDouble() < q) ? 2 + r.nextInt(k - 1) : 1;
      }
      i += Math.min(len, n - i);
    }
    starts[runs] = n;
    return java.util.Arrays.copyOf(starts, runs + 1);
  }

  private static long[] asnPool(Rng r, int n, int fourOctetPercent) {
    long[] pool = new long[n];
    for (int i = 0; i < n; i++) {
      if (r.nextInt(100) < fourOctetPercent) {
        pool[i] = 131_072L + r.nextInt(270_000);
      } else {
        long a;
        do {
          a = 1L + r.nextInt(64_495);
        } while (a == AttributeType.AS_TRANS);
        pool[i] = a;
      }
    }
    return pool;
  }

  /** Timestamp for per-peer headers: the fixed one, or now. */
  long ts() {
    return c.timestamp() > 0 ? c.timestamp() : System.currentTimeMillis() / 1000;
  }

  /** The run holding prefix index {@code idx}. */
  int runOf(int afi, int idx) {
    int[] s = runStart[afi];
    int lo = 0;
    int hi = s.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (s[mid] <= idx) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Import policy of peer p: accepts this prefix (post-policy and Loc-RIB candidate). */
  boolean accepts(int p, int afi, int idx) {
    return c.postPercent() >= 100
        || Rng.pick(Rng.mix(c.seed() ^ 0x9011c7L, p, afi, idx), 1000) < c.postPercent() * 10;
  }

  /** The ADD-PATH path identifier of a prefix in Adj-RIB-In (1..8); Loc-RIB uses 1. */
  int pathId(int afi, int idx) {
    return 1 + (int) (Rng.mix(c.seed(), afi, keys[afi][idx]) & 7);
  }

  /** The initial Loc-RIB best path: the first peer that accepts the prefix, or -1. */
  int initialBest(int afi, int idx) {
    for (int p = 0; p < peers; p++) {
      if (accepts(p, afi, idx)) {
        return p;
      }
    }
    return -1;
  }

  byte[] open(long asn, long bgpId) {
    return UpdateEncoder.open(
        new UpdateEncoder.OpenSpec(
            asn,
            bgpId,
            90,
            c.family(Labels.V4),
            c.family(Labels.V6),
            true,
            c.addPath() ? 3 : 0,
            true,
            true));
  }

  /**
   * Fills {@code a} with the attributes peer p sends for run {@code run}: AS_PATH [peer AS, 0-6
   * transit ASNs, origin AS (prepended sometimes)] of length 2-8, ORIGIN, NEXT_HOP (the peer), MED
   * for some, communities or large communities, and with {@code post} the import policy's
   * LOCAL_PREF and community. A non-zero {@code variant} (churn) changes MED and adds a community.
   */
  void attrs(Attrs a, int p, int afi, int run, int variant, boolean post) {
    long h = Rng.mix(c.seed(), afi, run);
    long hp = Rng.mix(c.seed(), p + 1, afi, run);
    a.clear();
    int o = Rng.pick(h, 100);
    a.origin = o < 90 ? Attrs.ORIGIN_IGP : o < 98 ? Attrs.ORIGIN_INCOMPLETE : Attrs.ORIGIN_EGP;
    long pas = peerAs[p];
    a.addAs(pas);
    int m = Rng.pick(hp >>> 3, 100);
    int mid = m < 6 ? 0 : m < 36 ? 1 : m < 70 ? 2 : m < 88 ? 3 : m < 96 ? 4 : m < 99 ? 5 : 6;
    for (int i = 0; i < mid; i++) {
      long t = transitPool[Rng.pick(Rng.mix(hp, i), transitPool.length)];
      a.addAs(
          t == pas
              ? transitPool[(Rng.pick(hp, transitPool.length) + i + 1) % transitPool.length]
              : t);
    }
    long origin = originPool[Rng.pick(h >>> 7, originPool.length)];
    a.addAs(origin);
    int prepends = Rng.pick(h >>> 21, 100) < 6 ? 1 + (int) ((h >>> 40) & 1) : 0;
    for (int i = 0; i < prepends && a.asPathLen < 8; i++) {
      a.addAs(origin);
    }
    a.nextHopV4 = peerAddr[p];
    byte[] nh = a.nextHopV6; // 2001:db8:ffff::<p+1>
    java.util.Arrays.fill(nh, (byte) 0);
    nh[0] = 0x20;
    nh[1] = 0x01;
    nh[2] = 0x0d;
    nh[3] = (byte) 0xb8;
    nh[4] = (byte) 0xff;
    nh[5] = (byte) 0xff;
    int id = p + 1;
    nh[12] = (byte) (id >>> 24);
    nh[13] = (byte) (id >>> 16);
    nh[14] = (byte) (id >>> 8);
    nh[15] = (byte) id;
    if (variant > 0) {
      a.med = 1000L + variant;
    } else if (Rng.pick(hp >>> 11, 100) < 30) {
      a.med = Rng.pick(hp >>> 17, 200);
    }
    int nc = Rng.pick(hp >>> 25, 5);
    for (int i = 0; i < nc; i++) {
      int v = 100 + Rng.pick(Rng.mix(hp, 100 + i), 900);
      if (pas <= 0xffff) {
        a.addCommunity((int) pas, v);
      } else {
        a.addLargeCommunity(pas, 1, v);
      }
    }
    if (Rng.pick(h >>> 33, 100) < 25) {
      a.addLargeCommunity(origin, 0, 100 + Rng.pick(h >>> 41, 50));
    }
    if (variant > 0) {
      a.addCommunity(65535 - 1, variant & 0xffff); // 65534:<variant>
    }
    if (post) {
      a.localPref = Rng.pick(hp >>> 29, 3) == 0 ? 200 : 100;
      if (c.routerAs() <= 0xffff) {
        a.addCommunity((int) c.routerAs(), 100);
      } else {
        a.addLargeCommunity(c.routerAs(), 0, 100);
      }
    }
  }

  /** Encodes the initial dumps (untimed; in parallel over peers). */
  void build() {
    AtomicLong built = new AtomicLong();
    dump =
        IntStream.range(0, peers)
            .parallel()
            .mapToObj(
                p -> {
                  Segment s = buildPeer(p);
                  if (built.addAndGet(s.bytes) > c.maxPrebuiltBytes()) {
                    throw new IllegalStateException(tooBig(built.get()));
                  }
                  return s;
                })
            .toArray(Segment[]::new);
    locDump = buildLoc();
    if (built.addAndGet(locDump.bytes) > c.maxPrebuiltBytes()) {
      throw new IllegalStateException(tooBig(built.get()));
    }
  }

  private String tooBig(long n) {
    return "the pre-encoded tables exceed "
        + (c.maxPrebuiltBytes() >> 20)
        + " MiB (at "
        + (n >> 20)
        + " MiB): use fewer peers or prefixes, fewer --ribs, or raise the JVM heap"
        + " (-Xmx) / --max-prebuilt-mb";
  }

  long prebuiltBytes() {
    long n = locDump == null ? 0 : locDump.bytes;
    for (Segment s : dump) {
      n += s.bytes;
    }
    return n;
  }

  private Segment buildPeer(int p) {
    Counters k = new Counters(p, 1);
    ByteWriter b = new ByteWriter(c.chunkSize() + 8192);
    Segment.Builder sb = new Segment.Builder(c.chunkSize());
    Emitter e = new Emitter(b, k, sb);
    Attrs a = new Attrs();
    long ts = ts();
    long[] scratch = new long[Math.max(1, c.maxPerUpdate())];
    int[] pids = c.addPath() ? new int[scratch.length] : null;
    for (int afi = 0; afi < 2; afi++) {
      long accepted = 0;
      for (int i = 0; i < keys[afi].length; i++) {
        if (accepts(p, afi, i)) {
          accepted++;
        }
      }
      postInitial[p][afi] = accepted;
    }
    for (int rib = Labels.PRE; rib <= Labels.POST; rib++) {
      if (!c.rib(rib)) {
        continue;
      }
      PeerHeader h = peerHeader[p];
      for (int afi = 0; afi < 2; afi++) {
        if (!c.family(afi)) {
          continue;
        }
        int[] s = runStart[afi];
        for (int run = 0; run + 1 < s.length; run++) {
          int n = 0;
          for (int i = s[run]; i < s[run + 1]; i++) {
            if (rib == Labels.PRE || accepts(p, afi, i)) {
              if (n == scratch.length) {
                scratch = java.util.Arrays.copyOf(scratch, n * 2);
                pids = pids == null ? null : java.util.Arrays.copyOf(pids, n * 2);
              }
              scratch[n] = keys[afi][i];
              if (pids != null) {
                pids[n] = pathId(afi, i);
              }
              n++;
            }
          }
          if (n > 0) {
            attrs(a, p, afi, run, 0, rib == Labels.POST);
            e.announce(p, rib, afi, h, ts, a, scratch, pids, n);
          }
        }
        e.endOfRib(p, rib, afi, h, ts);
      }
    }
    sb.cut(b, true);
    return new Segment(sb.chunks, k.messages, p, k.announced[0], k.withdrawn[0], k.endOfRib[0]);
  }

  private Segment buildLoc() {
    Counters k = new Counters(peers, 1);
    ByteWriter b = new ByteWriter(c.chunkSize() + 8192);
    Segment.Builder sb = new Segment.Builder(c.chunkSize());
    Emitter e = new Emitter(b, k, sb);
    Attrs a = new Attrs();
    long ts = ts();
    LocWriter w = new LocWriter(this, e, a, Math.max(1, c.maxPerUpdate()));
    for (int afi = 0; afi < 2; afi++) {
      long present = 0;
      for (int i = 0; i < keys[afi].length; i++) {
        int best = initialBest(afi, i);
        if (best >= 0) {
          present++;
          if (c.loc() && c.family(afi)) {
            w.add(afi, i, best, 0, ts);
          }
        }
      }
      locInitial[afi] = present;
      if (c.loc() && c.family(afi)) {
        w.flush(ts);
        e.endOfRib(peers, Labels.LOC, afi, locHeader, ts);
      }
    }
    sb.cut(b, true);
    return new Segment(sb.chunks, k.messages, peers, k.announced[0], k.withdrawn[0], k.endOfRib[0]);
  }

  /**
   * Packs Loc-RIB announcements: consecutive prefixes of the same run whose best path comes from
   * the same peer (and attribute variant) share one UPDATE, up to the packing limit.
   */
  static final class LocWriter {
    private final Scenario s;
    private final Emitter e;
    private final Attrs a;
    private final long[] keys;
    private final int[] pids;
    private int n;
    private int afi = -1;
    private int run = -1;
    private int peer = -1;
    private int variant;

    LocWriter(Scenario s, Emitter e, Attrs a, int max) {
      this.s = s;
      this.e = e;
      this.a = a;
      this.keys = new long[max];
      this.pids = s.c.addPath() ? new int[max] : null;
    }

    void add(int afi, int idx, int best, int variant, long ts) {
      int run = s.runOf(afi, idx);
      if (n > 0
          && (afi != this.afi
              || run != this.run
              || best != peer
              || variant != this.variant
              || n == keys.length
              || s.c.packing() == GenConfig.Packing.SINGLE)) {
        flush(ts);
      }
      this.afi = afi;
      this.run = run;
      this.peer = best;
      this.variant = variant;
      keys[n] = s.keys[afi][idx];
      if (pids != null) {
        pids[n] = 1;
      }
      n++;
    }

    void flush(long ts) {
      if (n == 0) {
        return;
      }
      s.attrs(a, peer, afi, run, variant, true);
      e.announce(s.peers, Labels.LOC, afi, s.locHeader, ts, a, keys, pids, n);
      n = 0;
    }
  }

  /** Loc-RIB withdrawals, packed up to the message limit. */
  static final class LocWithdrawals {
    private final Scenario s;
    private final Emitter e;
    private final long[] keys = new long[1024];
    private final int[] pids;
    private int n;
    private int afi = -1;

    LocWithdrawals(Scenario s, Emitter e) {
      this.s = s;
      this.e = e;
      this.pids = s.c.addPath() ? new int[keys.length] : null;
    }

    void add(int afi, int idx, long ts) {
      if (n > 0 && (afi != this.afi || n == keys.length)) {
        flush(ts);
      }
      this.afi = afi;
      keys[n] = s.keys[afi][idx];
      if (pids != null) {
        pids[n] = 1;
      }
      n++;
    }

    void flush(long ts) {
      if (n > 0) {
        e.withdraw(s.peers, Labels.LOC, afi, s.locHeader, ts, keys, pids, n);
        n = 0;
      }
    }
  }
}
