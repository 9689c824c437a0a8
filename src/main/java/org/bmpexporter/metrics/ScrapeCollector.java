package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.SCRAPE_DURATION;
import static org.bmpexporter.metrics.Families.SNAPSHOT_TIMEOUTS;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.LongSupplier;

/** The {@link Families#SCRAPE} series: what building the exporter's pages costs. */
public final class ScrapeCollector extends FamilyCollector {

  /** The scrape targets, the {@code target} label values. */
  public enum Target {
    ALL("all"),
    ROUTER("router");

    private final String label;

    Target(String label) {
      this.label = label;
    }
  }

  private final LongSupplier snapshotTimeouts;
  // Written by the scrape that just finished, read by the next: the last value is enough.
  private final double[] lastSeconds = new double[Target.values().length];

  public ScrapeCollector(LongSupplier snapshotTimeouts) {
    super(Families.SCRAPE);
    this.snapshotTimeouts = snapshotTimeouts;
  }

  /** A scrape of {@code target} took {@code seconds} to build. */
  public void took(Target target, double seconds) {
    synchronized (lastSeconds) {
      lastSeconds[target.ordinal()] = seconds;
    }
  }

  @Override
  public MetricSnapshots collect() {
    DataPoints out = new DataPoints();
    synchronized (lastSeconds) {
      // Both targets exist from the start, so a dashboard shows 0 rather than no data.
      for (Target t : Target.values()) {
        out.gauge(SCRAPE_DURATION, lastSeconds[t.ordinal()], t.label);
      }
    }
    out.counter(SNAPSHOT_TIMEOUTS, snapshotTimeouts.getAsLong());
    return out.snapshots();
  }
}
