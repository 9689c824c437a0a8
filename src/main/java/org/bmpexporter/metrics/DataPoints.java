package org.bmpexporter.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data points of one scrape, gathered by family. A family without data points is left out of
 * the exposition (no router, no {@code bmp_router_up}).
 */
final class DataPoints {
  private final Map<MetricFamily, List<GaugeDataPointSnapshot>> gauges = new LinkedHashMap<>();
  private final Map<MetricFamily, List<CounterDataPointSnapshot>> counters = new LinkedHashMap<>();
  private final Map<MetricFamily, List<InfoDataPointSnapshot>> infos = new LinkedHashMap<>();

  /** Label values follow the family's declared label names. */
  void gauge(MetricFamily family, double value, String... labelValues) {
    points(gauges, family, MetricFamily.Type.GAUGE)
        .add(new GaugeDataPointSnapshot(value, family.labels(labelValues), null));
  }

  void counter(MetricFamily family, double value, String... labelValues) {
    points(counters, family, MetricFamily.Type.COUNTER)
        .add(new CounterDataPointSnapshot(value, family.labels(labelValues), null, 0));
  }

  void info(MetricFamily family, String... labelValues) {
    points(infos, family, MetricFamily.Type.INFO)
        .add(new InfoDataPointSnapshot(family.labels(labelValues)));
  }

  /** An info point with labels beyond the declared ones (the operator's static labels). */
  void info(MetricFamily family, Labels extra, String... labelValues) {
    points(infos, family, MetricFamily.Type.INFO)
        .add(new InfoDataPointSnapshot(family.labels(labelValues).merge(extra)));
  }

  private static <P> List<P> points(
      Map<MetricFamily, List<P>> byFamily, MetricFamily family, MetricFamily.Type expected) {
    if (family.type() != expected) {
      throw new IllegalArgumentException(family + " is a " + family.type() + ", not a " + expected);
    }
    return byFamily.computeIfAbsent(family, f -> new ArrayList<>());
  }

  /** Where the data points stand now, to {@link #rollback} to. */
  Mark mark() {
    return new Mark(sizes(gauges), sizes(counters), sizes(infos));
  }

  /** Removes every data point added since {@code mark} (a router that failed half-way). */
  void rollback(Mark mark) {
    truncate(gauges, mark.gauges);
    truncate(counters, mark.counters);
    truncate(infos, mark.infos);
  }

  record Mark(
      Map<MetricFamily, Integer> gauges,
      Map<MetricFamily, Integer> counters,
      Map<MetricFamily, Integer> infos) {}

  private static <P> Map<MetricFamily, Integer> sizes(Map<MetricFamily, List<P>> byFamily) {
    Map<MetricFamily, Integer> sizes = new HashMap<>();
    byFamily.forEach((f, points) -> sizes.put(f, points.size()));
    return sizes;
  }

  private static <P> void truncate(
      Map<MetricFamily, List<P>> byFamily, Map<MetricFamily, Integer> sizes) {
    byFamily
        .entrySet()
        .removeIf(
            e -> {
              int keep = sizes.getOrDefault(e.getKey(), 0);
              e.getValue().subList(keep, e.getValue().size()).clear();
              return keep == 0;
            });
  }

  MetricSnapshots snapshots() {
    List<MetricSnapshot> all = new ArrayList<>();
    gauges.forEach((f, points) -> all.add(new GaugeSnapshot(f.metadata(), points)));
    counters.forEach((f, points) -> all.add(new CounterSnapshot(f.metadata(), points)));
    infos.forEach((f, points) -> all.add(new InfoSnapshot(f.metadata(), points)));
    return new MetricSnapshots(all);
  }

  /** {@code base} followed by {@code more}: a peer's labels extended by a table's, say. */
  static String[] append(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
