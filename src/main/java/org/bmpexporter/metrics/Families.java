package org.bmpexporter.metrics;

import static org.bmpexporter.metrics.MetricFamily.Type.COUNTER;
import static org.bmpexporter.metrics.MetricFamily.Type.GAUGE;
import static org.bmpexporter.metrics.MetricFamily.Type.INFO;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The metrics contract: every {@code bmp_} family the exporter exposes, each declared once, by
 * concern. The README's metrics table and docs/metrics.txt are tested against {@link #ALL}.
 */
public final class Families {
  private Families() {}

  // Router: one series set per BMP session source.
  public static final MetricFamily ROUTER_UP =
      new MetricFamily(
          "bmp_router_up", GAUGE, "1 while a BMP session from the router is open", "router");
  public static final MetricFamily ROUTER_INFO =
      new MetricFamily(
          "bmp_router_info",
          INFO,
          "Router identity from the BMP Initiation message, where its BMP comes from (tcp,"
              + " kafka), and the BMP version of its last message (1-4; empty before any)",
          "router",
          "sys_name",
          "sys_descr",
          "source",
          "bmp_version");
  public static final MetricFamily ROUTER_STATE_COMPLETE =
      new MetricFamily(
          "bmp_router_state_complete",
          GAUGE,
          "1 once the router's state is known from its session start (always for TCP; from Kafka"
              + " once an Initiation, or a Peer Up of every peer, was read)",
          "router");
  public static final MetricFamily ROUTER_UP_TIMESTAMP =
      new MetricFamily(
          "bmp_router_up_timestamp_seconds",
          GAUGE,
          "When the router's current BMP session opened",
          "router");
  public static final MetricFamily ROUTER_MESSAGES =
      new MetricFamily(
          "bmp_router_messages_total", COUNTER, "BMP messages received, by type", "router", "type");
  public static final MetricFamily ROUTER_RECEIVED_BYTES =
      new MetricFamily("bmp_router_received_bytes_total", COUNTER, "BMP bytes received", "router");
  public static final MetricFamily ROUTER_DECODE_ERRORS =
      new MetricFamily(
          "bmp_router_decode_errors_total",
          COUNTER,
          "BMP messages or parts that could not be decoded, by error",
          "router",
          "error");
  public static final MetricFamily ROUTE_POLICY_TRACE_EVENTS =
      new MetricFamily(
          "bmp_route_policy_trace_events_total",
          COUNTER,
          "Huawei route policy trace events (BMP message type 100) by AFI/SAFI and policy class",
          "router",
          "afi_safi",
          "policy_class");
  public static final MetricFamily ROUTER_QUIRKS =
      new MetricFamily(
          "bmp_router_quirks_total",
          COUNTER,
          "Known vendor deviations decoded anyway, by quirk; never counted as decode errors",
          "router",
          "quirk");
  public static final MetricFamily ROUTER_TERMINATIONS =
      new MetricFamily(
          "bmp_router_terminations_total",
          COUNTER,
          "BMP Termination messages, by reason",
          "router",
          "reason");
  public static final MetricFamily ROUTER_LIMIT_REACHED =
      new MetricFamily(
          "bmp_router_limit_reached",
          GAUGE,
          "1 while a configured limit stops the router's state from growing",
          "router",
          "limit");
  public static final MetricFamily ROUTER_DROPPED =
      new MetricFamily(
          "bmp_router_dropped_total",
          COUNTER,
          "What a reached limit kept out: peer messages, routes, End-of-RIB markers, statistics,"
              + " sessions",
          "router",
          "limit");

  // Peer: one series set per monitored peer (router, peer address, distinguisher).
  public static final MetricFamily PEER_UP =
      new MetricFamily(
          "bmp_peer_up", GAUGE, "1 after Peer Up, 0 after Peer Down", "router", "peer", "rd");
  public static final MetricFamily PEER_INFO =
      new MetricFamily(
          "bmp_peer_info",
          INFO,
          "Monitored peer identity from the Peer Up message",
          "router",
          "peer",
          "rd",
          "peer_as",
          "peer_bgp_id",
          "peer_type",
          "table");
  public static final MetricFamily PEER_UP_TIMESTAMP =
      new MetricFamily(
          "bmp_peer_up_timestamp_seconds",
          GAUGE,
          "Last Peer Up of the peer",
          "router",
          "peer",
          "rd");
  public static final MetricFamily PEER_LAST_DOWN_TIMESTAMP =
      new MetricFamily(
          "bmp_peer_last_down_timestamp_seconds",
          GAUGE,
          "Last Peer Down of the peer",
          "router",
          "peer",
          "rd");
  public static final MetricFamily PEER_UPS =
      new MetricFamily(
          "bmp_peer_ups_total", COUNTER, "Peer Up notifications", "router", "peer", "rd");
  public static final MetricFamily PEER_DOWNS =
      new MetricFamily(
          "bmp_peer_downs_total",
          COUNTER,
          "Peer Down notifications, by decoded reason and BGP NOTIFICATION",
          "router",
          "peer",
          "rd",
          "reason",
          "notification");
  public static final MetricFamily ROUTE_MIRRORING =
      new MetricFamily(
          "bmp_route_mirroring_total",
          COUNTER,
          "Route Mirroring items, by kind",
          "router",
          "peer",
          "rd",
          "kind");

