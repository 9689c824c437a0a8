package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.SCRAPE_CACHED_PAGES;
import static org.bmpexporter.metrics.Families.SCRAPE_DURATION;
import static org.bmpexporter.metrics.Families.SCRAPE_SERIES;
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
  private final long[] lastSeries = new long[Target.values().length];
  private long cachedPages;

  public ScrapeCollector(LongSupplier snapshotTimeouts) {
    super(Families.SCRAPE);
    this.snapshotTimeouts = snapshotTimeouts;
  }

  /**
   * A page of {@code target} with {@code series} series was served after {@code nanos}; {@code
   * cached}: the router's kept page, not built anew.
   */
  public void served(Target target, long nanos, int series, boolean cached) {
    synchronized (lastSeconds) {
      lastSeconds[target.ordinal()] = nanos / 1e9;
      lastSeries[target.ordinal()] = series;
      if (cached) {
        cachedPages++;
      }
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
      for (Target t : Target.values()) {
        out.gauge(SCRAPE_SERIES, lastSeries[t.ordinal()], t.label);
      }
      out.counter(SCRAPE_CACHED_PAGES, cachedPages);
    }
    out.counter(SNAPSHOT_TIMEOUTS, snapshotTimeouts.getAsLong());
    return out.snapshots();
  }
}
