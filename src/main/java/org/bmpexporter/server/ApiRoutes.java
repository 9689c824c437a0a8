package org.bmpexporter.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bmpexporter.codec.Addresses;
import org.bmpexporter.forward.Forwarder;
import org.bmpexporter.metrics.ConnectTargets;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.state.WatchList;

/**
 * The status page's JSON API: {@code GET /api/v1/routers} and {@code GET
 * /api/v1/routers/{router}/peers}. State is read only through {@link
 * RouterRegistry#snapshots(long)}, off the event loops.
 */
final class ApiRoutes {
  static final String JSON = "application/json; charset=utf-8";
  static final String ROUTERS = "/api/v1/routers";
  static final String WATCH = "/api/v1/watch";

  /** How long one API request waits for the routers' event loops (the default scrape timeout). */
  static final long SNAPSHOT_TIMEOUT_MILLIS = 10_000;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final Comparator<Snapshots.Peer> PEER_ORDER =
      Comparator.comparing(Snapshots.Peer::rd)
          .thenComparing(Snapshots.Peer::peerType)
          .thenComparing(p -> p.peer(), ApiRoutes::compareAddresses)
          .thenComparing(Snapshots.Peer::table);

  private ApiRoutes() {}

  /** Mounts the API on {@code router}. */
  static void mount(
      Vertx vertx,
      Router router,
      RouterRegistry registry,
      ConnectTargets connectTargets,
      Function<String, List<Forwarder.LinkStatus>> forwardLinks) {
    mount(
        vertx,
        router,
        () -> registry.snapshots(SNAPSHOT_TIMEOUT_MILLIS),
        label -> registry.snapshot(label, SNAPSHOT_TIMEOUT_MILLIS),
        connectTargets,
        forwardLinks);
    WebRoutes.getOrHead(router, WATCH)
        .handler(
            ctx ->
                vertx
                    .executeBlocking(
                        () -> {
                          // the list first: a snapshot taken after a reload only shows more
                          WatchList list = registry.watches().current();
                          return watch(list, registry.snapshots(SNAPSHOT_TIMEOUT_MILLIS));
                        },
                        false)
                    .onSuccess(body -> json(ctx, 200, body))
                    .onFailure(e -> error(ctx, 500, "snapshot failed: " + e.getMessage())));
  }

  /**
   * The body of {@code GET /api/v1/watch}: each watched prefix as configured, and each table of
   * each router's peers where it or a more-specific was seen.
   */
  static String watch(WatchList list, List<Snapshots.Router> snapshots)
      throws JsonProcessingException {
    ObjectNode root = MAPPER.createObjectNode();
    epoch(root, "now", System.currentTimeMillis() / 1000.0);
    ArrayNode watches = root.putArray("watches");
    Map<String, ObjectNode> byName = new TreeMap<>();
    for (WatchList.Entry e : list.entries()) {
      ObjectNode o = watches.addObject();
      o.put("name", e.name());
      o.put("prefix", e.prefix());
      o.put("rd", e.rd());
      ArrayNode origins = o.putArray("origins");
      e.origins().forEach(origins::add);
      o.put("more_specifics_expected", e.moreSpecifics());
      o.put("present_in", 0);
      o.put("unexpected_origin", false);
      o.putArray("seen");
      byName.put(e.name(), o);
    }
    for (Snapshots.Router r : snapshots) {
      List<Snapshots.Peer> peers = new ArrayList<>(r.peers());
      peers.sort(PEER_ORDER);
      for (Snapshots.Peer p : peers) {
        for (Snapshots.Watched w : p.watched()) {
          ObjectNode o = byName.get(w.watch());
          if (o == null) {
            continue; // renamed or removed by a reload since the list was read
          }
          ObjectNode seen = ((ArrayNode) o.get("seen")).addObject();
          seen.put("router", r.router());
          seen.put("peer", p.peer());
          seen.put("rd", p.rd());
          seen.put("rib", w.rib());
          seen.put("afi_safi", w.afiSafi());
          seen.put("present", w.present());
          ArrayNode origins = seen.putArray("origins");
          w.origins().forEach(origins::add);
          seen.put("more_specifics", w.moreSpecifics());
          ArrayNode moreOrigins = seen.putArray("more_specific_origins");
          w.moreSpecificOrigins().forEach(moreOrigins::add);
          seen.put("unexpected_origin", w.unexpectedOrigin());
          if (w.present()) {
            o.put("present_in", o.get("present_in").asLong() + 1);
          }
          if (w.unexpectedOrigin()) {
            o.put("unexpected_origin", true);
          }
        }
      }
    }
    return MAPPER.writeValueAsString(root);
  }