  // Tables: one series set per peer, RIB and AFI/SAFI.
  public static final MetricFamily ROUTES =
      new MetricFamily(
          "bmp_routes",
          GAUGE,
          "Routes present now, counted exactly from Route Monitoring (ADD-PATH paths separately)",
          "router",
          "peer",
          "rd",
          "rib",
          "afi_safi");
  public static final MetricFamily ROUTE_ANNOUNCEMENTS =
      new MetricFamily(
          "bmp_route_announcements_total",
          COUNTER,
          "Prefixes announced",
          "router",
          "peer",
          "rd",
          "rib",
          "afi_safi");
  public static final MetricFamily ROUTE_WITHDRAWALS =
      new MetricFamily(
          "bmp_route_withdrawals_total",
          COUNTER,
          "Prefixes withdrawn",
          "router",
          "peer",
          "rd",
          "rib",
          "afi_safi");
  public static final MetricFamily END_OF_RIB =
      new MetricFamily(
          "bmp_end_of_rib",
          GAUGE,
          "1 once End-of-RIB was seen for the table since the peer came up",
          "router",
          "peer",
          "rd",
          "rib",
          "afi_safi");

  public static final MetricFamily ROUTE_PATH_STATUS =
      new MetricFamily(
          "bmp_route_path_status_total",
          COUNTER,
          "NLRI marked with each path status by BMP version 4 path marking TLVs",
          "router",
          "peer",
          "rd",
          "rib",
          "afi_safi",
          "status");

  // Statistics: the router's own counters and gauges from Statistics Reports.
  public static final MetricFamily PEER_STAT =
      new MetricFamily(
          "bmp_peer_stat_total",
          COUNTER,
          "The router's own 32-bit statistics counters, last value reported",
          "router",
          "peer",
          "rd",
          "stat_type");
  public static final MetricFamily PEER_STAT_VALUE =
      new MetricFamily(
          "bmp_peer_stat_value",
          GAUGE,
          "The router's own 64-bit statistics gauges, last value reported",
          "router",
          "peer",
          "rd",
          "stat_type",
          "afi_safi");
  public static final MetricFamily PEER_STAT_REPORT_TIMESTAMP =
      new MetricFamily(
          "bmp_peer_stat_report_timestamp_seconds",
          GAUGE,
          "Last Statistics Report for the peer",
          "router",
          "peer",
          "rd");

  // Watched prefixes (watch:): one series set per watched prefix and peer table it was seen in.
  public static final MetricFamily WATCH_PREFIX_PRESENT =
      new MetricFamily(
          "bmp_watch_prefix_present",
          GAUGE,
          "1 while the watched prefix is in the table (any family, any path), 0 once it left",
          "watch",
          "router",
          "peer",
          "rd",
          "rib");
  public static final MetricFamily WATCH_PREFIX_ORIGIN =
      new MetricFamily(
          "bmp_watch_prefix_origin_info",
          INFO,
          "1 per origin AS of the watched prefix in the table now (none: the path ends in an"
              + " AS_SET)",
          "watch",
          "router",
          "peer",
          "rd",
          "rib",
          "origin_as");
  public static final MetricFamily WATCH_MORE_SPECIFICS =
      new MetricFamily(
          "bmp_watch_more_specifics",
          GAUGE,
          "More-specific prefixes of the watched prefix in the table now",
          "watch",
          "router",
          "peer",
          "rd",
          "rib");
  public static final MetricFamily WATCH_UNEXPECTED_ORIGIN =
      new MetricFamily(
          "bmp_watch_unexpected_origin",
          GAUGE,
          "1 while the watched prefix or a more-specific of it is in the table with an origin AS"
              + " not in the entry's origins",
          "watch",
          "router",
          "peer",
          "rd",
          "rib");

