package org.bmpexporter.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON report: what every session sent (messages per type, bytes, prefixes announced and
 * withdrawn) and the routes each (router, peer, rd, rib, afi_safi) table holds at the end — the
 * label set of {@code bmp_routes} — so a run can check that a collector counted exactly that.
 */
final class ReportWriter {
  private ReportWriter() {}

  static Map<String, Object> build(
      String phase,
      Map<String, Object> run,
      List<Session> sessions,
      long startNanos,
      long startEpochMillis) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("tool", "bmp-exporter loadgen");
    root.put("phase", phase);
    root.put("run", run);
    long[] msgs = new long[8];
    long bytes = 0;
    long announced = 0;
    long withdrawn = 0;
    long present = 0;
    long dumpPrefixes = 0;
    long firstByte = Long.MAX_VALUE;
    long firstByteEpoch = Long.MAX_VALUE;
    long lastByte = 0;
    long dumpDone = 0;
    int errors = 0;
    Map<String, Map<String, Long>> presentByRib = new TreeMap<>();
    List<Map<String, Object>> routes = new ArrayList<>();
    List<Map<String, Object>> sess = new ArrayList<>();
    for (Session s : sessions) {
      Session.Result r = s.result;
      if (r == null) {
        r = new Session.Result(0, 0, 0, 0, new long[8], List.of());
      }
      Map<String, Object> so = new LinkedHashMap<>();
      so.put("router", s.router);
      so.put("source_address", s.sourceAddress);
      if (s.output != null) {
        so.put("output", s.output);
      }
      so.put("bytes", r.bytes());
      so.put("messages", typeMap(r.messages()));
      if (s instanceof GeneratedSession g) {
        so.put("churn_events", g.churnEvents);
        so.put("churn_events_planned", g.churnPlanned);
        so.put("flaps", g.flapsDone);
        so.put("statistics_reports", g.statsReports);
      }
      if (r.firstByteNanos() != 0) {
        so.put("first_byte_epoch_ms", r.firstByteEpochMillis());
        so.put("dump_seconds", seconds(s.dumpDoneNanos - r.firstByteNanos()));
        so.put("elapsed_seconds", seconds(r.lastByteNanos() - r.firstByteNanos()));
        firstByte = Math.min(firstByte, r.firstByteNanos());
        firstByteEpoch = Math.min(firstByteEpoch, r.firstByteEpochMillis());
        lastByte = Math.max(lastByte, r.lastByteNanos());
        dumpDone = Math.max(dumpDone, s.dumpDoneNanos);
      }
      if (s.error != null) {
        so.put("error", s.error);
        errors++;
      }
      List<Map<String, Object>> peers = new ArrayList<>();
      long sessionPresent = 0;
      for (PeerReport p : r.peers()) {
        Map<String, Object> po = new LinkedHashMap<>();
        po.put("peer", p.peer);
        po.put("rd", p.rd);
        po.put("peer_type", p.peerType);
        po.put("peer_as", p.peerAs);
        po.put("peer_bgp_id", p.bgpId);
        po.put("ups", p.ups);
        po.put("downs", p.downs);
        Map<String, Object> ribs = new TreeMap<>();
        for (var re : p.ribs.entrySet()) {
          Map<String, Object> afis = new TreeMap<>();
          for (var ae : re.getValue().entrySet()) {
            PeerReport.Table t = ae.getValue();
            Map<String, Object> to = new LinkedHashMap<>();
            to.put("announced", t.announced);
            to.put("withdrawn", t.withdrawn);
            to.put("present", t.present);
            to.put("end_of_rib", t.endOfRib);
            afis.put(ae.getKey(), to);
            announced += t.announced;
            withdrawn += t.withdrawn;
            present += t.present;
            sessionPresent += t.present;
            presentByRib
                .computeIfAbsent(re.getKey(), k -> new TreeMap<>())
                .merge(ae.getKey(), t.present, Long::sum);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("router", s.router);
            row.put("peer", p.peer);
            row.put("rd", p.rd);
            row.put("rib", re.getKey());
            row.put("afi_safi", ae.getKey());
            row.put("announced", t.announced);
            row.put("withdrawn", t.withdrawn);
            row.put("present", t.present);
            row.put("end_of_rib", t.endOfRib);
            routes.add(row);
          }
          ribs.put(re.getKey(), afis);
        }
        po.put("ribs", ribs);
        if (!p.lastStats.isEmpty()) {
          po.put("last_statistics", p.lastStats);
        }
        peers.add(po);
      }
      so.put("routes_present", sessionPresent);
      so.put("peers", peers);
      sess.add(so);
      for (int i = 0; i < 8; i++) {
        msgs[i] += r.messages()[i];
      }
      bytes += r.bytes();
      dumpPrefixes += s.dumpPrefixes;
    }
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("sessions", sessions.size());
    totals.put("sessions_with_errors", errors);
    totals.put("bytes", bytes);
    long totalMsgs = 0;
    for (long m : msgs) {
      totalMsgs += m;
    }
    totals.put("messages_total", totalMsgs);
    totals.put("messages", typeMap(msgs));
    totals.put("prefixes_announced", announced);
    totals.put("prefixes_withdrawn", withdrawn);
    totals.put("routes_present", present);
    totals.put("routes_present_by_rib", presentByRib);
    root.put("totals", totals);
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("started_at_epoch_ms", startEpochMillis);
    if (firstByte != Long.MAX_VALUE) {
      double dumpSecs = seconds(dumpDone - firstByte);
      double elapsed = seconds(lastByte - firstByte);
      t.put("first_byte_epoch_ms", firstByteEpoch);
      t.put("prepare_seconds", seconds(firstByte - startNanos));
      t.put("dump_seconds", dumpSecs);
      t.put("dump_prefixes", dumpPrefixes);
      t.put("dump_prefixes_per_second", rate(dumpPrefixes, dumpSecs));
      t.put("elapsed_seconds", elapsed);
      t.put("bytes_per_second", rate(bytes, elapsed));
      t.put("messages_per_second", rate(totalMsgs, elapsed));
      t.put("prefixes_per_second", rate(announced + withdrawn, elapsed));
    }
    root.put("timing", t);
    root.put("routes", routes);
    root.put("sessions", sess);
    return root;
  }

  private static Map<String, Long> typeMap(long[] m) {
    Map<String, Long> o = new LinkedHashMap<>();
    for (int i = 0; i < 8; i++) {
      o.put(Labels.MESSAGE_TYPE.get(i), m[i]);
    }
    return o;
  }

  private static double seconds(long nanos) {
    return Math.max(0, nanos) / 1e9;
  }

  private static double rate(long n, double secs) {
    return secs > 0 ? Math.round(n / secs * 10) / 10.0 : 0;
  }

  /** Writes atomically (temporary file, then rename), so a poller never reads half a report. */
  static void write(Path file, Map<String, Object> report) throws IOException {
    ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, ".loadgen-report", ".tmp");
    try {
      om.writeValue(tmp.toFile(), report);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
