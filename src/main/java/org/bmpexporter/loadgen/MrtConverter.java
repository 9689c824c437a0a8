package org.bmpexporter.loadgen;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.bmpexporter.bgp.AttributeType;
import org.bmpexporter.bgp.BgpMessages;
import org.bmpexporter.bgp.encode.UpdateEncoder;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.wire.PeerDownReason;
import org.bmpexporter.wire.PeerType;
import org.bmpexporter.wire.PerPeerHeader;
import org.bmpexporter.wire.encode.BmpEncoder;
import org.bmpexporter.wire.encode.BmpEncoder.PeerHeader;

/**
 * Converts an MRT file (RFC 6396, RFC 8050) into one BMP stream, as if the MRT collector were a
 * router monitoring its peers: every MRT peer becomes a BMP peer (Peer Up with fabricated OPENs:
 * 4-octet AS and ADD-PATH capabilities as the records imply), and its routes become pre-policy
 * Route Monitoring messages.
 *
 * <ul>
 *   <li>TABLE_DUMP (v1) AFI_IPv4 / AFI_IPv6 and TABLE_DUMP_V2 RIB_IPV4_UNICAST / RIB_IPV6_UNICAST
 *       (+ _ADDPATH): each peer's consecutive prefixes with identical attributes are packed into
 *       one UPDATE (up to the packing limit), as routers do; IPv6 next hops of the abbreviated RIB
 *       MP_REACH_NLRI become a full MP_REACH_NLRI; End-of-RIB per peer and family after the dump.
 *       TABLE_DUMP v1 carries 2-octet AS_PATHs: those messages have the per-peer header A flag.
 *   <li>BGP4MP / BGP4MP_ET MESSAGE, MESSAGE_AS4 (+ _ADDPATH): UPDATEs are sent unchanged (A flag
 *       for the 2-octet variants); STATE_CHANGE leaving Established becomes a Peer Down (reason 3
 *       with the peer's last NOTIFICATION, else 4), a later UPDATE a new Peer Up. Messages the
 *       collector itself sent (_LOCAL) are skipped.
 * </ul>
 *
 * Other record types are counted as skipped.
 */
final class MrtConverter {
  static final long MAX_INPUT = Integer.MAX_VALUE - 64;

  /** Counts of the records read. */
  final Map<String, Long> records = new TreeMap<>();

  long skipped;
  String warning;

  private final int maxPerUpdate;
  private final ByteWriter out = new ByteWriter(1 << 20);
  private final Map<String, MrtPeer> peers = new LinkedHashMap<>();
  private MrtPeer[] indexTable = new MrtPeer[0];
  private long collectorBgpId = 0x0a0a0a0aL;
  private long collectorAs = 65000;

  MrtConverter(int maxPerUpdate) {
    this.maxPerUpdate = Math.max(1, maxPerUpdate);
  }

