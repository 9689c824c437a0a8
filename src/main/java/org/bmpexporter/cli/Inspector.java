package org.bmpexporter.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.bgp.RouteKeys;
import org.bmpexporter.codec.BmpLimits;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.wire.BmpMessage;
import org.bmpexporter.wire.MessageType;
import org.bmpexporter.wire.RouteMonitoringView;

/**
 * Runs the exporter's own session code over one captured BMP stream and reports what it saw:
 * messages per type, errors, peers and routes at the end of the stream.
 */
public final class Inspector {

  /** The result for one stream (one TCP flow). */
  public record FlowReport(
      String name,
      String router,
      long bytes,
      Map<String, Long> messages,
      Map<String, Long> errors,
      String framingError,
      Snapshots.Router state) {

    public long routes() {
      long n = 0;
      for (Snapshots.Peer p : state.peers()) {
        for (Snapshots.Table t : p.tables()) {
          n += t.routes();
        }
      }
      return n;
    }
  }

  private Inspector() {}

  /**
   * @param messageLog when not null, one line per message is written to it
   * @param prefixes with messageLog, also list every prefix of each Route Monitoring message
   */
  public static FlowReport inspect(
      String name, String router, byte[] stream, PrintStream messageLog, boolean prefixes) {
    RouterState state = new RouterState(router, router, Runnable::run);
    BmpSession session = new BmpSession(state, BmpLimits.DEFAULT_MAX_MESSAGE_LENGTH, () -> 0.0);
    if (messageLog != null) {
      session.listener(new MessagePrinter(messageLog, prefixes));
    }
    session.open();
    String framingError = null;
    try {
      session.feed(stream, 0, stream.length);
    } catch (BmpProtocolException e) {
      framingError = e.getMessage();
    }
    Snapshots.Router atEnd = state.snapshot(); // routes as the stream left them
    session.close("end of capture");
    Snapshots.Router closed = state.snapshot(); // adds a truncated tail, if any
    Map<String, Long> messages = new LinkedHashMap<>();
    closed
        .messages()
        .forEach(
            (k, v) -> {
              if (v > 0) {
                messages.put(k, v);
              }
            });
    return new FlowReport(
        name,
        router,
        stream.length,
        messages,
        new TreeMap<>(closed.decodeErrors()),
        framingError,
        atEnd);
  }

  /**
   * One line per message, for troubleshooting a router's stream. Route Monitoring lines come from
   * the session's own walk of the UPDATE (the routes it applies, with the ADD-PATH facts of the
   * peer's Peer Up), so what is printed is what was counted.
   */
  private static final class MessagePrinter implements BmpSession.MessageListener {
    private final PrintStream out;
    private final boolean prefixes;
    private final List<String> routeLines = new ArrayList<>();
    private final StringBuilder line = new StringBuilder();
    private int announced;
    private int withdrawn;
    private long index;

    MessagePrinter(PrintStream out, boolean prefixes) {
      this.out = out;
      this.prefixes = prefixes;
    }

    private StringBuilder begin(MessageType type, int length) {
      index++;
      line.setLength(0);
      line.append(String.format("%6d %-17s %5dB ", index, type.label(), length));
      return line;
    }

    @Override
    public void routeMonitoring(RouteMonitoringView rm) {
      begin(MessageType.ROUTE_MONITORING, rm.messageLength())
          .append(peer(rm.peer()))
          .append(' ')
          .append(rm.rib().label());
      announced = 0;
      withdrawn = 0;
      routeLines.clear();
    }

    @Override
    public void route(int family, boolean announce, long pathId, byte[] key, int off, int len) {
      if (announce) {
        announced++;
      } else {
        withdrawn++;
      }
      if (prefixes) {
        routeLines.add(
            "         "
                + (announce ? "+ " : "- ")
                + AfiSafi.label(family)
                + " "
                + RouteKeys.text(family, key, off, len)
                + (pathId == NO_PATH_ID ? "" : " path-id " + pathId));
      }
    }

    @Override
    public void endOfRib(int family) {
      routeLines.add("         end-of-rib " + AfiSafi.label(family));
    }