  /**
   * {@code snapshots} answers the routers list; {@code oneRouter} answers a peers request for one
   * router label without snapshotting the others.
   */
  static void mount(
      Vertx vertx,
      Router router,
      Supplier<List<Snapshots.Router>> snapshots,
      Function<String, Optional<Snapshots.Router>> oneRouter,
      ConnectTargets connectTargets,
      Function<String, List<Forwarder.LinkStatus>> forwardLinks) {
    WebRoutes.getOrHead(router, ROUTERS)
        .handler(
            ctx ->
                vertx
                    .executeBlocking(
                        () -> routers(snapshots.get(), connectTargets.statuses(), forwardLinks),
                        false)
                    .onSuccess(body -> json(ctx, 200, body))
                    .onFailure(e -> error(ctx, 500, "snapshot failed: " + e.getMessage())));
    WebRoutes.getOrHead(router, ROUTERS + "/:router/peers")
        .handler(
            ctx -> {
              // Percent-decoded by Vert.x Web: labels hold ':' (IPv6) and '#' (sent as %23).
              String wanted = ctx.pathParam("router");
              vertx
                  .executeBlocking(
                      () -> {
                        Optional<Snapshots.Router> r = oneRouter.apply(wanted);
                        return r.isPresent() ? peers(r.get()) : null;
                      },
                      false)
                  .onSuccess(
                      body -> {
                        if (body == null) {
                          error(ctx, 404, "unknown router: " + wanted);
                        } else {
                          json(ctx, 200, body);
                        }
                      })
                  .onFailure(e -> error(ctx, 500, "snapshot failed: " + e.getMessage()));
            });
  }

  /** The body of {@code GET /api/v1/routers} without active-mode targets. */
  static String routers(List<Snapshots.Router> snapshots) throws JsonProcessingException {
    return routers(snapshots, List.of());
  }

  /** The body of {@code GET /api/v1/routers} without forwarding. */
  static String routers(List<Snapshots.Router> snapshots, List<ConnectTargets.Status> targets)
      throws JsonProcessingException {
    return routers(snapshots, targets, label -> List.of());
  }

