package org.bmpexporter.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;
import org.bmpexporter.testing.Scrape;

/**
 * A set of expectations on series, evaluated together against one snapshot of a {@link Source} (a
 * scrape of the exporter, or Prometheus): {@link #mismatches} lists every expectation that does not
 * hold, with the observed value, so a wait that times out says exactly what was off. Labels not
 * named in a selector are unconstrained; a named label with value "" matches a series without that
 * label (as in PromQL).
 */
public final class Expectations {
  /** Where series values come from. */
  public interface Source {
    /** Values of every series named {@code metric} whose labels match {@code labels}. */
    List<Double> values(String metric, Map<String, String> labels);

    static Source of(Scrape m) {
      return (metric, labels) -> m.find(metric, labels).stream().map(Scrape.Sample::value).toList();
    }

    static Source of(PrometheusApi p) {
      return (metric, labels) ->
          p.query(selector(metric, labels)).stream().map(PrometheusApi.Series::value).toList();
    }
  }

  private record Check(
      String what,
      String metric,
      Map<String, String> labels,
      boolean exactlyOne,
      DoublePredicate ok) {}

  private final List<Check> checks = new ArrayList<>();

  /** Exactly one matching series, with value {@code want}. */
  public Expectations one(double want, String metric, String... labels) {
    checks.add(new Check("== " + fmt(want), metric, Scrape.labels(labels), true, v -> v == want));
    return this;
  }

  /** Exactly one matching series, whose value satisfies {@code ok} (described by {@code what}). */
  public Expectations one(String what, DoublePredicate ok, String metric, String... labels) {
    checks.add(new Check(what, metric, Scrape.labels(labels), true, ok));
    return this;
  }

  /** Sum over the matching series (0 when there is none) equals {@code want}. */
  public Expectations sum(double want, String metric, String... labels) {
    checks.add(
        new Check("sum == " + fmt(want), metric, Scrape.labels(labels), false, v -> v == want));
    return this;
  }

  /** Sum over the matching series satisfies {@code ok}. */
  public Expectations sum(String what, DoublePredicate ok, String metric, String... labels) {
    checks.add(new Check("sum " + what, metric, Scrape.labels(labels), false, ok));
    return this;
  }

  /** Sum over the matching series is greater than {@code before} (a counter that increased). */
  public Expectations above(double before, String metric, String... labels) {
    return sum("> " + fmt(before), v -> v > before, metric, labels);
  }

  public boolean isEmpty() {
    return checks.isEmpty();
  }

  /**
   * Every expectation that does not hold in {@code src}, with what was observed; empty when all
   * hold.
   */
  public List<String> mismatches(Source src) {
    List<String> out = new ArrayList<>();
    for (Check c : checks) {
      List<Double> vals;
      try {
        vals = src.values(c.metric(), c.labels());
      } catch (RuntimeException e) {
        out.add(selector(c.metric(), c.labels()) + ": " + e.getMessage());
        continue;
      }
      if (c.exactlyOne()) {
        if (vals.size() != 1) {
          out.add(
              selector(c.metric(), c.labels())
                  + " "
                  + c.what()
                  + ": "
                  + vals.size()
                  + " series "
                  + vals);
        } else if (!c.ok().test(vals.get(0))) {
          out.add(selector(c.metric(), c.labels()) + " " + c.what() + ": got " + fmt(vals.get(0)));
        }
      } else {
        double s = vals.stream().mapToDouble(Double::doubleValue).sum();
        if (!c.ok().test(s)) {
          out.add(
              selector(c.metric(), c.labels())
                  + " "
                  + c.what()
                  + ": got "
                  + fmt(s)
                  + " over "
                  + vals.size()
                  + " series");
        }
      }
    }
    return out;
  }

  /** PromQL selector {@code metric{a="b",...}}. */
  public static String selector(String metric, Map<String, String> labels) {
    if (labels.isEmpty()) {
      return metric;
    }
    return metric
        + labels.entrySet().stream()
            .map(
                e ->
                    e.getKey()
                        + "=\""
                        + e.getValue().replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\"")
            .collect(Collectors.joining(",", "{", "}"));
  }

  static String fmt(double v) {
    return v == Math.rint(v) && !Double.isInfinite(v)
        ? Long.toString((long) v)
        : Double.toString(v);
  }

  @Override
  public String toString() {
    return checks.stream()
        .map(c -> selector(c.metric(), c.labels()) + " " + c.what())
        .collect(Collectors.joining("; "));
  }
}
