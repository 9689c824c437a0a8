package org.bmpexporter.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared topology, all on loopback, every daemon on its own free ports:
 *
 * <pre>
 *   GoBGP injector AS65002 (127.0.0.2, ::1) --eBGP--> FRR bgpd AS65001 (127.0.0.1, ::1)
 *     known RouteSet, MRT-injected                      peers 127.0.0.2 (v4+v6) and ::1 (v6)
 *                                                       --BMP connect--> exporter 127.0.0.1:P1
 *                                                                        (router="127.0.0.1")
 *                                         --eBGP--> GoBGP router AS65003 (127.0.0.3)
 *                                                       peer 127.0.0.2 (v4+v6)
 *                                                       --BMP (all + stats)--> exporter [::1]:P2
 *                                                                        (router="::1")
 *                                         --eBGP--> FRR "frr-active" AS65004 (127.0.0.4), only
 *                                                   started by the active-mode scenario; BMP
 *                                                   listener 127.0.0.4:P3, a second exporter connects
 *   Prometheus (127.0.0.1:P4) scrapes the exporter's /metrics every second.
 *   The exporter forwards every BMP session (bmp.forward) to a ForwardSink (127.0.0.1:P5).
 * </pre>
 *
 * The two routers reach the exporter over different address families because the exporter labels a
 * session with its source address, and every IPv4 loopback connection has source 127.0.0.1 (neither
 * FRR 8.4's {@code bmp connect} nor GoBGP can pick one).
 *
 * <p>The BMP collector is the real exporter, {@code target/bmp-exporter.jar} ({@link
 * ExporterProcess}): the suite is black-box against the jar. Prometheus loads the project's {@code
 * prometheus/alerts.yml} and {@code prometheus/recording.yml} and evaluates them every second. Work
 * dirs: {@code target/interop/<run>/<daemon>}; logs: {@code
 * target/interop-logs/<run>/<daemon>.log}.
 */
public final class InteropLab implements AutoCloseable {
  /**
   * The known route set: {@code -Dinterop.v4} IPv4 /24s and {@code -Dinterop.v6} IPv6 /48s, every
   * 5th denied.
   */
  public static final RouteSet ROUTES =
      new RouteSet(
          Integer.getInteger("interop.v4", 2000),
          Integer.getInteger("interop.v6", 500),
          5,
          GobgpInjector.AS,
          "192.0.2.2",
          "2001:db8:ffff::2");

  /** The injector's prefix-limit on routes FRR sends it (remote max-prefix scenario). */
  public static final int REMOTE_MAX_PREFIX = 10;

  /**
   * The exporter's watch list (config {@code watch:}) has one entry per thing the Watched prefixes
   * dashboard and alerts show ({@link #WATCH_EXPECTED}, {@link #WATCH_UNEXPECTED}, {@link
   * #WATCH_MORE_SPECIFICS}), on routes of the known set (their index in {@link RouteSet}; routes 1
   * and 2 pass every policy, route 5 is denied).
   */
  static final int WATCH_EXPECTED_ROUTE = 1;

  static final int WATCH_UNEXPECTED_ROUTE = 2;

  /** The first of the four routes (/24s) the {@link #WATCH_MORE_SPECIFICS} /22 covers. */
  static final int WATCH_MORE_SPECIFICS_FIRST_ROUTE = 4;

  /** Route 1's prefix with its own origin AS as the expected one: present, no alert. */
  public static final String WATCH_EXPECTED = "lab-expected-origin";

  /**
   * Route 2's prefix expected from AS 64500 (RFC 5398 documentation AS, origin of none of the lab's
   * routes): BmpWatchedPrefixUnexpectedOrigin for every table holding it.
   */
  public static final String WATCH_UNEXPECTED = "lab-unexpected-origin";

  /** Expected origin of {@link #WATCH_UNEXPECTED}. */
  public static final long WATCH_UNEXPECTED_EXPECTED_AS = 64500;

  /**
   * The /22 of routes 4-7, announced by nobody, with {@code more_specifics: false} and any origin:
   * BmpWatchedPrefixMoreSpecific for every table holding one of the four /24s.
   */
  public static final String WATCH_MORE_SPECIFICS = "lab-more-specifics";