  /**
   * The body of {@code GET /api/v1/routers}; {@code forwardLinks} gives a router's outbound
   * sessions to the {@code bmp.forward} destinations.
   */
  static String routers(
      List<Snapshots.Router> snapshots,
      List<ConnectTargets.Status> targets,
      Function<String, List<Forwarder.LinkStatus>> forwardLinks)
      throws JsonProcessingException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", Version.get());
    epoch(root, "now", System.currentTimeMillis() / 1000.0);
    // Active mode: a target that never connects has no router entry; this is where it shows.
    ArrayNode connect = root.putArray("connect_targets");
    for (ConnectTargets.Status t : targets) {
      ObjectNode o = connect.addObject();
      o.put("target", t.target());
      o.put("up", t.up());
      epoch(o, "up_since", t.upSinceSeconds());
      o.put("attempts", t.attempts());
      o.put("connects", t.connects());
      o.put("last_error", t.lastError());
      epoch(o, "last_error_at", t.lastErrorSeconds());
    }
    ArrayNode list = root.putArray("routers");
    for (Snapshots.Router r : snapshots) {
      ObjectNode o = list.addObject();
      o.put("router", r.router());
      o.put("address", r.address());
      o.put("up", r.up());
      epoch(o, "up_since", r.upSinceSeconds());
      epoch(o, "down_since", r.up() ? 0 : r.downSinceSeconds());
      o.put("sys_name", r.sysName());
      o.put("sys_descr", r.sysDescr());
      counts(o.putObject("messages"), r.messages(), false);
      o.put("received_bytes", r.receivedBytes());
      counts(o.putObject("decode_errors"), r.decodeErrors(), true);
      counts(o.putObject("quirks"), r.quirks(), true);
      counts(o.putObject("terminations"), r.terminations(), true);
      long up = 0;
      long routes = 0;
      // A route the router accepted is in several RIBs (pre-policy, post-policy, Loc-RIB): the
      // sum over RIBs counts it once per RIB, so the per-RIB totals are what a reader compares.
      Map<String, Long> byRib = new TreeMap<>();
      for (Snapshots.Peer p : r.peers()) {
        up += p.up() ? 1 : 0;
        for (Snapshots.Table t : p.tables()) {
          routes += t.routes();
          byRib.merge(t.rib(), t.routes(), Long::sum);
        }
      }
      // Relayed to other collectors (bmp.forward): each destination's state for this session.
      ArrayNode forward = o.putArray("forward");
      if (r.up()) {
        for (Forwarder.LinkStatus l : forwardLinks.apply(r.router())) {
          forward
              .addObject()
              .put("destination", l.destination())
              .put("connected", l.connected())
              .put("dropped_messages", l.droppedMessages());
        }
      }
      o.put("peers_total", r.peers().size());
      o.put("peers_up", up);
      o.put("routes_total", routes);
      ObjectNode ribs = o.putObject("routes_by_rib");
      byRib.forEach(ribs::put);
    }
    return MAPPER.writeValueAsString(root);
  }

  /** The body of {@code GET /api/v1/routers/{router}/peers}. */
  static String peers(Snapshots.Router r) throws JsonProcessingException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("router", r.router());
    epoch(root, "now", System.currentTimeMillis() / 1000.0);
    ArrayNode list = root.putArray("peers");
    List<Snapshots.Peer> sorted = new ArrayList<>(r.peers());
    sorted.sort(PEER_ORDER);
    for (Snapshots.Peer p : sorted) {
      ObjectNode o = list.addObject();
      o.put("peer", p.peer());
      o.put("rd", p.rd());
      o.put("peer_type", p.peerType());
      o.put("peer_as", p.peerAs());
      o.put("peer_bgp_id", p.peerBgpId());
      o.put("table", p.table());
      o.put("up", p.up());
      epoch(o, "up_timestamp", p.upTimestampSeconds());
      epoch(o, "last_down_timestamp", p.lastDownTimestampSeconds());
      o.put("last_down_reason", p.lastDownReason());
      o.put("last_down_notification", p.lastDownNotification());
      o.put("ups", p.ups());
      ArrayNode downs = o.putArray("downs");
      List<Snapshots.Downs> ds = new ArrayList<>(p.downs());
      ds.sort(
          Comparator.comparing(Snapshots.Downs::reason)
              .thenComparing(Snapshots.Downs::notification));
      for (Snapshots.Downs d : ds) {
        downs
            .addObject()
            .put("reason", d.reason())
            .put("notification", d.notification())
            .put("count", d.count());
      }
      ArrayNode routes = o.putArray("routes");
      List<Snapshots.Table> ts = new ArrayList<>(p.tables());
      // RIBs in the snapshot's order (pre, post, out, loc), families by name within a RIB
      List<String> ribOrder = new ArrayList<>();
      for (Snapshots.Table t : ts) {
        if (!ribOrder.contains(t.rib())) {
          ribOrder.add(t.rib());
        }
      }
      ts.sort(
          Comparator.<Snapshots.Table>comparingInt(t -> ribOrder.indexOf(t.rib()))
              .thenComparing(Snapshots.Table::afiSafi));
      for (Snapshots.Table t : ts) {
        routes
            .addObject()
            .put("rib", t.rib())
            .put("afi_safi", t.afiSafi())
            .put("routes", t.routes())
            .put("announcements", t.announcements())
            .put("withdrawals", t.withdrawals())
            .put("end_of_rib", t.endOfRib());
      }
      ArrayNode stats = o.putArray("statistics");
      List<Snapshots.StatCounter> counters = new ArrayList<>(p.statCounters());
      counters.sort(Comparator.comparing(Snapshots.StatCounter::statType));
      for (Snapshots.StatCounter c : counters) {
        stats
            .addObject()
            .put("stat_type", c.statType())
            .put("kind", "counter")
            .put("value", c.value());
      }
      List<Snapshots.StatGauge> gauges = new ArrayList<>(p.statGauges());
      gauges.sort(
          Comparator.comparing(Snapshots.StatGauge::statType)
              .thenComparing(Snapshots.StatGauge::afiSafi));
      for (Snapshots.StatGauge g : gauges) {
        stats
            .addObject()
            .put("stat_type", g.statType())
            .put("kind", "gauge")
            .put("afi_safi", g.afiSafi())
            .put("value", g.value());
      }
      epoch(o, "statistics_timestamp", p.statReportTimestampSeconds());
      counts(o.putObject("mirroring"), p.mirroring(), false);
    }
    return MAPPER.writeValueAsString(root);
  }

  /** Epoch seconds with milliseconds, written plain (1795320030.052, not 1.795320030052E9). */
  private static void epoch(ObjectNode o, String field, double seconds) {
    if (seconds > 0) {
      o.put(field, BigDecimal.valueOf(Math.round(seconds * 1000), 3));
    } else {
      o.putNull(field);
    }
  }

  private static void counts(ObjectNode o, Map<String, Long> m, boolean nonZeroOnly) {
    for (Map.Entry<String, Long> e : m.entrySet()) {
      if (!nonZeroOnly || e.getValue() != 0) {
        o.put(e.getKey(), e.getValue());
      }
    }
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Content-Type-Options", "nosniff");
    WebRoutes.end(ctx, JSON, body);
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, errorBody(status, message));
  }

  /** The JSON body of an error answer: {@code {"error": ..., "status": ...}}. */
  static String errorBody(int status, String message) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("error", message);
    o.put("status", status);
    return o.toString();
  }

  /** IPv4 before IPv6, then numerically; anything else after, by text. */
  static int compareAddresses(String a, String b) {
    byte[] x = Addresses.parseLiteral(a);
    byte[] y = Addresses.parseLiteral(b);
    if (x == null || y == null) {
      return x != null ? -1 : y != null ? 1 : a.compareTo(b);
    }
    if (x.length != y.length) {
      return Integer.compare(x.length, y.length);
    }
    return java.util.Arrays.compareUnsigned(x, y);
  }
}