    @Override
    public void routeMonitoringEnd() {
      line.append(" +").append(announced).append(" -").append(withdrawn);
      out.println(line);
      routeLines.forEach(out::println);
    }

    @Override
    public void message(BmpMessage m, int length) {
      StringBuilder sb = begin(m.type(), length);
      switch (m.type()) {
        case PEER_UP:
          {
            BmpMessage.PeerUp up = (BmpMessage.PeerUp) m;
            sb.append(peer(up.peer()))
                .append(" AS")
                .append(up.peer().peerAs())
                .append(" local ")
                .append(up.localAddress())
                .append(':')
                .append(up.localPort())
                .append(" families ")
                .append(families(up))
                .append(up.tableName().isEmpty() ? "" : " table " + up.tableName());
            break;
          }
        case PEER_DOWN:
          {
            BmpMessage.PeerDown d = (BmpMessage.PeerDown) m;
            sb.append(peer(d.peer())).append(' ').append(d.reasonLabel());
            if (d.notification() != null) {
              sb.append(' ').append(d.notification().describe());
            }
            if (d.fsmEvent() >= 0) {
              sb.append(" fsm_event ").append(d.fsmEvent());
            }
            break;
          }
        case STATISTICS_REPORT:
          {
            BmpMessage.StatisticsReport s = (BmpMessage.StatisticsReport) m;
            sb.append(peer(s.peer()));
            for (BmpMessage.StatEntry e : s.stats()) {
              sb.append(' ').append(e.statType());
              if (e.family() != AfiSafi.ALL) {
                sb.append('[').append(AfiSafi.label(e.family())).append(']');
              }
              sb.append('=').append(e.value());
            }
            break;
          }
        case INITIATION:
          {
            BmpMessage.Initiation i = (BmpMessage.Initiation) m;
            sb.append("sysName \"")
                .append(i.sysName())
                .append("\" sysDescr \"")
                .append(i.sysDescr())
                .append('"');
            break;
          }
        case TERMINATION:
          sb.append(((BmpMessage.Termination) m).reasonLabel());
          break;
        case ROUTE_MIRRORING:
          {
            BmpMessage.RouteMirroring rm = (BmpMessage.RouteMirroring) m;
            sb.append(peer(rm.peer()))
                .append(" bgp_messages ")
                .append(rm.bgpMessages())
                .append(" errored_pdus ")
                .append(rm.erroredPdus())
                .append(" messages_lost ")
                .append(rm.messagesLost());
            break;
          }
        default:
          if (m instanceof BmpMessage.RoutePolicyTrace t) {
            trace(sb, t);
          } else {
            sb.append("type ").append(((BmpMessage.UnknownMessage) m).code()).append(" skipped");
          }
      }
      out.println(sb);
    }

    /** Huawei's route policy trace: the route, then each event's family, class and policies. */
    private static void trace(StringBuilder sb, BmpMessage.RoutePolicyTrace t) {
      sb.append("route_policy_trace ").append(t.prefix());
      for (BmpMessage.TraceEvent e : t.events()) {
        sb.append(" [")
            .append(AfiSafi.label(e.family()))
            .append(' ')
            .append(e.policyClassCode().label());
        if (!e.policies().isEmpty()) {
          sb.append(' ').append(String.join(",", e.policies()));
        }
        if (!e.table().isEmpty()) {
          sb.append(" table ").append(e.table());
        }
        sb.append(']');
      }
    }

    private static String families(BmpMessage.PeerUp up) {
      if (up.sentOpen() == null || up.receivedOpen() == null) {
        return "-"; // a version 2 Peer Up carries no OPENs
      }
      List<String> names = new ArrayList<>();
      for (int f : up.receivedOpen().families()) {
        String n = AfiSafi.label(f);
        if (up.sentOpen().canReceiveAddPath(f) && up.receivedOpen().canSendAddPath(f)) {
          n += "(add-path)";
        }
        names.add(n);
      }
      return String.join(",", names);
    }

    private static String peer(org.bmpexporter.wire.PerPeerHeader h) {
      String rd = h.distinguisherText();
      return h.peerTypeLabel() + ":" + h.addressText() + (rd.isEmpty() ? "" : "[" + rd + "]");
    }
  }
}
