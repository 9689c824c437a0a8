package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.CONFIG_RELOADS;
import static org.bmpexporter.metrics.Families.WATCHED_PREFIXES;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.LongSupplier;

/** The {@link Families#CONFIG} series: reloads of the configuration file's watch list. */
public final class ConfigCollector extends FamilyCollector {
  private final LongSupplier successes;
  private final LongSupplier failures;
  private final LongSupplier watched;

  public ConfigCollector(LongSupplier successes, LongSupplier failures, LongSupplier watched) {
    super(Families.CONFIG);
    this.successes = successes;
    this.failures = failures;
    this.watched = watched;
  }

  @Override
  public MetricSnapshots collect() {
    DataPoints out = new DataPoints();
    // Both results from the start at 0, so increase() sees the first failure.
    out.counter(CONFIG_RELOADS, successes.getAsLong(), "success");
    out.counter(CONFIG_RELOADS, failures.getAsLong(), "failure");
    out.gauge(WATCHED_PREFIXES, watched.getAsLong());
    return out.snapshots();
  }
}
