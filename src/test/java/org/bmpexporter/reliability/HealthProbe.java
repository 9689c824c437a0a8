package org.bmpexporter.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Asks {@code /healthz} every {@code period} on its own thread until closed, and keeps each
 * answer's latency; a request without a 200 answer within the timeout counts as a failure.
 */
final class HealthProbe implements AutoCloseable {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI uri;
  private final Duration period;
  private final Duration timeout;
  private final List<Long> latenciesNanos = Collections.synchronizedList(new ArrayList<>());
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile boolean running = true;

  HealthProbe(String hostPort, Duration period, Duration timeout) {
    this.uri = URI.create("http://" + hostPort + "/healthz");
    this.period = period;
    this.timeout = timeout;
    this.thread = new Thread(this::loop, "healthz-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      long t0 = System.nanoTime();
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(uri).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          latenciesNanos.add(System.nanoTime() - t0);
        } else {
          failures.add("HTTP " + r.statusCode());
        }
      } catch (java.io.IOException e) {
        failures.add(e.toString());
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(period.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  int answers() {
    return latenciesNanos.size();
  }

  List<String> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  double maxSeconds() {
    synchronized (latenciesNanos) {
      return latenciesNanos.stream().mapToLong(Long::longValue).max().orElse(0) / 1e9;
    }
  }

  double medianSeconds() {
    synchronized (latenciesNanos) {
      List<Long> sorted = new ArrayList<>(latenciesNanos);
      Collections.sort(sorted);
      return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e9;
    }
  }

  /** Stops asking; the figures stay. */
  void stop() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  @Override
  public String toString() {
    return answers()
        + " /healthz answers, median "
        + String.format("%.3f", medianSeconds())
        + " s, max "
        + String.format("%.3f", maxSeconds())
        + " s, "
        + failures().size()
        + " failures";
  }
}
