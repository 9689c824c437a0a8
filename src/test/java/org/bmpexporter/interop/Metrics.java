package org.bmpexporter.interop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One scrape of a {@code /metrics} endpoint, parsed from the Prometheus text exposition format
 * (0.0.4; OpenMetrics' {@code # EOF} is ignored), with lookups by metric name and a subset of
 * labels. A label the caller asks for that a sample does not have matches the empty value, as in
 * Prometheus ({@code notification=""} means "no notification label").
 */
public final class Metrics {
  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {
    @Override
    public String toString() {
      return name + labels + " " + value;
    }
  }

  private final List<Sample> samples;

  private Metrics(List<Sample> samples) {
    this.samples = Collections.unmodifiableList(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** {@code labels("router", "127.0.0.1", "rib", "loc_rib")}. */
  public static Map<String, String> labels(String... kv) {
    if (kv.length % 2 != 0) {
      throw new IllegalArgumentException("labels need name/value pairs");
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Samples named {@code name} whose labels include every entry of {@code match}. */
  public List<Sample> find(String name, Map<String, String> match) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> match.entrySet().stream().allMatch(e -> s.labels().getOrDefault(e.getKey(), "").equals(e.getValue())))
        .toList();
  }

  /** The value of the one sample that matches; fails when none or several match. */
  public double value(String name, Map<String, String> match) {
    List<Sample> f = find(name, match);
    if (f.size() != 1) {
      throw new IllegalStateException("expected exactly one " + name + match + ", found " + f.size()
          + (f.isEmpty() ? "; series named " + name + ": " + find(name, Map.of()) : ": " + f));
    }
    return f.get(0).value();
  }

  /** Sum over the matching samples; 0 when none match (an absent series counts as 0). */
  public double sum(String name, Map<String, String> match) {
    return find(name, match).stream().mapToDouble(Sample::value).sum();
  }

  public boolean has(String name, Map<String, String> match) {
    return !find(name, match).isEmpty();
  }

  public static Metrics parse(String text) {
    List<Sample> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n")) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      try {
        out.add(parseLine(l));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad exposition line " + lineNo + ": " + line, e);
      }
    }
    return new Metrics(out);
  }

  private static Sample parseLine(String l) {
    int i = 0;
    while (i < l.length() && l.charAt(i) != '{' && l.charAt(i) != ' ' && l.charAt(i) != '\t') {
      i++;
    }
    String name = l.substring(0, i);
    Map<String, String> labels = new TreeMap<>();
    if (i < l.length() && l.charAt(i) == '{') {
      i++;
      while (true) {
        while (l.charAt(i) == ' ' || l.charAt(i) == ',') {
          i++;
        }
        if (l.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = l.indexOf('=', i);
        String key = l.substring(i, eq).strip();
        i = eq + 1;
        if (l.charAt(i) != '"') {
          throw new IllegalArgumentException("label value must be quoted");
        }
        i++;
        StringBuilder v = new StringBuilder();
        while (l.charAt(i) != '"') {
          char c = l.charAt(i);
          if (c == '\\') {
            char n = l.charAt(++i);
            v.append(n == 'n' ? '\n' : n);
          } else {
            v.append(c);
          }
          i++;
        }
        i++;
        labels.put(key, v.toString());
      }
    }
    String[] rest = l.substring(i).strip().split("\\s+");
    return new Sample(name, labels, parseValue(rest[0]));
  }

  static double parseValue(String v) {
    return switch (v) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  @Override
  public String toString() {
    return samples.stream().map(Sample::toString).collect(Collectors.joining("\n"));
  }
}