  /** Router label of FRR's BMP session (its source address). */
  public static final String FRR_ROUTER = "127.0.0.1";

  /** Router label of GoBGP's BMP session. */
  public static final String GOBGP_ROUTER = "::1";

  /** Router label of frr-active's session (the address the exporter connects to). */
  public static final String FRR_ACTIVE_ROUTER = "127.0.0.4";

  public static final Duration CONVERGE = Duration.ofSeconds(90);

  public final String run;
  public final Path work;
  public final RouteSet routes = ROUTES;
  public final GobgpInjector injector;
  public final FrrRouter frr;
  public final GobgpRouter gobgp;
  public final FrrRouter frrActive;
  public final PrometheusServer prometheus;
  public final ExporterProcess.Endpoint frrBmp;
  public final ExporterProcess.Endpoint gobgpBmp;
  public final ExporterProcess.Endpoint frrActiveBmp;
  public final ExporterProcess exporter;

  /**
   * The exporter's forwarding destination ({@code bmp.forward}): reads everything, so the
   * forwarding metrics of the exporter health dashboard have data and nothing is dropped.
   */
  public final ForwardSink forwardSink = new ForwardSink();

  private final List<AutoCloseable> extra = new ArrayList<>();

  private InteropLab(String name) {
    this.run =
        name
            + "-"
            + LocalDateTime.now(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    this.work = Path.of("target", "interop", run).toAbsolutePath();
    if (work.resolve("frr-active/bgpd.vty").toString().length() > 100) {
      throw new IllegalStateException(
          "work dir path too long for FRR's vty socket (108 bytes max): " + work);
    }
    injector = new GobgpInjector(work.resolve("injector"), routes);
    frr = new FrrRouter("frr", work.resolve("frr"), "127.0.0.1", 65001, true, injector);
    gobgp = new GobgpRouter(work.resolve("gobgp"), injector);
    frrActive =
        new FrrRouter(
            "frr-active", work.resolve("frr-active"), "127.0.0.4", 65004, false, injector);
    frr.injectorNeighbors(REMOTE_MAX_PREFIX).forEach(injector::neighbor);
    injector.neighbor(gobgp.injectorNeighbor());
    frrActive.injectorNeighbors(0).forEach(injector::neighbor);
    frrBmp = new ExporterProcess.Endpoint(FRR_ROUTER, Ports.free(FRR_ROUTER));
    gobgpBmp = new ExporterProcess.Endpoint(GOBGP_ROUTER, Ports.free(GOBGP_ROUTER));
    frrActiveBmp = new ExporterProcess.Endpoint(FRR_ACTIVE_ROUTER, Ports.free(FRR_ACTIVE_ROUTER));
    frrActive.withBmpListener(FRR_ACTIVE_ROUTER, frrActiveBmp.port()).withNeighborsShutdown();
    exporter =
        new ExporterProcess(
            "exporter",
            work.resolve("exporter"),
            new ExporterProcess.Config(
                List.of(frrBmp, gobgpBmp),
                new ExporterProcess.Endpoint("127.0.0.1", Ports.free()),
                List.of()));
    prometheus =
        new PrometheusServer(work.resolve("prometheus"))
            .job("bmp-exporter", exporter.webTarget())
            .ruleFiles(PrometheusServer.PROJECT_RULE_FILES);
  }

  /**
   * Checks the prerequisites (skip or fail, see {@link Tools}) and the jar, starts the exporter,
   * the injector (routes injected and verified), FRR, the GoBGP router and Prometheus, waits until
   * both routers hold the expected tables, then points their BMP at the exporter (so both send an
   * initial table dump with End-of-RIB). On failure everything started is stopped.
   */
  public static InteropLab start(String name) {
    Tools.requireRouterTools();
    ExporterProcess.requireJar();
    InteropLab lab = new InteropLab(name);
    try {
      lab.startAll();
    } catch (RuntimeException | AssertionError e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  private void startAll() {
    long t0 = System.nanoTime();
    Path config = work.resolve("exporter.yml");
    try {
      Files.createDirectories(work);
      Files.writeString(
          config,
          "bmp:\n  forward: [\"" + forwardSink.destination() + "\"]\n" + watchConfig(routes));
    } catch (IOException e) {
      throw new UncheckedIOException(config.toString(), e);
    }
    exporter.args(List.of("--config", config.toString()));
    exporter.start();
    injector.start();
    injector.inject();
    frr.start();
    gobgp.start();
    prometheus.start();
    awaitFrrConverged();
    awaitGobgpConverged();
    frr.addBmpTarget(frrBmp.host(), frrBmp.port());
    gobgp.bmpAdd(gobgpBmp.host(), gobgpBmp.port());
    log("lab up in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms: " + work);
  }

  /** The {@code watch:} list of the lab's exporter (see {@link #WATCH_EXPECTED}). */
  static String watchConfig(RouteSet routes) {
    if (routes.v4() < WATCH_MORE_SPECIFICS_FIRST_ROUTE + 4) {
      throw new IllegalArgumentException("the watch list needs at least 8 IPv4 routes");
    }
    return String.join(
        "\n",
        "watch:",
        "  - name: \"" + WATCH_EXPECTED + "\"",
        "    prefix: \"" + RouteSet.v4Text(WATCH_EXPECTED_ROUTE) + "\"",
        "    origins: [" + RouteSet.originAs(WATCH_EXPECTED_ROUTE) + "]",
        "    more_specifics: false",
        "  - name: \"" + WATCH_UNEXPECTED + "\"",
        "    prefix: \"" + RouteSet.v4Text(WATCH_UNEXPECTED_ROUTE) + "\"",
        "    origins: [" + WATCH_UNEXPECTED_EXPECTED_AS + "]",
        "  - name: \"" + WATCH_MORE_SPECIFICS + "\"",
        "    prefix: \""
            + RouteSet.v4Text(WATCH_MORE_SPECIFICS_FIRST_ROUTE).replace("/24", "/22")
            + "\"",
        "    more_specifics: false",
        "");
  }

  /** A further exporter, not started yet (stopped with the lab). */
  public ExporterProcess newExporter(String name, ExporterProcess.Config config) {
    ExporterProcess e = new ExporterProcess(name, work.resolve(name), config);
    extra.add(e);
    return e;
  }

  /** FRR holds the policy-accepted routes from both injector sessions. */
  public void awaitFrrConverged() {
    awaitFrr(routes.acceptedV4(), routes.acceptedV6());
  }

  /** FRR holds exactly v4/v6 accepted routes from 127.0.0.2 and v6 from ::1. */
  public void awaitFrr(int v4, int v6) {
    Await.untilEquals(
        () ->
            List.of(
                frr.pfxRcd("ipv4", GobgpInjector.ADDRESS),
                frr.pfxRcd("ipv6", GobgpInjector.ADDRESS),
                frr.pfxRcd("ipv6", "::1")),
        List.of(v4, v6, v6),
        CONVERGE,
        "FRR accepted prefixes [v4 from 127.0.0.2, v6 from 127.0.0.2, v6 from ::1]");
  }

  public void awaitGobgpConverged() {
    awaitGobgp(routes.acceptedV4(), routes.acceptedV6());
  }

  /** The GoBGP router's session to the injector is up and its RIB holds v4/v6 destinations. */
  public void awaitGobgp(int v4, int v6) {
    Await.untilEquals(
        () ->
            List.of(
                gobgp.established(GobgpInjector.ADDRESS),
                gobgp.ribDestinations("ipv4"),
                gobgp.ribDestinations("ipv6")),
        List.of(true, v4, v6),
        CONVERGE,
        "GoBGP router [established, loc-rib v4, loc-rib v6]");
  }

  static void log(String s) {
    System.out.println(
        "[interop " + java.time.LocalTime.now(ZoneId.systemDefault()).withNano(0) + "] " + s);
  }

  @Override
  public void close() {
    for (AutoCloseable c : extra) {
      try {
        c.close();
      } catch (Exception e) {
        log("closing " + c + ": " + e);
      }
    }
    prometheus.close();
    frrActive.close();
    frr.close();
    gobgp.close();
    injector.close();
    exporter.close();
    forwardSink.close();
  }
}
