package org.bmpexporter.metrics;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client_java collector that emits declared {@link MetricFamily families} only, and tells the
 * registry their names, types and labels from the declarations (so a clash with another meter is
 * found when it registers, not at a scrape).
 */
abstract class FamilyCollector implements MultiCollector {
  private final Map<String, MetricFamily> byPrometheusName = new LinkedHashMap<>();

  FamilyCollector(List<MetricFamily> families) {
    for (MetricFamily f : families) {
      byPrometheusName.put(f.prometheusName(), f);
    }
  }

  @Override
  public List<String> getPrometheusNames() {
    return List.copyOf(byPrometheusName.keySet());
  }

  @Override
  public MetricType getMetricType(String prometheusName) {
    MetricFamily f = byPrometheusName.get(prometheusName);
    return f == null ? null : f.clientType();
  }

  @Override
  public Set<String> getLabelNames(String prometheusName) {
    MetricFamily f = byPrometheusName.get(prometheusName);
    return f == null ? null : Set.copyOf(f.labelNames());
  }

  @Override
  public MetricMetadata getMetadata(String prometheusName) {
    MetricFamily f = byPrometheusName.get(prometheusName);
    return f == null ? null : f.metadata();
  }
}
