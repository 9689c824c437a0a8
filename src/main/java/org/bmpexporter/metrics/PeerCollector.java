package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.DataPoints.append;
import static org.bmpexporter.metrics.Families.PEER_DOWNS;
import static org.bmpexporter.metrics.Families.PEER_INFO;
import static org.bmpexporter.metrics.Families.PEER_LAST_DOWN_TIMESTAMP;
import static org.bmpexporter.metrics.Families.PEER_UP;
import static org.bmpexporter.metrics.Families.PEER_UPS;
import static org.bmpexporter.metrics.Families.PEER_UP_TIMESTAMP;
import static org.bmpexporter.metrics.Families.ROUTE_MIRRORING;

import java.util.Map;
import org.bmpexporter.bgp.Notification;
import org.bmpexporter.bgp.NotificationCode;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.wire.PeerDownReason;

/** The {@link Families#PEER} series: a monitored peer's identity, ups and downs, mirroring. */
final class PeerCollector {
  private PeerCollector() {}

  private static final String MAX_PREFIX =
      NotificationCode.CEASE.label()
          + "/"
          + NotificationCode.CEASE.subcodeLabel(Notification.CEASE_MAX_PREFIX);
  private static final String LOCAL_NOTIFICATION = PeerDownReason.LOCAL_NOTIFICATION.label();
  private static final String REMOTE_NOTIFICATION = PeerDownReason.REMOTE_NOTIFICATION.label();

  /**
   * @param id the peer's label values: router, peer, rd
   */
  static void collect(String[] id, Snapshots.Peer p, DataPoints out) {
    out.gauge(PEER_UP, p.up() ? 1 : 0, id);
    out.info(
        PEER_INFO, append(id, Long.toString(p.peerAs()), p.peerBgpId(), p.peerType(), p.table()));
    if (p.upTimestampSeconds() > 0) {
      out.gauge(PEER_UP_TIMESTAMP, p.upTimestampSeconds(), id);
    }
    if (p.lastDownTimestampSeconds() > 0) {
      out.gauge(PEER_LAST_DOWN_TIMESTAMP, p.lastDownTimestampSeconds(), id);
    }
    out.counter(PEER_UPS, p.ups(), id);
    boolean localMax = false;
    boolean remoteMax = false;
    for (Snapshots.Downs d : p.downs()) {
      out.counter(PEER_DOWNS, d.count(), append(id, d.reason(), d.notification()));
      localMax |= d.reason().equals(LOCAL_NOTIFICATION) && d.notification().equals(MAX_PREFIX);
      remoteMax |= d.reason().equals(REMOTE_NOTIFICATION) && d.notification().equals(MAX_PREFIX);
    }
    // Max-prefix Peer Downs exist at 0 from the start, so alerts see the first increase.
    if (!localMax) {
      out.counter(PEER_DOWNS, 0, append(id, LOCAL_NOTIFICATION, MAX_PREFIX));
    }
    if (!remoteMax) {
      out.counter(PEER_DOWNS, 0, append(id, REMOTE_NOTIFICATION, MAX_PREFIX));
    }
    for (Map.Entry<String, Long> m : p.mirroring().entrySet()) {
      out.counter(ROUTE_MIRRORING, m.getValue(), append(id, m.getKey()));
    }
  }
}
