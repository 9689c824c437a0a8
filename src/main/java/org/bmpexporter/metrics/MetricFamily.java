package org.bmpexporter.metrics;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.util.List;

/**
 * One metric family of the exposition: its name as scraped (what queries, alerts and the README
 * use), type, help and label names. Declared once in {@link Families}; collectors add data points
 * with label values in the declared order, so the labels cannot drift from the declaration.
 */
public final class MetricFamily {

  /** The kinds of family the exporter exposes, with the suffix client_java adds to each. */
  public enum Type {
    COUNTER("_total", "counter", MetricType.COUNTER),
    GAUGE("", "gauge", MetricType.GAUGE),
    /** A constant 1 carrying labels; the Prometheus text format shows it as a gauge. */
    INFO("_info", "gauge", MetricType.INFO);

    private final String suffix;
    private final String textType;
    private final MetricType clientType;

    Type(String suffix, String textType, MetricType clientType) {
      this.suffix = suffix;
      this.textType = textType;
      this.clientType = clientType;
    }

    /** The {@code # TYPE} of the family in the Prometheus text format (the README's "type"). */
    public String textType() {
      return textType;
    }
  }

  private final String name;
  private final Type type;
  private final String help;
  private final List<String> labelNames;
  private final String[] labelNameArray;
  private final MetricMetadata metadata;

  MetricFamily(String name, Type type, String help, String... labelNames) {
    if (!name.endsWith(type.suffix) || name.equals(type.suffix)) {
      throw new IllegalArgumentException(
          type + " " + name + " must end with '" + type.suffix + "'");
    }
    this.name = name;
    this.type = type;
    this.help = help;
    this.labelNames = List.of(labelNames);
    this.labelNameArray = labelNames.clone();
    // client_java takes the name without the suffix it appends itself.
    this.metadata =
        new MetricMetadata(name.substring(0, name.length() - type.suffix.length()), help);
  }

  /** The name as scraped: with {@code _total} for counters and {@code _info} for info families. */
  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public String help() {
    return help;
  }

  /** The label names, in the order collectors give the values. */
  public List<String> labelNames() {
    return labelNames;
  }

  /** The name client_java registers and sorts by (the scraped name without its type suffix). */
  public String prometheusName() {
    return metadata.getPrometheusName();
  }

  MetricType clientType() {
    return type.clientType;
  }

  MetricMetadata metadata() {
    return metadata;
  }

  /** The labels of one data point; the values follow {@link #labelNames()}. */
  Labels labels(String... values) {
    if (values.length != labelNameArray.length) {
      throw new IllegalArgumentException(
          name + " takes the labels " + labelNames + ", got " + values.length + " values");
    }
    return Labels.of(labelNameArray, values);
  }

  @Override
  public String toString() {
    return name;
  }
}
