package org.bmpexporter.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Parses Prometheus text exposition into samples that tests can look up by name and labels. */
public final class Scrape {
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;
  private final String text;

  private Scrape(String text) {
    this.text = text;
    this.samples = parse(text);
  }

  public static Scrape of(String text) {
    return new Scrape(text);
  }

  public static Scrape http(int port) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
              .timeout(Duration.ofSeconds(20)).build(),
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

  /** Samples of {@code name} whose labels include all of {@code labels} (k, v, k, v...). */
  public List<Sample> find(String name, String... labels) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (!s.name.equals(name)) {
        continue;
      }
      boolean ok = true;
      for (int i = 0; i < labels.length; i += 2) {
        ok &= labels[i + 1].equals(s.labels.get(labels[i]));
      }
      if (ok) {
        out.add(s);
      }
    }
    return out;
  }

  /** The value of the one sample matching, or NaN when there is none. */
  public double value(String name, String... labels) {
    List<Sample> found = find(name, labels);
    if (found.size() > 1) {
      throw new AssertionError(found.size() + " samples match " + name + " " + List.of(labels));
    }
    return found.isEmpty() ? Double.NaN : found.get(0).value;
  }

  public double sum(String name, String... labels) {
    return find(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  private static List<Sample> parse(String text) {
    List<Sample> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space;
      String name;
      Map<String, String> labels = new LinkedHashMap<>();
      if (brace >= 0 && brace < line.indexOf(' ')) {
        name = line.substring(0, brace);
        int i = brace + 1;
        while (line.charAt(i) != '}') {
          int eq = line.indexOf('=', i);
          String key = line.substring(i, eq);
          StringBuilder v = new StringBuilder();
          int j = eq + 2;
          while (line.charAt(j) != '"') {
            char c = line.charAt(j);
            if (c == '\\') {
              char n = line.charAt(++j);
              v.append(n == 'n' ? '\n' : n);
            } else {
              v.append(c);
            }
            j++;
          }
          labels.put(key, v.toString());
          i = j + 1;
          if (line.charAt(i) == ',') {
            i++;
          }
        }
        space = line.indexOf(' ', i);
      } else {
        space = line.indexOf(' ');
        name = line.substring(0, space);
      }
      String value = line.substring(space + 1).trim().split(" ")[0];
      out.add(new Sample(name, labels, Double.parseDouble(value)));
    }
    return out;
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
