package org.bmpexporter.config;

import java.time.Duration;
import java.util.List;

/**
 * The exporter's configuration. Defaults are the embedded configuration: listen for BMP on
 * 0.0.0.0:11019, serve HTTP on 0.0.0.0:9324.
 */
public record ExporterConfig(
    List<HostPort> bmpListen,
    List<HostPort> connect,
    HostPort webListen,
    int maxMessageBytes,
    int maxSessions,
    List<Cidr> allow,
    Duration retention,
    Duration reconnectMin,
    Duration reconnectMax,
    Duration scrapeTimeout,
    int eventLoops,
    boolean warmup) {

  public static final int DEFAULT_BMP_PORT = 11019;
  public static final int DEFAULT_WEB_PORT = 9324;

  public static ExporterConfig defaults() {
    return new ExporterConfig(
        List.of(new HostPort("0.0.0.0", DEFAULT_BMP_PORT)),
        List.of(),
        new HostPort("0.0.0.0", DEFAULT_WEB_PORT),
        1 << 20,
        10_000,
        List.of(),
        Duration.ofMinutes(15),
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        Duration.ofSeconds(10),
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        true);
  }

  public ExporterConfig withBmpListen(List<HostPort> v) {
    return new ExporterConfig(v, connect, webListen, maxMessageBytes, maxSessions, allow,
        retention, reconnectMin, reconnectMax, scrapeTimeout, eventLoops, warmup);
  }

  public ExporterConfig withConnect(List<HostPort> v) {
    return new ExporterConfig(bmpListen, v, webListen, maxMessageBytes, maxSessions, allow,
        retention, reconnectMin, reconnectMax, scrapeTimeout, eventLoops, warmup);
  }

  public ExporterConfig withWebListen(HostPort v) {
    return new ExporterConfig(bmpListen, connect, v, maxMessageBytes, maxSessions, allow,
        retention, reconnectMin, reconnectMax, scrapeTimeout, eventLoops, warmup);
  }

  public ExporterConfig withRetention(Duration v) {
    return new ExporterConfig(bmpListen, connect, webListen, maxMessageBytes, maxSessions, allow,
        v, reconnectMin, reconnectMax, scrapeTimeout, eventLoops, warmup);
  }

  public ExporterConfig withReconnect(Duration min, Duration max) {
    return new ExporterConfig(bmpListen, connect, webListen, maxMessageBytes, maxSessions, allow,
        retention, min, max, scrapeTimeout, eventLoops, warmup);
  }

  /** Whether to warm the decode path on a synthetic session at start-up (default on). */
  public ExporterConfig withWarmup(boolean v) {
    return new ExporterConfig(bmpListen, connect, webListen, maxMessageBytes, maxSessions, allow,
        retention, reconnectMin, reconnectMax, scrapeTimeout, eventLoops, v);
  }

  public ExporterConfig withLimits(int maxMessageBytes, int maxSessions, List<Cidr> allow) {
    return new ExporterConfig(bmpListen, connect, webListen, maxMessageBytes, maxSessions, allow,
        retention, reconnectMin, reconnectMax, scrapeTimeout, eventLoops, warmup);
  }
}
