package org.bmpexporter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.bmpexporter.capture.CaptureReader;
import org.bmpexporter.capture.TcpFlow;
import org.bmpexporter.state.Snapshots;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code inspect}: decodes pcap, pcapng or raw BMP files with the exporter's own code. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Decode BMP captures and summarise each TCP flow.",
      "Reads pcap, pcapng or raw BMP stream files and prints, per flow: the router, messages",
      "per type, peers and their state, routes per peer / RIB / AFI-SAFI, the routers'",
      "statistics, decode errors and known vendor quirks decoded anyway.",
      "Exit codes: 0 no errors, 1 some flow had decode errors, 2 usage error or unreadable file."
    })
public final class InspectCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "capture files")
  List<Path> files = new ArrayList<>();

  @Option(names = "--json", description = "One JSON document instead of the text summary")
  boolean json;

  @Option(names = "--messages", description = "Also print one line per message")
  boolean messages;

  @Option(
      names = "--prefixes",
      description = "With --messages: list every announced/withdrawn NLRI")
  boolean prefixes;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Only TCP flows to or from this port (default: every flow that looks like BMP)")
  Integer port;

  @Option(
      names = {"-q", "--quiet"},
      description =
          "No log lines on stderr (Peer Up/Down, session warnings); the summary still"
              + " lists every decode error")
  boolean quiet;

  PrintStream out = System.out;
  PrintStream err = System.err;

  /** Exit code for a usage error or an input that cannot be read (picocli's usage code). */
  static final int EXIT_UNREADABLE = CommandLine.ExitCode.USAGE;

  /** BMP streams start with a version byte (1-4); anything else is other TCP in the capture. */
  static boolean looksLikeBmp(byte[] payload) {
    return payload.length > 0 && payload[0] >= 1 && payload[0] <= 4;
  }

  @Override
  public Integer call() throws Exception {
    if (quiet) {
      // slf4j-simple computes a logger's level when the logger is created, and the session
      // classes create theirs only now, when the first flow is decoded.
      System.setProperty("org.slf4j.simpleLogger.log.org.bmpexporter", "off");
    }
    Map<Path, List<TcpFlow>> captures = new LinkedHashMap<>();
    for (Path file : files) {
      try {
        captures.put(file, CaptureReader.readFlows(file));
      } catch (NoSuchFileException e) {
        return unreadable(file, "no such file");
      } catch (AccessDeniedException e) {
        return unreadable(file, "permission denied");
      } catch (IOException e) {
        return unreadable(file, e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
    List<Map<String, Object>> flows = new ArrayList<>();
    Map<String, Long> totalMessages = new TreeMap<>();
    Map<String, Long> totalErrors = new TreeMap<>();
    Map<String, Long> totalQuirks = new TreeMap<>();
    long totalRoutes = 0;
    boolean anyErrors = false;
    List<Map<String, Object>> skipped = new ArrayList<>();
    for (Map.Entry<Path, List<TcpFlow>> capture : captures.entrySet()) {
      Path file = capture.getKey();
      for (TcpFlow f : capture.getValue()) {
        String name =
            file
                + " "
                + f.srcAddress()
                + ":"
                + f.srcPort()
                + " -> "
                + f.dstAddress()
                + ":"
                + f.dstPort();
        if (port != null && f.srcPort() != port && f.dstPort() != port) {
          continue;
        }
        if (port == null && !looksLikeBmp(f.payload())) {
          Map<String, Object> s = new LinkedHashMap<>();
          s.put("flow", name);
          s.put("bytes", f.payload().length);
          s.put(
              "reason",
              String.format("not a BMP stream (first byte 0x%02x)", f.payload()[0] & 0xff));
          skipped.add(s);
          if (!json) {
            out.printf("flow %s skipped: %s%n", name, s.get("reason"));
          }
          continue;
        }
        if (messages && !json) {
          out.println("== " + name);
        }
        Inspector.FlowReport r =
            Inspector.inspect(
                name, f.srcAddress(), f.payload(), messages && !json ? out : null, prefixes);
        r.messages().forEach((k, v) -> totalMessages.merge(k, v, Long::sum));
        r.errors().forEach((k, v) -> totalErrors.merge(k, v, Long::sum));
        r.state().quirks().forEach((k, v) -> totalQuirks.merge(k, v, Long::sum));
        totalRoutes += r.routes();
        anyErrors |= !r.errors().isEmpty();
        if (json) {
          flows.add(toJson(file, f, r));
        } else {
          printText(r, f);
        }
      }
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("flows", flows);
      doc.put("skipped_flows", skipped);
      Map<String, Object> totals = new LinkedHashMap<>();
      totals.put("flows", flows.size());
      totals.put("messages", totalMessages);
      totals.put("errors", totalErrors);
      totals.put("quirks", totalQuirks);
      totals.put("routes", totalRoutes);
      doc.put("totals", totals);
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      out.printf(
          "total: %d routes, messages %s, errors %s%s%n",
          totalRoutes,
          totalMessages,
          totalErrors,
          totalQuirks.isEmpty() ? "" : ", quirks " + totalQuirks);
    }
    return anyErrors ? 1 : 0;
  }

  private int unreadable(Path file, String reason) {
    err.printf("bmp-exporter inspect: cannot read %s: %s%n", file, reason);
    return EXIT_UNREADABLE;
  }

  private static Map<String, Object> toJson(Path file, TcpFlow f, Inspector.FlowReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", file.toString());
    m.put("source", f.srcAddress() + ":" + f.srcPort());
    m.put("destination", f.dstAddress() + ":" + f.dstPort());
    m.put("router", r.router());
    m.put("sys_name", r.state().sysName());
    m.put("sys_descr", r.state().sysDescr());
    m.put("bytes", r.bytes());
    m.put("capture_warnings", f.warnings());
    m.put("messages", r.messages());
    m.put("errors", r.errors());
    m.put("quirks", r.state().quirks());
    if (r.framingError() != null) {
      m.put("framing_error", r.framingError());
    }
    List<Map<String, Object>> routes = new ArrayList<>();
    List<Map<String, Object>> peers = new ArrayList<>();
    for (Snapshots.Peer p : r.state().peers()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("peer", p.peer());
      pm.put("rd", p.rd());
      pm.put("peer_type", p.peerType());
      pm.put("peer_as", p.peerAs());
      pm.put("peer_bgp_id", p.peerBgpId());
      pm.put("table", p.table());
      pm.put("up", p.up());
      pm.put("ups", p.ups());
      List<Map<String, Object>> downs = new ArrayList<>();
      for (Snapshots.Downs d : p.downs()) {
        downs.add(
            ordered("reason", d.reason(), "notification", d.notification(), "count", d.count()));
      }
      pm.put("downs", downs);
      List<Map<String, Object>> counters = new ArrayList<>();
      for (Snapshots.StatCounter c : p.statCounters()) {
        counters.add(ordered("stat_type", c.statType(), "value", c.value()));
      }
      pm.put("statistics", counters);
      List<Map<String, Object>> gauges = new ArrayList<>();
      for (Snapshots.StatGauge g : p.statGauges()) {
        gauges.add(ordered("stat_type", g.statType(), "afi_safi", g.afiSafi(), "value", g.value()));
      }
      pm.put("statistics_gauges", gauges);
      pm.put("mirroring", p.mirroring());
      peers.add(pm);
      for (Snapshots.Table t : p.tables()) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("peer", p.peer());
        tm.put("rd", p.rd());
        tm.put("rib", t.rib());
        tm.put("afi_safi", t.afiSafi());
        tm.put("routes", t.routes());
        tm.put("announcements", t.announcements());
        tm.put("withdrawals", t.withdrawals());
        tm.put("end_of_rib", t.endOfRib());
        routes.add(tm);
      }
    }
    m.put("peers", peers);
    m.put("routes", routes);
    return m;
  }

  private void printText(Inspector.FlowReport r, TcpFlow f) {
    out.printf("flow %s%n", r.name());
    out.printf(
        "  router %s sysName \"%s\" sysDescr \"%s\", %d bytes%n",
        r.router(), r.state().sysName(), r.state().sysDescr(), r.bytes());
    out.printf("  messages %s%n", r.messages());
    if (!r.errors().isEmpty()) {
      out.printf("  errors %s%n", r.errors());
    }
    if (!r.state().quirks().isEmpty()) {
      out.printf("  quirks %s%n", r.state().quirks());
    }
    if (r.framingError() != null) {
      out.printf("  framing error: %s%n", r.framingError());
    }
    for (String w : f.warnings()) {
      out.printf("  capture: %s%n", w);
    }
    for (Snapshots.Peer p : r.state().peers()) {
      out.printf(
          "  peer %s%s %s AS%d id %s%s: %s, ups %d, downs %s%n",
          p.peer(),
          p.rd().isEmpty() ? "" : " rd " + p.rd(),
          p.peerType(),
          p.peerAs(),
          p.peerBgpId(),
          p.table().isEmpty() ? "" : " table " + p.table(),
          p.up() ? "up" : "down",
          p.ups(),
          downs(p.downs()));
      for (Snapshots.Table t : p.tables()) {
        out.printf(
            "    %-16s %-22s %8d routes (+%d -%d)%s%n",
            t.rib(),
            t.afiSafi(),
            t.routes(),
            t.announcements(),
            t.withdrawals(),
            t.endOfRib() ? " end-of-rib" : "");
      }
      if (!p.statCounters().isEmpty() || !p.statGauges().isEmpty()) {
        StringBuilder sb = new StringBuilder("    statistics");
        p.statCounters()
            .forEach(c -> sb.append(' ').append(c.statType()).append('=').append(c.value()));
        p.statGauges()
            .forEach(
                g ->
                    sb.append(' ')
                        .append(g.statType())
                        .append('[')
                        .append(g.afiSafi())
                        .append("]=")
                        .append(g.value()));
        out.println(sb);
      }
    }
  }

  /** "none", or e.g. "2 (remote_notification cease/admin_shutdown x2)". */
  static String downs(List<Snapshots.Downs> downs) {
    if (downs.isEmpty()) {
      return "none";
    }
    long total = 0;
    StringBuilder why = new StringBuilder();
    for (Snapshots.Downs d : downs) {
      total += d.count();
      why.append(why.length() == 0 ? "" : ", ").append(d.reason());
      if (!d.notification().isEmpty()) {
        why.append(' ').append(d.notification());
      }
      if (d.count() > 1) {
        why.append(" x").append(d.count());
      }
    }
    return total + " (" + why + ")";
  }

  /** A JSON object with its keys in the order given (key, value, key, value, ...). */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