  // Exporter: the process itself, one series set per exporter.
  public static final MetricFamily EXPORTER_BUILD_INFO =
      new MetricFamily("bmp_exporter_build_info", INFO, "Exporter build; value 1", "version");
  public static final MetricFamily SESSIONS =
      new MetricFamily("bmp_sessions", GAUGE, "BMP sessions open now");
  public static final MetricFamily SESSIONS_ACCEPTED =
      new MetricFamily("bmp_sessions_accepted_total", COUNTER, "BMP sessions accepted");
  public static final MetricFamily SESSIONS_REJECTED =
      new MetricFamily(
          "bmp_sessions_rejected_total",
          COUNTER,
          "BMP sessions refused (access list, limits)",
          "reason");

  public static final MetricFamily CONNECT_TARGET_UP =
      new MetricFamily(
          "bmp_connect_target_up",
          GAUGE,
          "Active mode: 1 while the connection to the configured target is open",
          "target");

  // Scrapes: the cost of building /metrics pages.
  public static final MetricFamily SCRAPE_DURATION =
      new MetricFamily(
          "bmp_exporter_scrape_duration_seconds",
          GAUGE,
          "Time the last scrape of the target took to build (all: the full page; router: one"
              + " router's page)",
          "target");
  public static final MetricFamily SCRAPE_SERIES =
      new MetricFamily(
          "bmp_exporter_scrape_series",
          GAUGE,
          "Series on the last page served for the target (all: the full page; router: one"
              + " router's page)",
          "target");
  public static final MetricFamily SCRAPE_CACHED_PAGES =
      new MetricFamily(
          "bmp_exporter_scrape_cached_pages_total",
          COUNTER,
          "Router pages served from the kept page because the router's state had not changed"
              + " since it was built");
  public static final MetricFamily SNAPSHOT_TIMEOUTS =
      new MetricFamily(
          "bmp_exporter_snapshot_timeouts_total",
          COUNTER,
          "Routers left out of a scrape because their state snapshot missed the deadline");

  // Kafka ingest (kafka.consume).
  public static final MetricFamily KAFKA_RECORDS =
      new MetricFamily(
          "bmp_exporter_kafka_records_total",
          COUNTER,
          "Kafka records read, by outcome (bmp: a BMP message fed to its router; heartbeat; or"
              + " why the record was skipped)",
          "result");
  public static final MetricFamily KAFKA_PARTITIONS =
      new MetricFamily(
          "bmp_exporter_kafka_partitions", GAUGE, "Kafka partitions this exporter reads");
  public static final MetricFamily KAFKA_LAG =
      new MetricFamily(
          "bmp_exporter_kafka_lag_records",
          GAUGE,
          "Records retained in the partitions read and not read yet, as of the last poll");

  // HTTP: the web config file (--web.config.file).
  public static final MetricFamily WEB_CONFIG_RELOADS =
      new MetricFamily(
          "bmp_exporter_web_config_reloads_total",
          COUNTER,
          "Changes of the web config file seen, applied (success) or refused (failure)",
          "result");

  // The configuration file's reloadable part (the watch list).
  public static final MetricFamily CONFIG_RELOADS =
      new MetricFamily(
          "bmp_exporter_config_reloads_total",
          COUNTER,
          "Changes of the configuration file's watch list seen, applied (success) or refused"
              + " (failure: the previous list stays)",
          "result");
  public static final MetricFamily WATCHED_PREFIXES =
      new MetricFamily(
          "bmp_exporter_watched_prefixes", GAUGE, "Entries of the watch list in force");
  public static final MetricFamily WATCH_INFO =
      new MetricFamily(
          "bmp_exporter_watch_info",
          INFO,
          "Entries of the watch list in force, as configured (more_specifics: whether"
              + " more-specifics are expected)",
          "watch",
          "prefix",
          "rd",
          "more_specifics");