  /** Reads a file, decompressing gzip in-process and bzip2 with {@code bzip2 -dc}. */
  static byte[] readMaybeCompressed(Path file, double timeoutSeconds) throws IOException {
    byte[] head = new byte[3];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, 3);
    }
    if (n >= 2 && (head[0] & 255) == 0x1f && (head[1] & 255) == 0x8b) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
        return readBounded(in, file);
      }
    }
    if (n == 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return bunzip2(file, timeoutSeconds);
    }
    if (Files.size(file) > MAX_INPUT) {
      throw new IOException(file + " is larger than 2 GiB");
    }
    return Files.readAllBytes(file);
  }

  private static byte[] readBounded(InputStream in, Path file) throws IOException {
    ByteArrayOutputStream bo = new ByteArrayOutputStream(1 << 20);
    byte[] b = new byte[1 << 16];
    long total = 0;
    int r;
    while ((r = in.read(b)) > 0) {
      total += r;
      if (total > MAX_INPUT) {
        throw new IOException(file + " decompresses to more than 2 GiB");
      }
      bo.write(b, 0, r);
    }
    return bo.toByteArray();
  }

  /** Java has no bzip2 decoder: runs {@code bzip2 -dc FILE} (bounded in time and size). */
  static byte[] bunzip2(Path file, double timeoutSeconds) throws IOException {
    Process p;
    try {
      p =
          new ProcessBuilder("bzip2", "-dc", file.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new IOException(
          "cannot read "
              + file
              + ": it is bzip2-compressed and Java has no"
              + " bzip2 decoder; install bzip2 (apt-get install bzip2) or decompress it first ("
              + e.getMessage()
              + ")");
    }
    try {
      Thread killer =
          new Thread(
              () -> {
                try {
                  if (!p.waitFor((long) (timeoutSeconds * 1000), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                  }
                } catch (InterruptedException e) {
                  p.destroyForcibly();
                }
              },
              "bzip2-timeout");
      killer.setDaemon(true);
      killer.start();
      byte[] data;
      try (InputStream in = p.getInputStream()) {
        data = readBounded(in, file);
      }
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "bzip2 -dc "
                + file
                + " failed (exit "
                + (p.isAlive() ? "timeout" : p.exitValue())
                + ")");
      }
      return data;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while decompressing " + file);
    } finally {
      p.destroyForcibly();
    }
  }

  private static final class MrtPeer {
    final byte[] address = new byte[16];
    boolean v6;
    long as;
    long bgpId;
    boolean as4;
    boolean addPath;
    byte[] local = new byte[16];
    boolean up;
    final boolean[] dumped = new boolean[2];
    byte[] lastNotification;
    PeerHeader header;
    // the pending group of consecutive prefixes with the same attributes
    int pendingAfi = -1;
    byte[] pendingAttrs;
    byte[] pendingNextHop;
    boolean pendingLegacyAs;
    long pendingTs;
    final ByteWriter pendingNlri = new ByteWriter(4096);
    final IntArrayList pendingStarts = new IntArrayList();
  }

  private void count(String name) {
    records.merge(name, 1L, Long::sum);
  }

  /** Converts {@code mrt} to a BMP stream (Initiation, Peer Ups, Route Monitoring, ...). */
  byte[] convert(byte[] mrt, String name) {
    prescan(mrt);
    BmpEncoder.initiation(
        out, "mrt-" + name, "bmp-exporter loadgen: MRT file " + name + " converted to BMP");
    int p = 0;
    while (p + 12 <= mrt.length) {
      long ts = StreamTracker.u32(mrt, p);
      int type = StreamTracker.u16(mrt, p + 4);
      int sub = StreamTracker.u16(mrt, p + 6);
      long len = StreamTracker.u32(mrt, p + 8);
      int body = p + 12;
      if (body + len > mrt.length) {
        warning = "truncated MRT record at offset " + p;
        break;
      }
      int end = (int) (body + len);
      try {
        record(mrt, ts, type, sub, body, end);
      } catch (IndexOutOfBoundsException e) {
        skipped++;
        count("malformed");
      }
      p = end;
    }
    for (MrtPeer pe : peers.values()) {
      flush(pe);
    }
    for (MrtPeer pe : peers.values()) {
      for (int afi = 0; afi < 2; afi++) {
        if (pe.dumped[afi] && pe.up) {
          int at = BmpEncoder.beginRouteMonitoring(out, pe.header, 0, 0);
          if (afi == 0) {
            UpdateEncoder.endOfRibV4(out);
          } else {
            UpdateEncoder.endOfRibV6(out);
          }
          BmpEncoder.end(out, at);
        }
      }
    }
    return out.toByteArray();
  }

  /** First pass: which peers send 4-octet AS paths and ADD-PATH NLRI, the collector's AS. */
  private void prescan(byte[] mrt) {
    int p = 0;
    while (p + 12 <= mrt.length) {
      int type = StreamTracker.u16(mrt, p + 4);
      int sub = StreamTracker.u16(mrt, p + 6);
      long len = StreamTracker.u32(mrt, p + 8);
      int body = p + 12;
      if (body + len > mrt.length) {
        break;
      }
      try {
        if (type == 16 || type == 17) {
          int b = type == 17 ? body + 4 : body;
          boolean as4 = sub == 4 || sub == 5 || sub == 9;
          if (sub == 1 || sub == 4 || sub == 8 || sub == 9) {
            MrtPeer pe = bgp4mpPeer(mrt, b, as4);
            pe.as4 |= as4;
            pe.addPath |= sub == 8 || sub == 9;
          }
        } else if (type == 13 && sub == 1) {
          peerIndexTable(mrt, body);
        } else if (type == 13 && (sub == 8 || sub == 10)) {
          int q = body + 4;
          int plen = mrt[q] & 255;
          q += 1 + ((plen + 7) >>> 3);
          int n = StreamTracker.u16(mrt, q);
          q += 2;
          for (int i = 0; i < n; i++) {
            int idx = StreamTracker.u16(mrt, q);
            if (idx < indexTable.length) {
              indexTable[idx].addPath = true;
            }
            q += 10 + StreamTracker.u16(mrt, q + 10) + 2;
          }
        }
      } catch (IndexOutOfBoundsException e) {
        // reported by the second pass
      }
      p = (int) (body + len);
    }
  }

  private void record(byte[] b, long ts, int type, int sub, int body, int end) {
    switch (type) {
      case 12 -> {
        count("TABLE_DUMP/" + (sub == 1 ? "AFI_IPv4" : sub == 2 ? "AFI_IPv6" : sub));
        if (sub == 1 || sub == 2) {
          tableDumpV1(b, ts, sub == 2, body, end);
        } else {
          skipped++;
        }
      }
      case 13 -> {
        switch (sub) {
          case 1 -> {
            count("TABLE_DUMP_V2/PEER_INDEX_TABLE");
            peerIndexTable(b, body);
          }
          case 2, 4, 8, 10 -> {
            count(
                "TABLE_DUMP_V2/"
                    + switch (sub) {
                      case 2 -> "RIB_IPV4_UNICAST";
                      case 4 -> "RIB_IPV6_UNICAST";
                      case 8 -> "RIB_IPV4_UNICAST_ADDPATH";
                      default -> "RIB_IPV6_UNICAST_ADDPATH";
                    });
            ribEntries(b, ts, sub == 4 || sub == 10, sub >= 8, body, end);
          }
          default -> {
            count("TABLE_DUMP_V2/" + sub + " (skipped)");
            skipped++;
          }
        }
      }
      case 16, 17 -> {
        int b0 = type == 17 ? body + 4 : body;
        String t = type == 17 ? "BGP4MP_ET/" : "BGP4MP/";
        switch (sub) {
          case 0, 5 -> {
            count(t + (sub == 0 ? "STATE_CHANGE" : "STATE_CHANGE_AS4"));
            stateChange(b, ts, sub == 5, b0);
          }
          case 1, 4, 8, 9 -> {
            count(
                t
                    + switch (sub) {
                      case 1 -> "MESSAGE";
                      case 4 -> "MESSAGE_AS4";
                      case 8 -> "MESSAGE_ADDPATH";
                      default -> "MESSAGE_AS4_ADDPATH";
                    });
            message(b, ts, sub == 4 || sub == 9, b0, end);
          }
          default -> {
            count(t + sub + " (skipped)");
            skipped++;
          }
        }
      }
      default -> {
        count("type " + type + "/" + sub + " (skipped)");
        skipped++;
      }
    }
  }

  private MrtPeer peer(byte[] addr16, boolean v6, long as) {
    String key = Labels.address16(addr16, 0, v6) + "|" + as;
    return peers.computeIfAbsent(
        key,
        k -> {
          MrtPeer p = new MrtPeer();
          System.arraycopy(addr16, 0, p.address, 0, 16);
          p.v6 = v6;
          p.as = as;
          p.bgpId = v6 ? 0 : StreamTracker.u32(addr16, 12);
          return p;
        });
  }

  private static byte[] addr16(byte[] b, int at, boolean v6) {
    byte[] a = new byte[16];
    if (v6) {
      System.arraycopy(b, at, a, 0, 16);
    } else {
      System.arraycopy(b, at, a, 12, 4);
    }
    return a;
  }

  private void peerIndexTable(byte[] b, int body) {
    collectorBgpId = StreamTracker.u32(b, body);
    int q = body + 4;
    int nameLen = StreamTracker.u16(b, q);
    q += 2 + nameLen;
    int n = StreamTracker.u16(b, q);
    q += 2;
    MrtPeer[] table = new MrtPeer[n];
    for (int i = 0; i < n; i++) {
      int t = b[q] & 255;
      long id = StreamTracker.u32(b, q + 1);
      boolean v6 = (t & 1) != 0;
      boolean as4 = (t & 2) != 0;
      q += 5;
      byte[] a = addr16(b, q, v6);
      q += v6 ? 16 : 4;
      long as = as4 ? StreamTracker.u32(b, q) : StreamTracker.u16(b, q);
      q += as4 ? 4 : 2;
      MrtPeer pe = peer(a, v6, as);
      pe.bgpId = id;
      pe.as4 = true; // TABLE_DUMP_V2 attributes always use 4-octet AS numbers
      table[i] = pe;
    }
    indexTable = table;
  }

  private MrtPeer bgp4mpPeer(byte[] b, int q, boolean as4) {
    int asLen = as4 ? 4 : 2;
    long peerAs = as4 ? StreamTracker.u32(b, q) : StreamTracker.u16(b, q);
    long localAs = as4 ? StreamTracker.u32(b, q + asLen) : StreamTracker.u16(b, q + asLen);
    q += 2 * asLen + 2;
    int afi = StreamTracker.u16(b, q);
    q += 2;
    boolean v6 = afi == 2;
    MrtPeer pe = peer(addr16(b, q, v6), v6, peerAs);
    pe.local = addr16(b, q + (v6 ? 16 : 4), v6);
    collectorAs = localAs;
    return pe;
  }

  private void ensureUp(MrtPeer pe, long ts) {
    if (pe.up) {
      return;
    }
    pe.header =
        new PeerHeader(
            PeerType.GLOBAL.code(),
            pe.v6 ? PerPeerHeader.FLAG_V : 0,
            0,
            pe.address,
            pe.as,
            pe.bgpId);
    byte[] sent =
        UpdateEncoder.open(
            new UpdateEncoder.OpenSpec(
                collectorAs,
                collectorBgpId,
                90,
                true,
                true,
                pe.as4,
                pe.addPath ? 3 : 0,
                true,
                false));
    byte[] received =
        UpdateEncoder.open(
            new UpdateEncoder.OpenSpec(
                pe.as, pe.bgpId, 90, true, true, pe.as4, pe.addPath ? 3 : 0, true, false));
    BmpEncoder.peerUp(out, pe.header, ts, pe.local, 179, 0, sent, received, null);
    pe.up = true;
  }

  private void tableDumpV1(byte[] b, long ts, boolean v6, int body, int end) {
    int q = body + 4; // view, sequence
    int alen = v6 ? 16 : 4;
    int prefix = q;
    int plen = b[q + alen] & 255;
    q += alen + 2 + 4; // prefix, length, status, originated
    MrtPeer pe = peer(addr16(b, q, v6), v6, StreamTracker.u16(b, q + alen));
    q += alen + 2;
    int attrLen = StreamTracker.u16(b, q);
    q += 2;
    byte[] nlri = new byte[1 + ((plen + 7) >>> 3)];
    nlri[0] = (byte) plen;
    System.arraycopy(b, prefix, nlri, 1, nlri.length - 1);
    route(pe, ts, v6 ? 1 : 0, true, b, q, Math.min(end, q + attrLen), nlri, -1);
  }

  private void ribEntries(byte[] b, long ts, boolean v6, boolean addPath, int body, int end) {
    int q = body + 4;
    int plen = b[q] & 255;
    int pb = (plen + 7) >>> 3;
    byte[] nlri = new byte[1 + pb];
    System.arraycopy(b, q, nlri, 0, 1 + pb);
    q += 1 + pb;
    int n = StreamTracker.u16(b, q);
    q += 2;
    for (int i = 0; i < n && q < end; i++) {
      int idx = StreamTracker.u16(b, q);
      q += 6;
      long pathId = -1;
      if (addPath) {
        pathId = StreamTracker.u32(b, q);
        q += 4;
      }
      int attrLen = StreamTracker.u16(b, q);
      q += 2;
      if (idx < indexTable.length) {
        route(
            indexTable[idx], ts, v6 ? 1 : 0, false, b, q, Math.min(end, q + attrLen), nlri, pathId);
      } else {
        skipped++;
      }
      q += attrLen;
    }
  }

  /** Adds one RIB route to its peer's pending group (flushing it when attributes differ). */
  private void route(
      MrtPeer pe,
      long ts,
      int afi,
      boolean legacyAs,
      byte[] b,
      int aStart,
      int aEnd,
      byte[] nlri,
      long pathId) {
    ensureUp(pe, ts);
    pe.dumped[afi] = true;
    // split off MP_REACH_NLRI: keep its next hop, rebuild it around our NLRI
    ByteWriter attrs = new ByteWriter(aEnd - aStart + 8);
    byte[] nh = null;
    int q = aStart;
    while (q + 3 <= aEnd) {
      int fl = b[q] & 255;
      int code = b[q + 1] & 255;
      int l = (fl & 0x10) != 0 ? StreamTracker.u16(b, q + 2) : b[q + 2] & 255;
      int v = q + ((fl & 0x10) != 0 ? 4 : 3);
      if (code == 14) {
        int first = b[v] & 255;
        if (l >= 1 && first + 1 == l) { // RFC 6396 abbreviated: next hop length + next hop
          nh = Arrays.copyOfRange(b, v + 1, v + 1 + first);
        } else if (l >= 5) { // full form
          int nhl = b[v + 3] & 255;
          nh = Arrays.copyOfRange(b, v + 4, v + 4 + nhl);
        }
      } else if (afi == 0 || code != 3) {
        attrs.bytes(b, q, v + l - q);
      }
      q = v + l;
    }
    byte[] a = attrs.toByteArray();
    if (afi == 1 && nh == null) {
      nh = new byte[16];
    }
    boolean legacy = legacyAs || !pe.as4;
    if (pe.pendingStarts.size() > 0
        && (pe.pendingAfi != afi
            || legacy != pe.pendingLegacyAs
            || !Arrays.equals(a, pe.pendingAttrs)
            || !Arrays.equals(nh, pe.pendingNextHop)
            || pe.pendingStarts.size() >= maxPerUpdate)) {
      flush(pe);
    }
    if (pe.pendingStarts.isEmpty()) {
      pe.pendingAfi = afi;
      pe.pendingAttrs = a;
      pe.pendingNextHop = nh;
      pe.pendingLegacyAs = legacy;
      pe.pendingTs = ts;
    }
    pe.pendingStarts.add(pe.pendingNlri.size());
    if (pe.addPath) {
      pe.pendingNlri.u32(Math.max(0, pathId));
    }
    pe.pendingNlri.bytes(nlri);
  }

  /** Encodes a peer's pending group as Route Monitoring UPDATE(s) of at most 4096 octets. */
  private void flush(MrtPeer pe) {
    int n = pe.pendingStarts.size();
    if (n == 0) {
      return;
    }
    byte[] nl = pe.pendingNlri.array();
    int nlEnd = pe.pendingNlri.size();
    boolean v6 = pe.pendingAfi == 1;
    int fixed = 19 + 4 + pe.pendingAttrs.length + (v6 ? 4 + 5 + pe.pendingNextHop.length : 0);
    int room = Math.max(UpdateEncoder.MAX_MESSAGE, fixed + 64) - fixed;
    int i = 0;
    while (i < n) {
      int from = pe.pendingStarts.getInt(i);
      int j = i + 1; // at least one NLRI per message
      while (j < n && (j + 1 < n ? pe.pendingStarts.getInt(j + 1) : nlEnd) - from <= room) {
        j++;
      }
      int to = j < n ? pe.pendingStarts.getInt(j) : nlEnd;
      if (fixed + (to - from) > 65535) {
        skipped++;
        i = j;
        continue;
      }
      int at =
          BmpEncoder.beginRouteMonitoring(
              out, pe.header, pe.pendingLegacyAs ? PerPeerHeader.FLAG_A : 0, pe.pendingTs);
      int m = UpdateEncoder.beginMessage(out, BgpMessages.TYPE_UPDATE);
      out.u16(0);
      if (!v6) {
        out.u16(pe.pendingAttrs.length).bytes(pe.pendingAttrs).bytes(nl, from, to - from);
      } else {
        int mp = 5 + pe.pendingNextHop.length + (to - from);
        out.u16(pe.pendingAttrs.length + 4 + mp);
        out.bytes(pe.pendingAttrs);
        out.u8(0x90).u8(AttributeType.MP_REACH).u16(mp);
        out.u16(2).u8(1).u8(pe.pendingNextHop.length).bytes(pe.pendingNextHop).u8(0);
        out.bytes(nl, from, to - from);
      }
      out.patchU16(m + 16, out.size() - m);
      BmpEncoder.end(out, at);
      i = j;
    }
    pe.pendingStarts.clear();
    pe.pendingNlri.reset();
  }

  private void stateChange(byte[] b, long ts, boolean as4, int q) {
    MrtPeer pe = bgp4mpPeer(b, q, as4);
    int asLen = as4 ? 4 : 2;
    int r = q + 2 * asLen + 4 + (pe.v6 ? 32 : 8);
    int oldState = StreamTracker.u16(b, r);
    int newState = StreamTracker.u16(b, r + 2);
    if (oldState == 6 && newState != 6 && pe.up) {
      flush(pe);
      byte[] n = pe.lastNotification;
      BmpEncoder.peerDown(
          out,
          pe.header,
          ts,
          n != null
              ? PeerDownReason.REMOTE_NOTIFICATION.code()
              : PeerDownReason.REMOTE_NO_NOTIFICATION.code(),
          n);
      pe.up = false;
      pe.lastNotification = null;
    }
  }

  private void message(byte[] b, long ts, boolean as4, int q, int end) {
    MrtPeer pe = bgp4mpPeer(b, q, as4);
    int m = q + 2 * (as4 ? 4 : 2) + 4 + (pe.v6 ? 32 : 8);
    if (m + 19 > end) {
      skipped++;
      return;
    }
    int type = b[m + 18] & 255;
    int len = Math.min(end - m, StreamTracker.u16(b, m + 16));
    if (type == BgpMessages.TYPE_NOTIFICATION) {
      pe.lastNotification = Arrays.copyOfRange(b, m, m + len);
      return;
    }
    if (type != BgpMessages.TYPE_UPDATE) {
      return;
    }
    ensureUp(pe, ts);
    flush(pe);
    int at = BmpEncoder.beginRouteMonitoring(out, pe.header, as4 ? 0 : PerPeerHeader.FLAG_A, ts);
    out.bytes(b, m, len);
    BmpEncoder.end(out, at);
  }
}
