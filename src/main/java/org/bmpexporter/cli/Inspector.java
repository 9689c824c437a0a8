package org.bmpexporter.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.bgp.RouteKeys;
import org.bmpexporter.bgp.SessionFacts;
import org.bmpexporter.bgp.UpdateDecoder;
import org.bmpexporter.state.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.wire.BmpLimits;
import org.bmpexporter.wire.BmpMessage;
import org.bmpexporter.wire.BmpProtocolException;
import org.bmpexporter.wire.ErrorListener;

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
  public static FlowReport inspect(String name, String router, byte[] stream,
      PrintStream messageLog, boolean prefixes) {
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
    closed.messages().forEach((k, v) -> {
      if (v > 0) {
        messages.put(k, v);
      }
    });
    return new FlowReport(name, router, stream.length, messages,
        new TreeMap<>(closed.decodeErrors()), framingError, atEnd);
  }

  /** One line per message, for troubleshooting a router's stream. */
  private static final class MessagePrinter implements BmpSession.MessageListener {
    private final PrintStream out;
    private final boolean prefixes;
    private final UpdateDecoder decoder = new UpdateDecoder();
    private final Map<String, SessionFacts> facts = new LinkedHashMap<>();
    private long index;

    MessagePrinter(PrintStream out, boolean prefixes) {
      this.out = out;
      this.prefixes = prefixes;
    }

    @Override
    public void message(BmpMessage m, int length) {
      index++;
      StringBuilder sb = new StringBuilder();
      sb.append(String.format("%6d %-17s %5dB ", index, m.type().label(), length));
      switch (m.type()) {
        case ROUTE_MONITORING: {
          BmpMessage.RouteMonitoring rm = (BmpMessage.RouteMonitoring) m;
          String peer = peer(rm.peer());
          sb.append(peer).append(' ').append(rm.peer().rib().label());
          List<String> lines = new ArrayList<>();
          int[] counts = new int[2];
          byte[] u = rm.updateBytes();
          decoder.decode(u, 0, u.length, rm.peer().rib(),
              facts.getOrDefault(peer, SessionFacts.UNKNOWN), rm.peer().legacyAsPath(),
              new NlriSink() {
                @Override
                public void route(int family, boolean announce, long pathId, byte[] key,
                    int off, int len) {
                  counts[announce ? 0 : 1]++;
                  if (prefixes) {
                    lines.add("         " + (announce ? "+ " : "- ") + AfiSafi.label(family) + " "
                        + RouteKeys.text(family, key, off, len)
                        + (pathId == NO_PATH_ID ? "" : " path-id " + pathId));
                  }
                }

                @Override
                public void endOfRib(int family) {
                  lines.add("         end-of-rib " + AfiSafi.label(family));
                }
              }, ErrorListener.IGNORE);
          sb.append(" +").append(counts[0]).append(" -").append(counts[1]);
          out.println(sb);
          lines.forEach(out::println);
          return;
        }
        case PEER_UP: {
          BmpMessage.PeerUp up = (BmpMessage.PeerUp) m;
          facts.put(peer(up.peer()), new SessionFacts(up.sentOpen(), up.receivedOpen()));
          sb.append(peer(up.peer())).append(" AS").append(up.peer().peerAs())
              .append(" local ").append(up.localAddress()).append(':').append(up.localPort())
              .append(" families ").append(families(up))
              .append(up.tableName().isEmpty() ? "" : " table " + up.tableName());
          break;
        }
        case PEER_DOWN: {
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
        case STATISTICS_REPORT: {
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
        case INITIATION: {
          BmpMessage.Initiation i = (BmpMessage.Initiation) m;
          sb.append("sysName \"").append(i.sysName()).append("\" sysDescr \"")
              .append(i.sysDescr()).append('"');
          break;
        }
        case TERMINATION:
          sb.append(((BmpMessage.Termination) m).reasonLabel());
          break;
        case ROUTE_MIRRORING: {
          BmpMessage.RouteMirroring rm = (BmpMessage.RouteMirroring) m;
          sb.append(peer(rm.peer())).append(" bgp_messages ").append(rm.bgpMessages())
              .append(" errored_pdus ").append(rm.erroredPdus()).append(" messages_lost ")
              .append(rm.messagesLost());
          break;
        }
        default:
          sb.append("type ").append(((BmpMessage.UnknownMessage) m).code()).append(" skipped");
      }
      out.println(sb);
    }

    private static String families(BmpMessage.PeerUp up) {
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