  // Forwarding: BMP messages handed on to other collectors (bmp.forward), per destination.
  public static final MetricFamily FORWARD_DROPPED_MESSAGES =
      new MetricFamily(
          "bmp_forward_dropped_messages_total",
          COUNTER,
          "BMP messages not forwarded to the destination (buffer full, destination down)",
          "destination");
  public static final MetricFamily FORWARD_DROPPED_BYTES =
      new MetricFamily(
          "bmp_exporter_forward_dropped_bytes_total",
          COUNTER,
          "Bytes of the BMP messages not forwarded to the destination",
          "destination");
  public static final MetricFamily FORWARDED_MESSAGES =
      new MetricFamily(
          "bmp_exporter_forwarded_messages_total",
          COUNTER,
          "BMP messages written to the destination's connections, replayed session starts included",
          "destination");
  public static final MetricFamily FORWARDED_BYTES =
      new MetricFamily(
          "bmp_exporter_forwarded_bytes_total",
          COUNTER,
          "Bytes written to the destination's connections",
          "destination");
  public static final MetricFamily FORWARD_SESSIONS =
      new MetricFamily(
          "bmp_exporter_forward_sessions",
          GAUGE,
          "Outbound BMP sessions open to the destination now (one per router session)",
          "destination");
  public static final MetricFamily FORWARD_CONNECT_FAILURES =
      new MetricFamily(
          "bmp_exporter_forward_connect_failures_total",
          COUNTER,
          "Connection attempts to the destination that failed",
          "destination");
  public static final MetricFamily FORWARD_REPLAYED_STARTS =
      new MetricFamily(
          "bmp_exporter_forward_replayed_starts_total",
          COUNTER,
          "Outbound sessions that began with a replayed session start (the router's Initiation and"
              + " the Peer Up of each peer up) because messages had been dropped",
          "destination");
  public static final MetricFamily FORWARD_BUFFERED_BYTES =
      new MetricFamily(
          "bmp_exporter_forward_buffered_bytes",
          GAUGE,
          "Bytes waiting in the forwarding buffers for the destination now",
          "destination");

  public static final List<MetricFamily> ROUTER =
      List.of(
          ROUTER_UP,
          ROUTER_INFO,
          ROUTER_STATE_COMPLETE,
          ROUTER_UP_TIMESTAMP,
          ROUTER_MESSAGES,
          ROUTER_RECEIVED_BYTES,
          ROUTER_DECODE_ERRORS,
          ROUTER_QUIRKS,
          ROUTE_POLICY_TRACE_EVENTS,
          ROUTER_TERMINATIONS,
          ROUTER_LIMIT_REACHED,
          ROUTER_DROPPED);
  public static final List<MetricFamily> PEER =
      List.of(
          PEER_UP,
          PEER_INFO,
          PEER_UP_TIMESTAMP,
          PEER_LAST_DOWN_TIMESTAMP,
          PEER_UPS,
          PEER_DOWNS,
          ROUTE_MIRRORING);
  public static final List<MetricFamily> TABLE =
      List.of(ROUTES, ROUTE_ANNOUNCEMENTS, ROUTE_WITHDRAWALS, END_OF_RIB, ROUTE_PATH_STATUS);
  public static final List<MetricFamily> STATISTICS =
      List.of(PEER_STAT, PEER_STAT_VALUE, PEER_STAT_REPORT_TIMESTAMP);
  public static final List<MetricFamily> EXPORTER =
      List.of(
          EXPORTER_BUILD_INFO, SESSIONS, SESSIONS_ACCEPTED, SESSIONS_REJECTED, CONNECT_TARGET_UP);
  public static final List<MetricFamily> SCRAPE =
      List.of(SCRAPE_DURATION, SCRAPE_SERIES, SCRAPE_CACHED_PAGES, SNAPSHOT_TIMEOUTS);

  public static final List<MetricFamily> WEB = List.of(WEB_CONFIG_RELOADS);

  public static final List<MetricFamily> CONFIG =
      List.of(CONFIG_RELOADS, WATCHED_PREFIXES, WATCH_INFO);

  public static final List<MetricFamily> WATCH =
      List.of(
          WATCH_PREFIX_PRESENT, WATCH_PREFIX_ORIGIN, WATCH_MORE_SPECIFICS, WATCH_UNEXPECTED_ORIGIN);

  public static final List<MetricFamily> KAFKA =
      List.of(KAFKA_RECORDS, KAFKA_PARTITIONS, KAFKA_LAG);

  public static final List<MetricFamily> FORWARD =
      List.of(
          FORWARD_DROPPED_MESSAGES,
          FORWARD_DROPPED_BYTES,
          FORWARDED_MESSAGES,
          FORWARDED_BYTES,
          FORWARD_SESSIONS,
          FORWARD_CONNECT_FAILURES,
          FORWARD_REPLAYED_STARTS,
          FORWARD_BUFFERED_BYTES);

  /** The families built from router state at scrape time (everything but the exporter's). */
  public static final List<MetricFamily> ROUTER_STATE =
      concat(ROUTER, PEER, TABLE, STATISTICS, WATCH);

  /** Every family the exporter exposes, besides the JVM and process metrics. */
  public static final List<MetricFamily> ALL =
      concat(EXPORTER, SCRAPE, WEB, CONFIG, KAFKA, FORWARD, ROUTER_STATE);

  @SafeVarargs
  private static List<MetricFamily> concat(List<MetricFamily>... lists) {
    List<MetricFamily> all = new ArrayList<>();
    for (List<MetricFamily> list : lists) {
      all.addAll(list);
    }
    return Collections.unmodifiableList(all);
  }
}
