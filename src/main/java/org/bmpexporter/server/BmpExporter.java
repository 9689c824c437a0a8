package org.bmpexporter.server;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.forward.Forwarder;
import org.bmpexporter.forward.Forwarding;
import org.bmpexporter.forward.TcpForwarder;
import org.bmpexporter.kafka.KafkaForwarder;
import org.bmpexporter.kafka.KafkaIngest;
import org.bmpexporter.metrics.ConfigCollector;
import org.bmpexporter.metrics.ConnectTargets;
import org.bmpexporter.metrics.ExporterCollector;
import org.bmpexporter.metrics.ForwardCollector;
import org.bmpexporter.metrics.ForwardCounts;
import org.bmpexporter.metrics.KafkaCollector;
import org.bmpexporter.metrics.ScrapeCollector;
import org.bmpexporter.metrics.SessionCounts;
import org.bmpexporter.metrics.WebConfigCollector;
import org.bmpexporter.session.LogLimiter;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.StateLimits;
import org.bmpexporter.state.Watches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running exporter: BMP listeners and active connectors on Vert.x event loops, the router state
 * registry, and the HTTP server with {@code /metrics}, {@code /healthz}, {@code /readyz}.
 */
public final class BmpExporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BmpExporter.class);
  private static final long START_TIMEOUT_SECONDS = 30;

  private final ExporterConfig config;
  private final Vertx vertx;
  private final PrometheusMeterRegistry meters;
  private final RouterRegistry registry;
  private final SessionHandler sessions;
  private final ConnectTargets connectTargets = new ConnectTargets();
  private final RouterInventory inventory;
  private final ScrapeCollector scrapes;
  private final Forwarding forwarding;
  private final WatchReloader watchReloader;
  private final List<NetServer> bmpServers = new ArrayList<>();
  private final List<ActiveConnector> connectors = new ArrayList<>();
  private WebServer http;
  private KafkaIngest kafka;
  private volatile boolean ready;
  private volatile CompletableFuture<Warmup.Result> warmup =
      CompletableFuture.completedFuture(null);

  private BmpExporter(ExporterConfig config, Optional<Path> configFile) {
    this.config = config;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()));
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Watches watches = new Watches(WatchReloader.compile(config));
    this.registry =
        new RouterRegistry(
            config.retention().toMillis() / 1000.0, stateLimits(config.limits()), watches);
    this.watchReloader = new WatchReloader(configFile, watches);
    meters
        .getPrometheusRegistry()
        .register(
            new ConfigCollector(
                watchReloader::successes, watchReloader::failures, watches::current));
    SessionCounts sessionCounts = new SessionCounts();
    this.sessions = new SessionHandler(vertx, config, registry, sessionCounts);
    meters
        .getPrometheusRegistry()
        .register(new ExporterCollector(sessionCounts, connectTargets, Version.get()));
    ForwardCounts forwardCounts = new ForwardCounts();
    this.forwarding = forwarding(config, vertx, forwardCounts);
    sessions.forwardTo(forwarding);
    meters.getPrometheusRegistry().register(new ForwardCollector(forwardCounts));
    new ClassLoaderMetrics().bindTo(meters);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    new CpuMetrics().bindTo(meters);
    new UptimeMetrics().bindTo(meters);
    new FileDescriptorMetrics().bindTo(meters);
    // The routers' series are not in this registry: MetricsEndpoint builds them per request, for
    // every router or one, with the deadline the request allows.
    this.inventory = new RouterInventory(config.routers());
    this.scrapes = new ScrapeCollector(registry::snapshotTimeouts);
    meters.getPrometheusRegistry().register(scrapes);
  }

  /**
   * The configured forwarders: the TCP relay ({@code bmp.forward}) and Kafka ({@code
   * kafka.produce}).
   */
  private static Forwarding forwarding(ExporterConfig config, Vertx vertx, ForwardCounts counts) {
    List<Forwarder> forwarders = new ArrayList<>();
    if (!config.forward().isEmpty()) {
      forwarders.add(
          new TcpForwarder(
              vertx,
              config.forward(),
              counts,
              config.forwardBufferBytes(),
              config.forwardBufferTotalBytes(),
              config.reconnectMin(),
              config.reconnectMax(),
              config.limits().peersPerRouter()));
    }
    if (config.kafka().produce().enabled()) {
      forwarders.add(new KafkaForwarder(config.kafka(), counts));
    }
    return new Forwarding(forwarders);
  }

  static StateLimits stateLimits(ExporterConfig.Limits l) {
    return new StateLimits(
        l.peersPerRouter(),
        l.tablesPerPeer(),
        l.statTypesPerPeer(),
        l.routesPerRouter(),
        l.routesTotal(),
        l.sessionsPerAddress());
  }

  /** Starts everything and waits until every listener is bound. */
  public static BmpExporter start(ExporterConfig config) throws Exception {
    return start(config, Optional.empty());
  }

  /**
   * Starts everything and waits until every listener is bound; the watch list of {@code configFile}
   * (the file {@code config} was read from) is reloaded when the file changes.
   */
  public static BmpExporter start(ExporterConfig config, Optional<Path> configFile)
      throws Exception {
    BmpExporter e = new BmpExporter(config, configFile);
    try {
      e.startServers();
    } catch (Exception ex) {
      e.close();
      throw ex;
    }
    return e;
  }

  private void startServers() throws Exception {
    for (HostPort hp : config.bmpListen()) {
      // Port 0 means any port; -1 lets every event loop's server instance share that one port.
      NetServerOptions options =
          new NetServerOptions()
              .setHost(hp.host())
              .setPort(hp.port() == 0 ? -1 : hp.port())
              // No fixed 1 MiB receive buffer: Vert.x then reads into 1 MiB heap arrays, which G1
              // stores as humongous objects; under many stalled senders they exhausted the heap
              // outside the buffer budget. Netty's adaptive reads stay at most 64 KiB.
              .setTcpNoDelay(true);
      List<ContextInternal> loops = EventLoops.contexts(vertx);
      for (int i = 0; i < loops.size(); i++) {
        NetServer server = vertx.createNetServer(options).connectHandler(sessions::accept);
        NetServer bound = await(EventLoops.listen(server, loops.get(i)), "BMP listener " + hp);
        if (i == 0) {
          bmpServers.add(bound);
          LOG.info("listening for BMP on {}:{}", hp.host(), bound.actualPort());
        }
      }
    }
    // HTTP on a Vert.x of its own (WebServer): BMP ingestion cannot hold up its event loop.
    ServiceDiscovery discovery =
        new ServiceDiscovery(registry, inventory, config.externalAddress());
    http =
        WebServer.start(
            config.web(),
            httpVertx ->
                WebRoutes.create(
                    httpVertx,
                    new MetricsEndpoint(
                        httpVertx,
                        meters.getPrometheusRegistry(),
                        registry,
                        inventory,
                        scrapes,
                        config.scrapeTimeout().toMillis(),
                        config.fullMetrics()),
                    discovery,
                    registry,
                    connectTargets,
                    forwarding::links,
                    this::ready));
    WebSecurity security = http.security();
    meters
        .getPrometheusRegistry()
        .register(new WebConfigCollector(security::reloadSuccesses, security::reloadFailures));
    LOG.info(
        "serving metrics on {}://{}:{}/metrics",
        security.tls().isPresent() ? "https" : "http",
        config.webListen().host(),
        http.port());
    List<ContextInternal> connectorLoops = EventLoops.contexts(vertx);
    for (HostPort target : config.connect()) {
      ActiveConnector c =
          new ActiveConnector(
              vertx,
              connectorLoops.get(connectors.size() % connectorLoops.size()),
              target,
              connectTargets.add(target.toString()),
              config.reconnectMin(),
              config.reconnectMax(),
              sessions);
      connectors.add(c);
      c.start();
    }
    vertx.setPeriodic(
        Duration.ofSeconds(5).toMillis(),
        id -> registry.expire(System.currentTimeMillis() / 1000.0));
    watchReloader.start(vertx);
    // summaries of rate-limited log lines ("N more Peer Down messages from R") are due
    vertx.setPeriodic(Duration.ofSeconds(10).toMillis(), id -> LogLimiter.shared().flush());
    kafka = KafkaIngest.startIfConfigured(config.kafka(), registry, config.maxMessageBytes());
    if (kafka != null) {
      KafkaIngest k = kafka;
      meters
          .getPrometheusRegistry()
          .register(new KafkaCollector(k::results, k::partitions, k::lag));
    }
    if (config.warmup()) {
      warmup = Warmup.startInBackground(vertx, config, meters.getPrometheusRegistry());
    }
    ready = true;
  }

  static <T> T await(io.vertx.core.Future<T> f, String what) throws Exception {
    try {
      return f.toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "cannot start " + what + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** The start-up warm-up: completes when it ended (at once, with null, if it is off). */
  public CompletableFuture<?> warmup() {
    return warmup;
  }

  public boolean ready() {
    return ready;
  }

  /** The bound BMP ports, in configuration order. */
  public List<Integer> bmpPorts() {
    List<Integer> ports = new ArrayList<>();
    for (NetServer s : bmpServers) {
      ports.add(s.actualPort());
    }
    return ports;
  }

  /** The event loop thread of each router's live session, by router label. */
  Map<String, String> sessionEventLoops() {
    return sessions.eventLoops();
  }

  public int webPort() {
    return http.port();
  }

  public RouterRegistry registry() {
    return registry;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() {
    ready = false;
    for (ActiveConnector c : connectors) {
      c.stop();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (http != null) {
      http.close();
    }
    forwarding.close();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Vert.x did not close cleanly: {}", e.toString());
    }
    meters.close();
  }
}
