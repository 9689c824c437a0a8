package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.Families.WEB_CONFIG_RELOADS;

import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.LongSupplier;

/** The {@link Families#WEB} series: reloads of the web config file. */
public final class WebConfigCollector extends FamilyCollector {
  private final LongSupplier successes;
  private final LongSupplier failures;

  public WebConfigCollector(LongSupplier successes, LongSupplier failures) {
    super(Families.WEB);
    this.successes = successes;
    this.failures = failures;
  }

  @Override
  public MetricSnapshots collect() {
    DataPoints out = new DataPoints();
    // Both results from the start at 0, so increase() sees the first failure.
    out.counter(WEB_CONFIG_RELOADS, successes.getAsLong(), "success");
    out.counter(WEB_CONFIG_RELOADS, failures.getAsLong(), "failure");
    return out.snapshots();
  }
}
