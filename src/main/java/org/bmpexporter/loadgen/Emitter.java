package org.bmpexporter.loadgen;

import org.bmpexporter.bgp.encode.Attrs;
import org.bmpexporter.bgp.encode.UpdateEncoder;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.wire.MessageType;
import org.bmpexporter.wire.PerPeerHeader;
import org.bmpexporter.wire.encode.BmpEncoder;
import org.bmpexporter.wire.encode.BmpEncoder.PeerHeader;

/**
 * Writes BMP messages into a {@link ByteWriter} and counts them: Route Monitoring for a list of
 * prefixes is split into as many UPDATEs as the 4096-octet limit needs. With a segment builder the
 * buffer is cut into chunks as it fills.
 */
final class Emitter {
  final ByteWriter buf;
  final Counters counters;
  private final Segment.Builder builder;

  Emitter(ByteWriter buf, Counters counters, Segment.Builder builder) {
    this.buf = buf;
    this.counters = counters;
    this.builder = builder;
  }

  private void done(int type) {
    counters.messages[Labels.typeIndex(type)]++;
    if (builder != null) {
      builder.cut(buf, false);
    }
  }

  private static int flags(int rib) {
    return rib == Labels.POST ? PerPeerHeader.FLAG_L : 0;
  }

  /** Route Monitoring announcing {@code keys[0..n)} with one set of attributes. */
  void announce(
      int slot,
      int rib,
      int afi,
      PeerHeader h,
      long ts,
      Attrs a,
      long[] keys,
      int[] pathIds,
      int n) {
    int i = 0;
    while (i < n) {
      int at = BmpEncoder.beginRouteMonitoring(buf, h, flags(rib), ts);
      int next = UpdateEncoder.announce(buf, afi == Labels.V6, a, keys, pathIds, i, n);
      BmpEncoder.end(buf, at);
      counters.announced[slot - counters.firstSlot][rib][afi] += next - i;
      i = next;
      done(MessageType.ROUTE_MONITORING.code());
    }
  }

  /** Route Monitoring withdrawing {@code keys[0..n)}. */
  void withdraw(
      int slot, int rib, int afi, PeerHeader h, long ts, long[] keys, int[] pathIds, int n) {
    int i = 0;
    while (i < n) {
      int at = BmpEncoder.beginRouteMonitoring(buf, h, flags(rib), ts);
      int next = UpdateEncoder.withdraw(buf, afi == Labels.V6, keys, pathIds, i, n);
      BmpEncoder.end(buf, at);
      counters.withdrawn[slot - counters.firstSlot][rib][afi] += next - i;
      i = next;
      done(MessageType.ROUTE_MONITORING.code());
    }
  }

  void endOfRib(int slot, int rib, int afi, PeerHeader h, long ts) {
    int at = BmpEncoder.beginRouteMonitoring(buf, h, flags(rib), ts);
    if (afi == Labels.V4) {
      UpdateEncoder.endOfRibV4(buf);
    } else {
      UpdateEncoder.endOfRibV6(buf);
    }
    BmpEncoder.end(buf, at);
    counters.endOfRib[slot - counters.firstSlot][rib][afi] = true;
    done(MessageType.ROUTE_MONITORING.code());
  }

  void initiation(String sysName, String sysDescr) {
    BmpEncoder.initiation(buf, sysName, sysDescr);
    done(MessageType.INITIATION.code());
  }

  void termination(int reason) {
    BmpEncoder.termination(buf, reason);
    done(MessageType.TERMINATION.code());
  }

  void peerUp(
      int slot,
      PeerHeader h,
      long ts,
      byte[] local16,
      int localPort,
      int remotePort,
      byte[] sentOpen,
      byte[] receivedOpen,
      String tableName) {
    BmpEncoder.peerUp(
        buf, h, ts, local16, localPort, remotePort, sentOpen, receivedOpen, tableName);
    counters.ups[slot - counters.firstSlot]++;
    done(MessageType.PEER_UP.code());
  }

  void peerDown(int slot, PeerHeader h, long ts, int reason, byte[] notification) {
    BmpEncoder.peerDown(buf, h, ts, reason, notification);
    counters.downs[slot - counters.firstSlot]++;
    done(MessageType.PEER_DOWN.code());
  }

  void stats(PeerHeader h, long ts, BmpEncoder.Stat... stats) {
    BmpEncoder.statisticsReport(buf, h, ts, stats);
    done(MessageType.STATISTICS_REPORT.code());
  }
}
