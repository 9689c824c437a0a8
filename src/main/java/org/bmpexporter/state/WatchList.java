package org.bmpexporter.state;

import it.unimi.dsi.fastutil.HashCommon;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.codec.Bytes;

/**
 * The watched prefixes ({@code watch:}), compiled for the route path. An IPv4 route is first
 * checked against a bitmap of the /24 blocks that any watched prefix covers or lies in (2 MiB):
 * most routes of a table end there, at one load. The few left take the lengths watched in their
 * first /16 block (512 KiB) and are looked up for each length up to their own in one
 * open-addressing table of the IPv4 watched prefixes. IPv6 routes are looked up in one hash map per
 * watched prefix length, for the lengths in use up to their own. Immutable; shared by every
 * router's event loop, replaced whole on a reload.
 *
 * <p>The tables' keys are the operator's prefixes, not the sender's: a route only reads them, so
 * they need no keyed hash.
 */
public final class WatchList {

  /**
   * One watched prefix as configured.
   *
   * @param network the prefix's address bytes (4 or 16), host bits clear
   * @param rd the route distinguisher as the {@code rd} label writes it; empty for any
   * @param origins the expected origin ASes; empty for any
   * @param moreSpecifics whether more-specific prefixes are expected
   */
  public record Entry(
      String name, byte[] network, int bits, String rd, Set<Long> origins, boolean moreSpecifics) {
    public Entry {
      origins = Collections.unmodifiableSet(new TreeSet<>(origins));
    }

    /** The prefix as {@code 192.0.2.0/24}. */
    public String prefix() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
      } catch (UnknownHostException e) {
        throw new IllegalStateException("address of " + network.length + " bytes", e);
      }
    }

    Target target() {
      long hi = network.length == 4 ? Bytes.u32(network, 0) << 32 : Bytes.s64(network, 0);
      long lo = network.length == 4 ? 0 : Bytes.s64(network, 8);
      return new Target(network.length == 16, bits, hi, lo, rd);
    }

    /** Whether {@code origin} (an AS, or {@code AsPaths.NONE}) is expected. */
    public boolean expected(long origin) {
      return origins.isEmpty() || origins.contains(origin);
    }

    // By content: a record compares arrays by identity.
    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && name.equals(e.name)
          && bits == e.bits
          && java.util.Arrays.equals(network, e.network)
          && rd.equals(e.rd)
          && origins.equals(e.origins)
          && moreSpecifics == e.moreSpecifics;
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return name + " " + prefix() + (rd.isEmpty() ? "" : " rd " + rd);
    }
  }

  /**
   * What the per-table state of a watched prefix is kept under: the prefix and distinguisher. A
   * reload that keeps them keeps what was seen, whatever else of the entry changed.
   *
   * @param hi the first 64 bits of the address (IPv4: in the top 32 bits)
   */
  record Target(boolean ipv6, int bits, long hi, long lo, String rd) {
    // written out: a record's generated hashCode and equals go through method handles, slow on
    // the route path where a table first meets a watched prefix
    @Override
    public int hashCode() {
      int h = Long.hashCode(hi) * 31 + Long.hashCode(lo);
      h = h * 31 + bits;
      return (h * 31 + rd.hashCode()) * 2 + (ipv6 ? 1 : 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Target t
          && t.ipv6 == ipv6
          && t.bits == bits
          && t.hi == hi
          && t.lo == lo
          && t.rd.equals(rd);
    }
  }

  /** Receives the watched prefixes a route matches. */
  interface Hits {
    /**
     * @param target index of the watched prefix ({@link #target(int)})
     * @param exact the route is the watched prefix; else one of its more-specifics
     */
    void hit(int target, boolean exact);
  }

  public static final WatchList EMPTY = new WatchList(List.of(), 10_000);

  private final List<Entry> entries;
  private final Target[] targets;
  private final Map<Target, Entry> byTarget = new LinkedHashMap<>();
  private final int moreSpecificsPerTable;
  private final long v6LengthsLow; // lengths 0-63
  private final long v6LengthsHigh; // lengths 64-127 (bit 0 = 64)
  private final boolean v6Length128;
  // per /16 block: the lengths of the watched prefixes that cover it or lie in it (null: none)
  private final long[] v4Blocks;
  // a bit per /24 block that a watched prefix covers or lies in (2 MiB): a route's first /24 must
  // have it, which rules out most routes that merely share a /16 with a watched prefix
  private final long[] v4Slash24;
  private final boolean anyRd; // false: every route's distinguisher matches, no target is read
  // the IPv4 watched prefixes, open addressing with each key beside its value so that a probe is
  // one cache line: slot i holds at 2i the key ((bits + 1) << 32 | the network's leading bits; 0:
  // empty) and at 2i + 1 the target's index, or ~n when several targets (rds) share the prefix:
  // then v4Shared[n] holds them
  private final long[] v4Table;
  private final int v4Mask;
  private final int[][] v4Shared;
  private final Long2ObjectOpenHashMap<int[]>[] v6ByLength;

  /**
   * @param entries the watched prefixes, names and (prefix, rd) unique (the configuration checks)
   * @param moreSpecificsPerTable how many more-specific prefixes of one watched prefix one table
   *     tracks at most
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // no generic array creation in Java
  public WatchList(List<Entry> entries, int moreSpecificsPerTable) {
    this.entries = List.copyOf(entries);
    this.moreSpecificsPerTable = moreSpecificsPerTable;
    this.targets = new Target[this.entries.size()];
    this.v6ByLength = new Long2ObjectOpenHashMap[129];
    boolean anyV4 = this.entries.stream().anyMatch(e -> e.network().length == 4);
    this.v4Blocks = anyV4 ? new long[1 << 16] : null;
    this.v4Slash24 = anyV4 ? new long[1 << 18] : null;
    long v6a = 0;
    long v6b = 0;
    boolean v6c = false;
    Map<Long, int[]> v4 = new LinkedHashMap<>();
    for (int i = 0; i < targets.length; i++) {
      Entry e = this.entries.get(i);
      Target t = e.target();
      targets[i] = t;
      byTarget.put(t, e);
      if (!t.ipv6) {
        v4.merge(v4Slot(t.hi, t.bits), new int[] {i}, WatchList::concat);
        markBlocks(t);
        continue;
      }
      if (v6ByLength[t.bits] == null) {
        v6ByLength[t.bits] = new Long2ObjectOpenHashMap<>();
      }
      v6ByLength[t.bits].merge(v6Key(t.hi, t.lo, t.bits), new int[] {i}, WatchList::concat);
      if (t.bits < 64) {
        v6a |= 1L << t.bits;
      } else if (t.bits < 128) {
        v6b |= 1L << (t.bits - 64);
      } else {
        v6c = true;
      }
    }
    this.anyRd = this.entries.stream().anyMatch(e -> !e.rd().isEmpty());
    int slots = Integer.highestOneBit(Math.max(1, v4.size()) * 2) * 2; // at most half full
    this.v4Table = new long[2 * slots];
    this.v4Mask = slots - 1;
    List<int[]> shared = new ArrayList<>();
    for (Map.Entry<Long, int[]> e : v4.entrySet()) {
      int i = (int) HashCommon.mix(e.getKey()) & v4Mask;
      while (v4Table[2 * i] != 0) {
        i = (i + 1) & v4Mask;
      }
      v4Table[2 * i] = e.getKey();
      int[] ids = e.getValue();
      if (ids.length == 1) {
        v4Table[2 * i + 1] = ids[0];
      } else {
        v4Table[2 * i + 1] = ~shared.size();
        shared.add(ids);
      }
    }
    this.v4Shared = shared.toArray(new int[0][]);
    this.v6LengthsLow = v6a;
    this.v6LengthsHigh = v6b;
    this.v6Length128 = v6c;
  }

  private void markBlocks(Target t) {
    int first = (int) (t.hi >>> 48);
    int count = t.bits >= 16 ? 1 : 1 << (16 - t.bits);
    for (int b = first; b < first + count; b++) {
      v4Blocks[b] |= 1L << t.bits;
    }
    int first24 = (int) (t.hi >>> 40);
    int count24 = t.bits >= 24 ? 1 : 1 << (24 - t.bits);
    for (int b = first24; b < first24 + count24; b++) {
      v4Slash24[b >>> 6] |= 1L << (b & 63);
    }
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  public int moreSpecificsPerTable() {
    return moreSpecificsPerTable;
  }

  Target target(int i) {
    return targets[i];
  }

  /** The entry watching {@code target} now, or null when no entry does (any more). */
  Entry entry(Target target) {
    return byTarget.get(target);
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The key of an IPv4 prefix in {@link #v4Table}: never 0. */
  private static long v4Slot(long hi, int bits) {
    return (long) (bits + 1) << 32 | (bits == 0 ? 0 : hi >>> (64 - bits));
  }

  /** Reports the targets of the IPv4 prefix of {@code w} bits that {@code hi} starts with. */
  private void v4Probe(
      long hi, int w, int bits, String tableRd, long vpnRd, boolean vpn, Hits out) {
    long key = v4Slot(hi, w);
    int i = (int) HashCommon.mix(key) & v4Mask;
    long k;
    while ((k = v4Table[2 * i]) != 0) {
      if (k == key) {
        long v = v4Table[2 * i + 1];
        if (v >= 0) {
          if (!anyRd || rdMatches(targets[(int) v], tableRd, vpnRd, vpn)) {
            out.hit((int) v, bits == w);
          }
        } else {
          report(v4Shared[(int) ~v], bits, w, tableRd, vpnRd, vpn, out);
        }
        return;
      }
      i = (i + 1) & v4Mask;
    }
  }

  private static long v6Key(long hi, long lo, int bits) {
    if (bits <= 64) {
      return bits == 0 ? 0 : hi >>> (64 - bits);
    }
    // folded: the candidates found are compared in full (see matches)
    return hi * 0x9E3779B97F4A7C15L ^ (lo >>> (128 - bits));
  }

  /**
   * False when the route {@code [bits][prefix bytes]} at {@code off} (after the RD of a VPN route)
   * can be no watched prefix nor lie within one: small, so that the route path inlines it and most
   * routes stop here. True means "look": {@link #match} decides.
   */
  boolean candidate(boolean ipv6, byte[] key, int off) {
    if (ipv6) {
      return v6LengthsLow != 0 || v6LengthsHigh != 0 || v6Length128;
    }
    int bits = key[off] & 0xff;
    if (bits > 32 || v4Slash24 == null) {
      return false;
    }
    // the mask of the route's first /16 block first (the smaller array: most routes end here). A
    // watched prefix that the route is or lies within covers that block, so for a route of /16 or
    // shorter the mask is exact; for a longer one, as such a prefix also covers the route's first
    // /24, that /24's bit rules out the routes that merely share a /16 block with a watched prefix
    int block = block(key, off, bits);
    if ((v4Blocks[block] & ((2L << bits) - 1)) == 0) {
      return false;
    }
    if (bits <= 16) {
      return true;
    }
    int slash24 = block << 8 | (key[off + 3] & 0xff);
    return (v4Slash24[slash24 >>> 6] & (1L << (slash24 & 63))) != 0;
  }

  /**
   * The first /16 block of the IPv4 route {@code [bits][prefix bytes]} at {@code off}: reads only
   * the prefix's own bytes (host bits that the sender set stay: the block is within the route).
   */
  private static int block(byte[] key, int off, int bits) {
    if (bits == 0) {
      return 0;
    }
    return (key[off + 1] & 0xff) << 8 | (bits > 8 ? key[off + 2] & 0xff : 0);
  }

  /**
   * Reports each watched prefix the route {@code [bits][prefix bytes]} at {@code off} is or lies
   * within, whose distinguisher matches: a prefix watched with an rd matches a VPN route of that RD
   * ({@code vpnRd}, else null) or any other route in a table of a peer with that rd ({@code
   * tableRd}).
   */
  void match(boolean ipv6, byte[] key, int off, String tableRd, long vpnRd, boolean vpn, Hits out) {
    int bits = key[off] & 0xff;
    int bytes = (bits + 7) >>> 3;
    if (!ipv6) {
      if (bits > 32 || v4Blocks == null) {
        return;
      }
      // most routes end here: no watched prefix covers their /16 block or lies in it
      int block = block(key, off, bits);
      long lengths = v4Blocks[block] & ((2L << bits) - 1);
      if (lengths == 0) {
        return;
      }
      long hi = (long) block << 48;
      if (bytes > 2) {
        hi |= (key[off + 3] & 0xffL) << 40;
      }
      if (bytes > 3) {
        hi |= (key[off + 4] & 0xffL) << 32;
      }
      while (lengths != 0) {
        int w = Long.numberOfTrailingZeros(lengths);
        lengths &= lengths - 1;
        v4Probe(hi, w, bits, tableRd, vpnRd, vpn, out);
      }
      return;
    }
    if (bits > 128) {
      return;
    }
    long low = v6LengthsLow & (bits >= 63 ? -1L : (2L << bits) - 1);
    long high = bits < 64 ? 0 : v6LengthsHigh & (bits >= 127 ? -1L : (2L << (bits - 64)) - 1);
    boolean full = bits == 128 && v6Length128;
    if (low == 0 && high == 0 && !full) {
      return;
    }
    long hi = v6Half(key, off + 1, bytes, 0);
    long lo = v6Half(key, off + 1, bytes, 1);
    while (low != 0) {
      int w = Long.numberOfTrailingZeros(low);
      low &= low - 1;
      int[] ids = v6ByLength[w].get(v6Key(hi, lo, w));
      if (ids != null) {
        report(ids, bits, w, tableRd, vpnRd, vpn, out);
      }
    }
    while (high != 0) {
      int w = 64 + Long.numberOfTrailingZeros(high);
      high &= high - 1;
      v6Long(hi, lo, w, bits, tableRd, vpnRd, vpn, out);
    }
    if (full) {
      v6Long(hi, lo, 128, bits, tableRd, vpnRd, vpn, out);
    }
  }

  private void v6Long(
      long hi, long lo, int w, int bits, String tableRd, long vpnRd, boolean vpn, Hits out) {
    long mask = w == 128 ? -1L : ~(-1L >>> (w - 64));
    int[] ids = v6ByLength[w].get(v6Key(hi, lo & mask, w));
    if (ids == null) {
      return;
    }
    for (int id : ids) {
      Target t = targets[id];
      if (t.hi == hi && t.lo == (lo & mask) && (!anyRd || rdMatches(t, tableRd, vpnRd, vpn))) {
        out.hit(id, bits == w);
      }
    }
  }

  private void report(
      int[] ids, int bits, int w, String tableRd, long vpnRd, boolean vpn, Hits out) {
    for (int id : ids) {
      if (!anyRd || rdMatches(targets[id], tableRd, vpnRd, vpn)) {
        out.hit(id, bits == w);
      }
    }
  }

  private boolean rdMatches(Target t, String tableRd, long vpnRd, boolean vpn) {
    if (t.rd.isEmpty()) {
      return true;
    }
    return vpn ? t.rd.equals(Addresses.routeDistinguisher(vpnRd)) : t.rd.equals(tableRd);
  }

  /** The entries by name, for lookups by the API. */
  public Map<String, Entry> byName() {
    Map<String, Entry> out = new LinkedHashMap<>();
    for (Entry e : entries) {
      out.put(e.name(), e);
    }
    return out;
  }

  /** Names of the entries, in configuration order. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    entries.forEach(e -> out.add(e.name()));
    return out;
  }

  /**
   * Half {@code half} (0: the high 8 bytes, 1: the low 8) of an IPv6 prefix's address of {@code
   * bytes} bytes at {@code addressOff}, the bytes beyond the prefix taken as 0.
   */
  static long v6Half(byte[] key, int addressOff, int bytes, int half) {
    long v = 0;
    for (int i = half * 8; i < half * 8 + 8; i++) {
      v = (v << 8) | (i < bytes ? key[addressOff + i] & 0xff : 0);
    }
    return v;
  }
}
