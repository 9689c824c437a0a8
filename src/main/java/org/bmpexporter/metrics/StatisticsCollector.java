package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.DataPoints.append;
import static org.bmpexporter.metrics.Families.PEER_STAT;
import static org.bmpexporter.metrics.Families.PEER_STAT_REPORT_TIMESTAMP;
import static org.bmpexporter.metrics.Families.PEER_STAT_VALUE;

import org.bmpexporter.state.Snapshots;

/** The {@link Families#STATISTICS} series: the last Statistics Report of a peer. */
final class StatisticsCollector {
  private StatisticsCollector() {}

  /**
   * @param id the peer's label values: router, peer, rd
   */
  static void collect(String[] id, Snapshots.Peer p, DataPoints out) {
    for (Snapshots.StatCounter c : p.statCounters()) {
      out.counter(PEER_STAT, c.value(), append(id, c.statType()));
    }
    for (Snapshots.StatGauge g : p.statGauges()) {
      out.gauge(PEER_STAT_VALUE, g.value(), append(id, g.statType(), g.afiSafi()));
    }
    if (p.statReportTimestampSeconds() > 0) {
      out.gauge(PEER_STAT_REPORT_TIMESTAMP, p.statReportTimestampSeconds(), id);
    }
  }
}
