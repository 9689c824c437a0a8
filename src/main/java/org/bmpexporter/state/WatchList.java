package org.bmpexporter.state;

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
 * The watched prefixes ({@code watch:}), compiled for the route path: per address family, one hash
 * map per watched prefix length from the prefix's leading bits to the watched prefixes of that
 * length, and a bit mask of the lengths in use, so a route is checked only against the lengths up
 * to its own. IPv4 routes of /16 or longer are first checked against a bitmap of the /24 blocks
 * that any watched prefix covers or lies in (2 MiB), then against the lengths watched in their /16
 * block (512 KiB): most routes of a table end there, before any hash lookup. Immutable; shared by
 * every router's event loop, replaced whole on a reload.
 *
 * <p>The maps' keys are the operator's prefixes, not the sender's: a route only reads them, so they
 * need no keyed hash.
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
  record Target(boolean ipv6, int bits, long hi, long lo, String rd) {}

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
  private final long v4Lengths; // bit n: some IPv4 prefix of length n is watched
  private final long v6LengthsLow; // lengths 0-63
  private final long v6LengthsHigh; // lengths 64-127 (bit 0 = 64)
  private final boolean v6Length128;
  // per /16 block: the lengths of the watched prefixes that cover it or lie in it (null: none)
  private final long[] v4Blocks;
  // a bit per /24 block that a watched prefix covers or lies in (2 MiB): a route's first /24 must
  // have it, which rules out most routes that merely share a /16 with a watched prefix
  private final long[] v4Slash24;
  private final Long2ObjectOpenHashMap<int[]>[] v4ByLength;
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
    this.v4ByLength = new Long2ObjectOpenHashMap[33];
    this.v6ByLength = new Long2ObjectOpenHashMap[129];
    boolean anyV4 = this.entries.stream().anyMatch(e -> e.network().length == 4);
    this.v4Blocks = anyV4 ? new long[1 << 16] : null;
    this.v4Slash24 = anyV4 ? new long[1 << 18] : null;
    long v4 = 0;
    long v6a = 0;
    long v6b = 0;
    boolean v6c = false;
    for (int i = 0; i < targets.length; i++) {
      Entry e = this.entries.get(i);
      Target t = e.target();
      targets[i] = t;
      byTarget.put(t, e);
      Long2ObjectOpenHashMap<int[]>[] byLength = t.ipv6 ? v6ByLength : v4ByLength;
      if (byLength[t.bits] == null) {
        byLength[t.bits] = new Long2ObjectOpenHashMap<>();
      }
      long key = t.ipv6 ? v6Key(t.hi, t.lo, t.bits) : v4Key(t.hi, t.bits);
      int[] ids = byLength[t.bits].get(key);
      int[] more = ids == null ? new int[1] : java.util.Arrays.copyOf(ids, ids.length + 1);
      more[more.length - 1] = i;
      byLength[t.bits].put(key, more);
      if (!t.ipv6) {
        v4 |= 1L << t.bits;
        markBlocks(t);
      } else if (t.bits < 64) {
        v6a |= 1L << t.bits;
      } else if (t.bits < 128) {
        v6b |= 1L << (t.bits - 64);
      } else {
        v6c = true;
      }
    }
    this.v4Lengths = v4;
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

  private static long v4Key(long hi, int bits) {
    return bits == 0 ? 0 : hi >>> (64 - bits);
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
    if (bits < 16 || bits > 32) {
      return bits <= 32 && (v4Lengths & ((2L << bits) - 1)) != 0;
    }
    if (v4Slash24 == null) {
      return false;
    }
    // the block's mask first (the smaller array: most routes end here); then, as a watched prefix
    // that the route is or lies within covers the route's first /24, that /24's bit rules out the
    // routes that merely share a /16 block with a watched prefix, before any hash lookup
    int block = (key[off + 1] & 0xff) << 8 | (key[off + 2] & 0xff);
    if ((v4Blocks[block] & ((2L << bits) - 1)) == 0) {
      return false;
    }
    int slash24 = block << 8 | (bits > 16 ? key[off + 3] & 0xff : 0);
    return (v4Slash24[slash24 >>> 6] & (1L << (slash24 & 63))) != 0;
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
      if (bits > 32 || v4Lengths == 0) {
        return;
      }
      long lengths;
      long hi;
      if (bits >= 16) {
        // most routes end here: no watched prefix covers their /16 block or lies in it
        int block = (key[off + 1] & 0xff) << 8 | (key[off + 2] & 0xff);
        lengths = v4Blocks[block] & ((2L << bits) - 1);
        if (lengths == 0) {
          return;
        }
        hi = (long) block << 48;
        if (bytes > 2) {
          hi |= (key[off + 3] & 0xffL) << 40;
        }
        if (bytes > 3) {
          hi |= (key[off + 4] & 0xffL) << 32;
        }
      } else {
        lengths = v4Lengths & ((2L << bits) - 1);
        if (lengths == 0) {
          return;
        }
        hi = 0;
        for (int i = 0; i < 4; i++) {
          hi = (hi << 8) | (i < bytes ? key[off + 1 + i] & 0xff : 0);
        }
        hi <<= 32;
      }
      while (lengths != 0) {
        int w = Long.numberOfTrailingZeros(lengths);
        lengths &= lengths - 1;
        int[] ids = v4ByLength[w].get(v4Key(hi, w));
        if (ids != null) {
          report(ids, bits, w, tableRd, vpnRd, vpn, out);
        }
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
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 16; i++) {
      long v = i < bytes ? key[off + 1 + i] & 0xff : 0;
      if (i < 8) {
        hi = (hi << 8) | v;
      } else {
        lo = (lo << 8) | v;
      }
    }
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
      if (t.hi == hi && t.lo == (lo & mask) && rdMatches(t, tableRd, vpnRd, vpn)) {
        out.hit(id, bits == w);
      }
    }
  }

  private void report(
      int[] ids, int bits, int w, String tableRd, long vpnRd, boolean vpn, Hits out) {
    for (int id : ids) {
      if (rdMatches(targets[id], tableRd, vpnRd, vpn)) {
        out.hit(id, bits == w);
      }
    }
  }

  private static boolean rdMatches(Target t, String tableRd, long vpnRd, boolean vpn) {
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
}
