package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.CONNECT_TARGET_UP;
import static org.bmpexporter.metrics.Families.EXPORTER_BUILD_INFO;
import static org.bmpexporter.metrics.Families.SESSIONS;
import static org.bmpexporter.metrics.Families.SESSIONS_ACCEPTED;
import static org.bmpexporter.metrics.Families.SESSIONS_REJECTED;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The {@link Families#EXPORTER} series: the exporter's build, its BMP sessions and its active-mode
 * targets.
 */
public final class ExporterCollector extends FamilyCollector {
  private final SessionCounts sessions;
  private final ConnectTargets targets;
  private final String version;

  public ExporterCollector(SessionCounts sessions, ConnectTargets targets, String version) {
    super(Families.EXPORTER);
    this.sessions = sessions;
    this.targets = targets;
    this.version = version;
  }

  @Override
  public MetricSnapshots collect() {
    DataPoints out = new DataPoints();
    out.info(EXPORTER_BUILD_INFO, version);
    out.gauge(SESSIONS, sessions.open());
    out.counter(SESSIONS_ACCEPTED, sessions.accepted());
    // Every reason exists from the start at 0, so increase() sees the first refusal.
    for (SessionCounts.Rejection r : SessionCounts.Rejection.values()) {
      out.counter(SESSIONS_REJECTED, sessions.rejected(r), r.label());
    }
    for (ConnectTargets.Status t : targets.statuses()) {
      out.gauge(CONNECT_TARGET_UP, t.up() ? 1 : 0, t.target());
    }
    return out.snapshots();
  }
}
