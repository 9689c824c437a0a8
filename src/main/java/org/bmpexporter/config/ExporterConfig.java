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
    boolean warmup,
    List<RouterName> routers,
    Kafka kafka,
    List<Watch> watch,
    WatchLimits watchLimits) {

  public ExporterConfig {
    routers = List.copyOf(routers);
    watch = List.copyOf(watch);
  }

  /**
   * The {@code watch_limits} section: how large the watch list and what it tracks may grow. A
   * watched prefix costs a few hash lookups for the routes near it, and its series per table.
   */
  public record WatchLimits(
      @Bounds(min = 0, max = 1_000_000) int maxEntries,
      @Bounds(min = 1, max = 10_000_000) int moreSpecificsPerTable) {}

  /** The {@code bmp} section: BMP sessions. */
  public record Bmp(
      List<HostPort> listen,
      List<HostPort> connect,
      @Positive Duration reconnectMin,
      @Positive Duration reconnectMax,
      List<Cidr> allow,
      @Bounds(min = 1, max = 1_000_000) int maxSessions,
      @Bounds(min = 4096, max = 16 << 20) int maxMessageBytes,
      Limits limits,
      Keepalive keepalive,
      Duration idleTimeout,
      Duration takeoverAfter,
      ProxyProtocol proxyProtocol,
      @Bounds(min = 1 << 20, max = 1L << 40) @DefaultText("a quarter of the maximum heap")
          long bufferBudgetBytes,
      List<HostPort> forward,
      @Bounds(min = 64 << 10, max = 1L << 40) long forwardBufferBytes,
      @Bounds(min = 1 << 20, max = 1L << 40) @DefaultText("an eighth of the maximum heap")
          long forwardBufferTotalBytes) {
    public Bmp {
      listen = List.copyOf(listen);
      connect = List.copyOf(connect);
      allow = List.copyOf(allow);
      forward = List.copyOf(forward);
    }
  }

  /**
   * The {@code bmp.limits} section: how far one router's state may grow. A router that reaches a
   * limit keeps its session and what it holds; what the limit keeps out is counted.
   */
  public record Limits(
      @Bounds(min = 1, max = 100_000_000) int peersPerRouter,
      @Bounds(min = 1, max = 1_000_000) int tablesPerPeer,
      @Bounds(min = 1, max = 1_000_000) int statTypesPerPeer,
      @Bounds(min = 1, max = 1_000_000_000_000L) long routesPerRouter,
      @Bounds(min = 1, max = 1_000_000_000_000L) @DefaultText("max heap / 160 bytes")
          long routesTotal,
      @Bounds(min = 1, max = 1000) int sessionsPerAddress) {}

  /**
   * The default {@code bmp.limits.routes_total}: one route per 160 bytes of maximum heap, so that
   * even routes costing 100 bytes each (random IPv6 /128s) stay within about 60 % of the heap.
   */
  static String defaultAdminId() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "bmp-exporter";
    }
  }

  static long defaultRoutesTotal() {
    long maxHeap = Runtime.getRuntime().maxMemory();
    return maxHeap == Long.MAX_VALUE ? 100_000_000L : Math.max(1_000_000L, maxHeap / 160);
  }

  /**
   * The {@code bmp.keepalive} section: TCP keepalive on BMP connections, so that a connection whose
   * router is gone (rebooted, unplugged) ends instead of staying open and silent.
   */
  public record Keepalive(
      boolean enabled,
      @Positive Duration idle,
      @Positive Duration interval,
      @Bounds(min = 1, max = 127) int count) {}

  /** The {@code bmp.proxy_protocol} section: PROXY protocol v1/v2 from trusted proxies. */
  public record ProxyProtocol(List<Cidr> trusted) {
    public ProxyProtocol {
      trusted = List.copyOf(trusted);
    }
  }

  /**
   * The {@code kafka} section: raw BMP read from Kafka topics in the OpenBMP 1.7 format, as OpenBMP
   * and gobmp collectors publish it. {@code properties} are handed to the Kafka client as they are
   * (TLS, SASL, client.id, ...).
   */
  public record Kafka(
      @DefaultText("none") String bootstrapServers,
      Consume consume,
      Produce produce,
      Map<String, String> properties) {
    public Kafka {
      properties = Map.copyOf(properties);
    }
  }

  /**
   * The {@code kafka.consume} section: the topics to read and the partitions this exporter owns
   * (assigned statically, read from the earliest retained offset; empty = every partition).
   */
  public record Consume(List<String> topics, List<Integer> partitions) {
    public Consume {
      topics = List.copyOf(topics);
      partitions = List.copyOf(partitions);
    }
  }

  /**
   * The {@code kafka.produce} section: every BMP message received over TCP published unchanged as a
   * binary OpenBMP 1.7 record, keyed by router IP, within a bounded buffer.
   */
  public record Produce(
      boolean enabled,
      String topic,
      @DefaultText("the host name") String adminId,
      @Bounds(min = 1 << 20, max = 1L << 34) @DefaultText("an eighth of the maximum heap")
          long bufferBytes,
      @Positive Duration heartbeatInterval) {}

  /** The {@code web} section: HTTP. */
  public record Web(
      HostPort listen,
      @Positive Duration scrapeTimeout,
      boolean fullMetrics,
      String externalAddress,
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
              1 << 20, // max_message_bytes
              new Limits(
                  10_000, // peers_per_router
                  64, // tables_per_peer
                  256, // stat_types_per_peer
                  20_000_000L, // routes_per_router
                  defaultRoutesTotal(), // routes_total
                  4), // sessions_per_address
              new Keepalive(
                  true, // enabled
                  Duration.ofSeconds(60), // idle
                  Duration.ofSeconds(10), // interval
                  6), // count
              Duration.ZERO, // idle_timeout: off
              Duration.ofMinutes(5), // takeover_after
              new ProxyProtocol(List.of()), // proxy_protocol.trusted: nobody
              Math.max(1 << 20, Math.min(Runtime.getRuntime().maxMemory() / 4, 1L << 40)),
              // ^ buffer_budget_bytes
              List.of(), // forward: no relay
              4L << 20, // forward_buffer_bytes
              Math.max(1 << 20, Math.min(Runtime.getRuntime().maxMemory() / 8, 1L << 40))),
          // ^ forward_buffer_total_bytes
          new Web(
              new HostPort("0.0.0.0", 9324), // listen
              Duration.ofSeconds(10), // scrape_timeout
              true, // full_metrics
              "", // external_address: the Host of each /sd request
              "", // config_file: none
              Duration.ofMinutes(1), // idle_timeout
              Duration.ofSeconds(10)), // read_header_timeout
          Duration.ofMinutes(15), // retention
          Math.max(1, Runtime.getRuntime().availableProcessors()), // event_loops
          true, // warmup
          List.of(), // routers: no names, no static labels
          new Kafka(
              "", // bootstrap_servers: none
              new Consume(List.of(), List.of()), // consume: no topics
              new Produce(
                  false, // enabled
                  "openbmp.bmp_raw", // topic
                  defaultAdminId(), // admin_id
                  Math.max(1 << 20, Math.min(Runtime.getRuntime().maxMemory() / 8, 1L << 34)),
                  // ^ buffer_bytes: a router's first dump waits there while the producer catches up
                  Duration.ofSeconds(30)), // heartbeat_interval
              Map.of()), // properties
          List.of(), // watch: nothing watched
          new WatchLimits(
              10_000, // max_entries
              10_000)); // more_specifics_per_table

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

  public ExporterConfig withEventLoops(int v) {
    return with("event_loops", v);
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

  public Limits limits() {
    return bmp.limits();
  }

  public Keepalive keepalive() {
    return bmp.keepalive();
  }

  public Duration idleTimeout() {
    return bmp.idleTimeout();
  }

  public Duration takeoverAfter() {
    return bmp.takeoverAfter();
  }

  public List<Cidr> proxyTrusted() {
    return bmp.proxyProtocol().trusted();
  }

  public long bufferBudgetBytes() {
    return bmp.bufferBudgetBytes();
  }

  public List<HostPort> forward() {
    return bmp.forward();
  }

  public long forwardBufferBytes() {
    return bmp.forwardBufferBytes();
  }

  public long forwardBufferTotalBytes() {
    return bmp.forwardBufferTotalBytes();
  }

  public HostPort webListen() {
    return web.listen();
  }

  public Duration scrapeTimeout() {
    return web.scrapeTimeout();
  }

  public boolean fullMetrics() {
    return web.fullMetrics();
  }

  public String externalAddress() {
    return web.externalAddress();
  }
}
