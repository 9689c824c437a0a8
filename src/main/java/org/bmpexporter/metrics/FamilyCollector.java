package org.bmpexporter.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricFamilyDescriptor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client_java collector that emits declared {@link MetricFamily families} only, and tells the
 * registry their names, types and labels from the declarations (so a clash with another meter is
 * found when it registers, not at a scrape).
 */
abstract class FamilyCollector implements MultiCollector {
  private final List<MetricFamilyDescriptor> descriptors;

  FamilyCollector(List<MetricFamily> families) {
    // one descriptor per Prometheus name, the last declaration winning, in first-seen order
    Map<String, MetricFamily> byPrometheusName = new LinkedHashMap<>();
    for (MetricFamily f : families) {
      byPrometheusName.put(f.prometheusName(), f);
    }
    this.descriptors =
        byPrometheusName.values().stream()
            .map(f -> MetricFamilyDescriptor.of(f.clientType(), f.metadata(), f.labelNames()))
            .toList();
  }

  @Override
  public List<MetricFamilyDescriptor> getMetricFamilyDescriptors() {
    return descriptors;
  }
}
