package org.bmpexporter.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Parses Prometheus text exposition (0.0.4; OpenMetrics' {@code # EOF} and other comments are
 * skipped) into samples that tests can look up by name and labels. The project's one exposition
 * parser: unit tests, the server tests and the interop suite all use it.
 *
 * <p>Label matching is PromQL's: a label the caller names that a sample does not have matches the
 * empty value ({@code notification=""} matches a series without that label).
 */
public final class Scrape {
  public record Sample(String name, Map<String, String> labels, double value) {
    @Override
    public String toString() {
      return name + labels + " " + value;
    }
  }

  private final List<Sample> samples;
  private final String text;

  private Scrape(String text) {
    this.text = text;
    this.samples = Collections.unmodifiableList(parse(text));
  }

  public static Scrape of(String text) {
    return new Scrape(text);
  }

  public static Scrape http(int port) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .timeout(Duration.ofSeconds(20))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new AssertionError("/metrics answered " + r.statusCode());
      }
      return new Scrape(r.body());
    } catch (Exception e) {
      throw new AssertionError("scrape failed: " + e, e);
    }
  }

  public String text() {
    return text;
  }

  public List<Sample> samples() {
    return samples;
  }

  /**
   * {@code labels("router", "127.0.0.1", "rib", "loc_rib")}: name/value pairs as an ordered map.
   */
  public static Map<String, String> labels(String... kv) {
    if (kv.length % 2 != 0) {
      throw new IllegalArgumentException("labels need name/value pairs: " + List.of(kv));
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Samples of {@code name} whose labels include all of {@code labels} (k, v, k, v...). */
  public List<Sample> find(String name, String... labels) {
    return find(name, labels(labels));
  }

  /** Samples of {@code name} matching every entry of {@code match} (absent label = ""). */
  public List<Sample> find(String name, Map<String, String> match) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name.equals(name)
          && match.entrySet().stream()
              .allMatch(e -> s.labels.getOrDefault(e.getKey(), "").equals(e.getValue()))) {
        out.add(s);
      }
    }
    return out;
  }

  /** The value of the one sample matching, or NaN when there is none; fails when several match. */
  public double value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() > 1) {
      throw new AssertionError(
          found.size() + " samples match " + name + " " + List.of(labels) + ": " + found);
    }
    return found.isEmpty() ? Double.NaN : found.get(0).value;
  }

  /** Sum over the matching samples; 0 when none match (an absent series counts as 0). */
  public double sum(String name, String... labels) {
    return sum(name, labels(labels));
  }

  public double sum(String name, Map<String, String> match) {
    return find(name, match).stream().mapToDouble(Sample::value).sum();
  }

  public boolean has(String name, String... labels) {
    return !find(name, labels).isEmpty();
  }

  private static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    int lineNo = 0;
    for (String raw : text.split("\n")) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        out.add(parseLine(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("bad exposition line " + lineNo + ": " + raw, e);
      }
    }
    return out;
  }

  private static Sample parseLine(String line) {
    int i = 0;
    while (i < line.length()
        && line.charAt(i) != '{'
        && line.charAt(i) != ' '
        && line.charAt(i) != '\t') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (true) {
        while (line.charAt(i) == ' ' || line.charAt(i) == ',') {
          i++;
        }
        if (line.charAt(i) == '}') {
          i++;
          break;
        }
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq).strip();
        i = eq + 1;
        if (line.charAt(i) != '"') {
          throw new IllegalArgumentException("label value must be quoted");
        }
        i++;
        StringBuilder v = new StringBuilder();
        while (line.charAt(i) != '"') {
          char c = line.charAt(i);
          if (c == '\\') {
            char n = line.charAt(++i);
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
    String[] rest = line.substring(i).strip().split("\\s+");
    return new Sample(name, Collections.unmodifiableMap(labels), parseValue(rest[0]));
  }

  /** A sample value as Prometheus writes it ({@code +Inf}, {@code -Inf}, {@code NaN} included). */
  public static double parseValue(String v) {
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

  /** Polls until the condition holds, at most {@code timeout}; fails with {@code what}. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }
}
