package org.bmpexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.bmpexporter.bgp.AfiSafi;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.bgp.RouteKeys;
import org.bmpexporter.capture.CaptureReader;
import org.bmpexporter.capture.TcpFlow;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.wire.RouteMonitoringView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per Route Monitoring message, the NLRI we decode equal those of NetGauze, an independent decoder,
 * for the same capture: the multiset of per-message (peer, announced, withdrawn) lists must be
 * identical. Prefix families compare prefix text (with the RD for VPN); EVPN compares counts.
 */
class NetGauzeOracleTest {

  static Stream<Path> oracles() throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(CorpusInspectTest.CORPUS)) {
      s.filter(p -> p.toString().endsWith(".netgauze-bmp.json")).sorted().forEach(out::add);
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oracles")
  void routeMonitoringNlriMatchNetGauze(Path oracle) throws Exception {
    String name = oracle.getFileName().toString().replace(".netgauze-bmp.json", "");
    Path capture =
        Files.exists(oracle.resolveSibling(name + ".pcap"))
            ? oracle.resolveSibling(name + ".pcap")
            : oracle.resolveSibling(name + ".pcapng");
    List<String> theirs = new ArrayList<>();
    int theirRmErrors = 0;
    for (String line : Files.readAllLines(oracle)) {
      JsonNode d = new ObjectMapper().readTree(line);
      if (d.has("BmpMessageParsingError")) {
        // NetGauze could not parse it; for Route Monitoring we then have one message more
        theirRmErrors += line.contains("RouteMonitoringMessageError") ? 1 : 0;
        continue;
      }
      // BMP version 3, or version 4 (draft-ietf-grow-bmp-tlv): the UPDATE in its BGP PDU TLV
      JsonNode rm = (d.has("V3") ? d.get("V3") : d.get("V4")).get("RouteMonitoring");
      if (rm != null) {
        theirs.add(signature(rm));
      }
    }
    List<String> ours = new ArrayList<>();
    for (TcpFlow flow : CaptureReader.readFlows(capture)) {
      if (InspectCommand.looksLikeBmp(flow.payload())) {
        ours.addAll(ourSignatures(flow.payload()));
      }
    }
    assertThat(theirs).isNotEmpty();
    Collections.sort(theirs);
    Collections.sort(ours);
    if (theirRmErrors == 0) {
      assertThat(ours).containsExactlyElementsOf(theirs);
    } else {
      // FRR 8.0.1 sends two UPDATEs whose AS_PATH has 2-octet ASNs although the A flag says
      // 4-octet; NetGauze rejects them, we decode them (AS_PATH width fallback). All the rest
      // must be identical.
      List<String> extra = new ArrayList<>(ours);
      List<String> missing = new ArrayList<>();
      for (String t : theirs) {
        if (!extra.remove(t)) {
          missing.add(t);
        }
      }
      assertThat(missing).as("NetGauze's messages we decoded differently").isEmpty();
      assertThat(extra).hasSize(theirRmErrors);
    }
  }

  /** One line per RM: peer address, then sorted "+key" and "-key" items. */
  private static List<String> ourSignatures(byte[] stream) {
    List<String> out = new ArrayList<>();
    RouterState router = new RouterState("r", "r", Runnable::run);
    BmpSession session = new BmpSession(router, 1 << 20, () -> 0.0);
    // the session's own walk of each UPDATE, with the ADD-PATH facts of the peer's Peer Up
    session.listener(
        new BmpSession.MessageListener() {
          private final List<String> items = new ArrayList<>();
          private String peer;

          @Override
          public void routeMonitoring(RouteMonitoringView rm) {
            peer = rm.peer().addressText();
            items.clear();
          }

          @Override
          public void route(
              int family, boolean announce, long pathId, byte[] key, int off, int keyLen) {
            String k =
                AfiSafi.kind(family) == AfiSafi.Kind.EVPN
                    ? "evpn"
                    : RouteKeys.text(family, key, off, keyLen);
            items.add(
                (announce ? "+" : "-") + k + (pathId == NlriSink.NO_PATH_ID ? "" : "#" + pathId));
          }

          @Override
          public void routeMonitoringEnd() {
            Collections.sort(items);
            out.add(peer + " " + items);
          }
        });
    session.open();
    try {
      session.feed(stream, 0, stream.length);
    } catch (RuntimeException e) {
      // framing errors are checked by CorpusInspectTest
    }
    return out;
  }

  private static String signature(JsonNode rm) {
    JsonNode address = rm.get("peer_header").get("address");
    // NetGauze writes an all-zero peer address (Loc-RIB, FRR's instance peers) as null
    String peer = address == null || address.isNull() ? "0.0.0.0" : address.asText();
    List<String> items = new ArrayList<>();
    JsonNode update =
        rm.has("update_message")
            ? rm.get("update_message").get("Update")
            : rm.get("update_pdu").get("value").get("BgpUpdate").get("Update");
    if (update != null) {
      for (JsonNode n : update.get("withdrawn_routes")) {
        items.add("-" + nlri(n));
      }
      for (JsonNode n : update.get("nlri")) {
        items.add("+" + nlri(n));
      }
      for (JsonNode a : update.get("path_attributes")) {
        JsonNode v = a.get("value");
        for (String kind : List.of("MpReach", "MpUnreach")) {
          JsonNode mp = v.get(kind);
          if (mp == null) {
            continue;
          }
          String family = mp.fieldNames().next();
          for (JsonNode n : mp.get(family).get("nlri")) {
            String sign = kind.equals("MpReach") ? "+" : "-";
            items.add(sign + (family.equals("L2Evpn") ? "evpn" : nlri(n)));
          }
        }
      }
    }
    Collections.sort(items);
    return peer + " " + items;
  }

  private static String nlri(JsonNode n) {
    String prefix = n.has("network") ? n.get("network").asText() : n.get("prefix").asText();
    String rd = n.has("rd") ? rd(n.get("rd")) + " " : "";
    JsonNode pathId = n.get("path_id");
    return rd + prefix + (pathId == null || pathId.isNull() ? "" : "#" + pathId.asLong());
  }

  private static String rd(JsonNode rd) {
    String type = rd.fieldNames().next();
    JsonNode v = rd.get(type);
    switch (type) {
      case "As2Administrator":
        return v.get("asn2").asLong() + ":" + v.get("number").asLong();
      case "Ipv4Administrator":
        return v.get("ip").asText() + ":" + v.get("number").asLong();
      case "As4Administrator":
        return v.get("asn4").asLong() + ":" + v.get("number").asLong();
      default:
        return rd.toString();
    }
  }
}
