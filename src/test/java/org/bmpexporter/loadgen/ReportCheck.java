package org.bmpexporter.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.testing.BmpTestParser;

/** Compares a report with the independent parse of the stream files it names. */
final class ReportCheck {
  private ReportCheck() {}

  /** Checks every session of the report against the parse of its output file. */
  static List<BmpTestParser> verify(JsonNode report) throws Exception {
    List<BmpTestParser> parsed = new ArrayList<>();
    for (JsonNode s : report.get("sessions")) {
      byte[] bytes = Files.readAllBytes(Path.of(s.get("output").asText()));
      assertThat((long) bytes.length).isEqualTo(s.get("bytes").asLong());
      BmpTestParser p = BmpTestParser.parse(bytes);
      parsed.add(p);
      for (String t : BmpTestParser.TYPES) {
        assertThat((long) p.count(t)).as(t).isEqualTo(s.get("messages").get(t).asLong());
      }
      int tables = 0;
      for (JsonNode peer : s.get("peers")) {
        String key =
            ("loc_rib".equals(peer.get("peer_type").asText()) ? "loc:" : "")
                + InetAddress.getByName(peer.get("peer").asText()).getHostAddress();
        BmpTestParser.Peer pp = p.peers.get(key);
        assertThat(pp).as("peer " + key).isNotNull();
        assertThat((long) pp.ups).isEqualTo(peer.get("ups").asLong());
        assertThat((long) pp.downs).isEqualTo(peer.get("downs").asLong());
        var ribs = peer.get("ribs").properties().iterator();
        while (ribs.hasNext()) {
          var rib = ribs.next();
          var afis = rib.getValue().properties().iterator();
          while (afis.hasNext()) {
            var afi = afis.next();
            BmpTestParser.Table t = pp.tables.get(rib.getKey() + "/" + afi.getKey());
            assertThat(t).as(key + " " + rib.getKey() + " " + afi.getKey()).isNotNull();
            JsonNode c = afi.getValue();
            String what = key + " " + rib.getKey() + " " + afi.getKey();
            assertThat(t.announced).as(what + " announced").isEqualTo(c.get("announced").asLong());
            assertThat(t.withdrawn).as(what + " withdrawn").isEqualTo(c.get("withdrawn").asLong());
            assertThat((long) t.routes.size())
                .as(what + " present")
                .isEqualTo(c.get("present").asLong());
            assertThat(t.endOfRib)
                .as(what + " End-of-RIB")
                .isEqualTo(c.get("end_of_rib").asBoolean());
            tables++;
          }
        }
      }
      int parsedTables = 0;
      for (BmpTestParser.Peer pp : p.peers.values()) {
        parsedTables += pp.tables.size();
      }
      assertThat(parsedTables).as("tables in the stream vs the report").isEqualTo(tables);
    }
    return parsed;
  }
}
