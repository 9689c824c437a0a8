package org.bmpexporter.interop;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reference model of the metrics contract (../shared/METRICS.md) for the subset the scenarios
 * assert, fed by {@link BmpWire} messages. It only backs the {@link StandinCollector} (so the
 * suite's topology, events and expectations can be exercised before the real exporter exists);
 * it is deliberately simple and slow (prefix strings in hash sets).
 */
final class BmpModel {
  private final Map<String, Router> routers = new TreeMap<>();
  private int sessions;

  private static final class Router {
    long session;
    boolean up;
    String sysName = "";
    long bytes;
    final Map<String, Long> messages = new TreeMap<>();
    final Map<String, Long> terminations = new TreeMap<>();
    final Map<String, Peer> peers = new TreeMap<>();
  }

  private static final class Peer {
    boolean up;
    long ups;
    final Map<String, Long> downs = new TreeMap<>(); // reason \0 notification
    final Map<String, Set<String>> routes = new TreeMap<>(); // rib \0 afi_safi
    final Set<String> eor = new HashSet<>();
    final Map<String, Long> statTotal = new TreeMap<>();
    final Map<String, Long> statValue = new TreeMap<>(); // stat_type \0 afi_safi
    final Map<String, Long> mirroring = new TreeMap<>();
  }

  synchronized void opened(String router, long session) {
    Router r = routers.computeIfAbsent(router, k -> new Router());
    r.session = session;
    r.up = true;
    r.peers.clear();
    sessions++;
  }

  synchronized void closed(String router, long session) {
    sessions--;
    Router r = routers.get(router);
    if (r != null && r.session == session) {
      r.up = false;
      r.peers.clear();
    }
  }

  synchronized void bytes(String router, long session, int n) {
    Router r = routers.get(router);
    if (r != null && r.session == session) {
      r.bytes += n;
    }
  }

  synchronized void message(String router, long session, BmpWire.Message m) {
    Router r = routers.get(router);
    if (r == null || r.session != session) {
      return;
    }
    r.messages.merge(m.typeName(), 1L, Long::sum);
    switch (m.type()) {
      case BmpWire.INITIATION -> r.sysName = BmpWire.infoTlvs(m).getOrDefault(2, "");
      case BmpWire.TERMINATION -> {
        String reason = BmpWire.infoTlvs(m).get(1);
        r.terminations.merge(reason == null ? "unspecified" : terminationReason(Integer.parseInt(reason)), 1L, Long::sum);
      }
      default -> perPeer(r, m);
    }
  }

  private static void perPeer(Router r, BmpWire.Message m) {
    if (!m.hasPeerHeader()) {
      return;
    }
    BmpWire.PeerHeader h = BmpWire.peerHeader(m);
    Peer p = r.peers.computeIfAbsent(h.address() + "\0" + h.rd(), k -> new Peer());
    switch (m.type()) {
      case BmpWire.PEER_UP -> {
        p.up = true;
        p.ups++;
        p.eor.clear();
      }
      case BmpWire.PEER_DOWN -> {
        BmpWire.PeerDown d = BmpWire.peerDown(m);
        p.up = false;
        p.downs.merge(peerDownReason(d.reason()) + "\0" + notification(d.code(), d.subcode()), 1L, Long::sum);
        p.routes.values().forEach(Set::clear);
        p.eor.clear();
      }
      case BmpWire.ROUTE_MONITORING -> {
        BmpWire.Update u = BmpWire.update(m);
        String rib = h.rib();
        for (BmpWire.Nlri n : u.withdrawn()) {
          p.routes.computeIfAbsent(rib + "\0" + n.afiSafi(), k -> new HashSet<>()).remove(n.prefix());
        }
        for (BmpWire.Nlri n : u.announced()) {
          p.routes.computeIfAbsent(rib + "\0" + n.afiSafi(), k -> new HashSet<>()).add(n.prefix());
        }
        if (u.endOfRib() != null) {
          p.routes.computeIfAbsent(rib + "\0" + u.endOfRib(), k -> new HashSet<>());
          p.eor.add(rib + "\0" + u.endOfRib());
        }
      }
      case BmpWire.STATISTICS_REPORT -> {
        for (BmpWire.Stat s : BmpWire.stats(m)) {
          if (s.length() == 4) {
            p.statTotal.put(statType(s.type()), s.value());
          } else if (s.afiSafi() != null) {
            p.statValue.put(statType(s.type()) + "\0" + s.afiSafi(), s.value());
          }
        }
      }
      case BmpWire.ROUTE_MIRRORING -> BmpWire.mirroringKinds(m).forEach(k -> p.mirroring.merge(k, 1L, Long::sum));
      default -> { }
    }
  }

  /** Prometheus text exposition of the model. */
  synchronized String render() {
    StringBuilder o = new StringBuilder();
    o.append("# TYPE bmp_sessions gauge\nbmp_sessions ").append(sessions).append('\n');
    for (Map.Entry<String, Router> re : routers.entrySet()) {
      String router = re.getKey();
      Router r = re.getValue();
      line(o, "bmp_router_up", r.up ? 1 : 0, "router", router);
      line(o, "bmp_router_info", 1, "router", router, "sys_name", r.sysName, "sys_descr", "");
      line(o, "bmp_router_received_bytes_total", r.bytes, "router", router);
      r.messages.forEach((t, v) -> line(o, "bmp_router_messages_total", v, "router", router, "type", t));
      r.terminations.forEach((t, v) -> line(o, "bmp_router_terminations_total", v, "router", router, "reason", t));
      for (Map.Entry<String, Peer> pe : r.peers.entrySet()) {
        String[] k = pe.getKey().split("\0", -1);
        Peer p = pe.getValue();
        String[] id = {"router", router, "peer", k[0], "rd", k[1]};
        line(o, "bmp_peer_up", p.up ? 1 : 0, id);
        line(o, "bmp_peer_ups_total", p.ups, id);
        p.downs.forEach((rn, v) -> {
          String[] x = rn.split("\0", -1);
          line(o, "bmp_peer_downs_total", v, with(id, "reason", x[0], "notification", x[1]));
        });
        p.routes.forEach((ra, set) -> {
          String[] x = ra.split("\0", -1);
          line(o, "bmp_routes", set.size(), with(id, "rib", x[0], "afi_safi", x[1]));
          line(o, "bmp_end_of_rib", p.eor.contains(ra) ? 1 : 0, with(id, "rib", x[0], "afi_safi", x[1]));
        });
        p.statTotal.forEach((t, v) -> line(o, "bmp_peer_stat_total", v, with(id, "stat_type", t)));
        p.statValue.forEach((ta, v) -> {
          String[] x = ta.split("\0", -1);
          line(o, "bmp_peer_stat_value", v, with(id, "stat_type", x[0], "afi_safi", x[1]));
        });
        p.mirroring.forEach((kind, v) -> line(o, "bmp_route_mirroring_total", v, with(id, "kind", kind)));
      }
    }
    return o.toString();
  }

  private static String[] with(String[] a, String... more) {
    String[] r = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, r, a.length, more.length);
    return r;
  }

  private static void line(StringBuilder o, String name, double v, String... kv) {
    o.append(name).append('{');
    for (int i = 0; i < kv.length; i += 2) {
      o.append(i == 0 ? "" : ",").append(kv[i]).append("=\"")
          .append(kv[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
    }
    o.append("} ").append(v).append('\n');
  }

  static String peerDownReason(int r) {
    return switch (r) {
      case 1 -> "local_notification";
      case 2 -> "local_no_notification";
      case 3 -> "remote_notification";
      case 4 -> "remote_no_notification";
      case 5 -> "peer_deconfigured";
      case 6 -> "local_system_closed";
      default -> "unknown";
    };
  }

  static String terminationReason(int r) {
    return switch (r) {
      case 0 -> "administratively_closed";
      case 1 -> "unspecified";
      case 2 -> "out_of_resources";
      case 3 -> "redundant_connection";
      case 4 -> "permanently_administratively_closed";
      default -> "unspecified";
    };
  }

  private static final Map<Integer, String> CODES = new LinkedHashMap<>();
  private static final Map<Integer, String> CEASE = new LinkedHashMap<>();

  static {
    CODES.put(1, "message_header_error");
    CODES.put(2, "open_message_error");
    CODES.put(3, "update_message_error");
    CODES.put(4, "hold_timer_expired");
    CODES.put(5, "finite_state_machine_error");
    CODES.put(6, "cease");
    CODES.put(7, "route_refresh_message_error");
    String[] cease = {
      "maximum_number_of_prefixes_reached", "administrative_shutdown", "peer_de_configured", "administrative_reset",
      "connection_rejected", "other_configuration_change", "connection_collision_resolution", "out_of_resources",
      "hard_reset", "bfd_down"
    };
    for (int i = 0; i < cease.length; i++) {
      CEASE.put(i + 1, cease[i]);
    }
  }

  /** {@code cease/maximum_number_of_prefixes_reached}; "" without a NOTIFICATION (code -1). */
  static String notification(int code, int subcode) {
    if (code < 0) {
      return "";
    }
    String c = CODES.getOrDefault(code, "code_" + code);
    if (subcode == 0) {
      return c;
    }
    String s = code == 6 ? CEASE.get(subcode) : null;
    return c + "/" + (s != null ? s : "subcode_" + subcode);
  }

  static String statType(int t) {
    return switch (t) {
      case 0 -> "rejected_prefixes";
      case 1 -> "duplicate_prefix_advertisements";
      case 2 -> "duplicate_withdraws";
      case 3 -> "invalid_cluster_list_loop";
      case 4 -> "invalid_as_path_loop";
      case 5 -> "invalid_originator_id";
      case 6 -> "invalid_as_confed_loop";
      case 7, 9 -> "adj_rib_in_routes";
      case 8, 10 -> "loc_rib_routes";
      case 11 -> "updates_treated_as_withdraw";
      case 12 -> "prefixes_treated_as_withdraw";
      case 13 -> "duplicate_update_messages";
      case 14, 16 -> "adj_rib_out_pre_policy_routes";
      case 15, 17 -> "adj_rib_out_post_policy_routes";
      default -> "type_" + t;
    };
  }
}
