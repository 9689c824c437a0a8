package org.bmpexporter.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The exporter's configuration, shaped as the YAML file: each component is a key (in snake case:
 * {@code eventLoops} is {@code event_loops}), each nested record a section. {@link #DEFAULTS} is
 * the one place defaults are written; help, README and code are checked against it by a test.
 */
public record ExporterConfig(
    Bmp bmp,
    Web web,
    Duration retention,
    @Bounds(min = 1, max = 256) @DefaultText("number of CPUs") int eventLoops,
    boolean warmup) {

  /** The {@code bmp} section: BMP sessions. */
  public record Bmp(
      List<HostPort> listen,
      List<HostPort> connect,
      @Positive Duration reconnectMin,
      @Positive Duration reconnectMax,
      List<Cidr> allow,
      @Bounds(min = 1, max = 1_000_000) int maxSessions,
      @Bounds(min = 4096, max = 16 << 20) int maxMessageBytes) {
    public Bmp {
      listen = List.copyOf(listen);
      connect = List.copyOf(connect);
      allow = List.copyOf(allow);
    }
  }

  /** The {@code web} section: HTTP. */
  public record Web(
      HostPort listen,
      @Positive Duration scrapeTimeout,
      @DefaultText("none") String configFile,
      @Positive Duration idleTimeout,
      @Positive Duration readHeaderTimeout) {}

  public static final ExporterConfig DEFAULTS =
      new ExporterConfig(
          new Bmp(
              List.of(new HostPort("0.0.0.0", 11019)), // listen
              List.of(), // connect
              Duration.ofSeconds(1), // reconnect_min
              Duration.ofMinutes(1), // reconnect_max
              List.of(), // allow: everyone
              10_000, // max_sessions
              1 << 20), // max_message_bytes
          new Web(
              new HostPort("0.0.0.0", 9324), // listen
              Duration.ofSeconds(10), // scrape_timeout
              "", // config_file: none
              Duration.ofMinutes(1), // idle_timeout
              Duration.ofSeconds(10)), // read_header_timeout
          Duration.ofMinutes(15), // retention
          Math.max(1, Runtime.getRuntime().availableProcessors()), // event_loops
          true); // warmup

  public static ExporterConfig defaults() {
    return DEFAULTS;
  }

  /**
   * This configuration with one key set, as the YAML file would set it ({@code "bmp.listen"},
   * {@code "warmup"}); the value is a typed value or its text. The value is checked as the file's
   * are; the checks between keys (a listener or a target) are left to the file and flags.
   */
  public ExporterConfig with(String key, Object value) {
    return ConfigLoader.set(this, Map.of(key, value));
  }

  // Typed shorthands for the keys tests and embedders set; all go through with(key, value).

  public ExporterConfig withBmpListen(List<HostPort> v) {
    return with("bmp.listen", v);
  }

  public ExporterConfig withConnect(List<HostPort> v) {
    return with("bmp.connect", v);
  }

  public ExporterConfig withWebListen(HostPort v) {
    return with("web.listen", v);
  }

  public ExporterConfig withWebConfigFile(String v) {
    return with("web.config_file", v);
  }

  public ExporterConfig withRetention(Duration v) {
    return with("retention", v);
  }

  public ExporterConfig withReconnect(Duration min, Duration max) {
    return ConfigLoader.set(this, Map.of("bmp.reconnect_min", min, "bmp.reconnect_max", max));
  }

  public ExporterConfig withWarmup(boolean v) {
    return with("warmup", v);
  }

  // Flat views the server reads (kept so that the sections did not ripple through its code).

  public List<HostPort> bmpListen() {
    return bmp.listen();
  }

  public List<HostPort> connect() {
    return bmp.connect();
  }

  public Duration reconnectMin() {
    return bmp.reconnectMin();
  }

  public Duration reconnectMax() {
    return bmp.reconnectMax();
  }

  public List<Cidr> allow() {
    return bmp.allow();
  }

  public int maxSessions() {
    return bmp.maxSessions();
  }

  public int maxMessageBytes() {
    return bmp.maxMessageBytes();
  }

  public HostPort webListen() {
    return web.listen();
  }

  public Duration scrapeTimeout() {
    return web.scrapeTimeout();
  }
}
