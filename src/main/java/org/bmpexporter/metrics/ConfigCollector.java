package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.CONFIG_RELOADS;
import static org.bmpexporter.metrics.Families.WATCHED_PREFIXES;
import static org.bmpexporter.metrics.Families.WATCH_INFO;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.bmpexporter.state.WatchList;

/** The {@link Families#CONFIG} series: the watch list in force and its reloads. */
public final class ConfigCollector extends FamilyCollector {
  private final LongSupplier successes;
  private final LongSupplier failures;
  private final Supplier<WatchList> watchList;

  public ConfigCollector(
      LongSupplier successes, LongSupplier failures, Supplier<WatchList> watchList) {
    super(Families.CONFIG);
    this.successes = successes;
    this.failures = failures;
    this.watchList = watchList;
  }

  @Override
  public MetricSnapshots collect() {
    DataPoints out = new DataPoints();
    // Both results from the start at 0, so increase() sees the first failure.
    out.counter(CONFIG_RELOADS, successes.getAsLong(), "success");
    out.counter(CONFIG_RELOADS, failures.getAsLong(), "failure");
    WatchList list = watchList.get();
    out.gauge(WATCHED_PREFIXES, list.size());
    for (WatchList.Entry e : list.entries()) {
      out.info(WATCH_INFO, e.name(), e.prefix(), e.rd(), Boolean.toString(e.moreSpecifics()));
    }
    return out.snapshots();
  }
}
