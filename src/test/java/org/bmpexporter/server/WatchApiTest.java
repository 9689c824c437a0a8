package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.OracleCounter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /api/v1/watch} against a real exporter with a watch list, fed over loopback with the
 * lab's GoBGP initial table dump (IPv4 /24s from 10.0.0.0/24 upwards). Where each prefix is and how
 * many more-specifics each table holds come from an independent decoding of the same stream ({@link
 * OracleCounter}).
 */
@ComponentTest
@Timeout(120)
class WatchApiTest {
  private static final String GOBGP = "127.0.8.2";

  private static LiveExporter live;
  private static OracleCounter truth;

  @BeforeAll
  static void start() throws Exception {
    live =
        LiveExporter.start(
            c ->
                c.with(
                    "watch",
                    List.of(
                        // a /24 the lab announces, any origin
                        Map.of("name", "lab-route", "prefix", "10.0.1.0/24"),
                        // a block of the lab's /24s, from an origin none of them has
                        Map.of(
                            "name",
                            "lab-block",
                            "prefix",
                            "10.0.0.0/16",
                            "origins",
                            List.of(64496),
                            "more_specifics",
                            true),
                        // never announced
                        Map.of(
                            "name",
                            "docs",
                            "prefix",
                            "192.0.2.0/24",
                            "rd",
                            "65000:100",
                            "origins",
                            List.of(64500, 64501)))));
    byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    truth = OracleCounter.count(gobgp);
    live.send(GOBGP, gobgp);
    live.awaitMessages(GOBGP, LiveExporter.messages(gobgp));
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  private static JsonNode entry(JsonNode doc, String name) {
    for (JsonNode w : doc.path("watches")) {
      if (w.path("name").asText().equals(name)) {
        return w;
      }
    }
    throw new AssertionError("no watch " + name + " in " + doc);
  }

  /** RIBs of the oracle's IPv4 tables holding {@code hexPrefix} ("0a000100/24"). */
  private static Set<String> oracleRibsWith(String hexPrefix) {
    Set<String> out = new TreeSet<>();
    truth.tables.forEach(
        (key, set) -> {
          String[] k = key.split("\\|");
          if (k[2].equals("ipv4_unicast") && set.contains(hexPrefix)) {
            out.add(k[1]);
          }
        });
    return out;
  }

  /** Per RIB, the oracle's IPv4 prefixes longer than /16 inside 10.0.0.0/16. */
  private static Map<String, Long> oracleMoreSpecificsOf10_0() {
    Map<String, Long> out = new TreeMap<>();
    truth.tables.forEach(
        (key, set) -> {
          String[] k = key.split("\\|");
          if (k[2].equals("ipv4_unicast")) {
            long n =
                set.stream()
                    .filter(p -> p.startsWith("0a00"))
                    .filter(p -> Integer.parseInt(p.substring(p.indexOf('/') + 1)) > 16)
                    .count();
            if (n > 0) {
              out.merge(k[1], n, Long::sum);
            }
          }
        });
    return out;
  }

  @Test
  void eachWatchListsTheTablesWhereItIsSeenWithItsOrigins() {
    HttpResponse<String> res = live.get("/api/v1/watch");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/json");
    JsonNode doc = live.json("/api/v1/watch");
    assertThat(doc.path("now").isNumber()).isTrue();
    List<String> names = new ArrayList<>();
    doc.path("watches").forEach(w -> names.add(w.path("name").asText()));
    assertThat(names).as("entries as configured").containsExactly("lab-route", "lab-block", "docs");

    // the configuration echoed
    JsonNode docs = entry(doc, "docs");
    assertThat(docs.path("prefix").asText()).isEqualTo("192.0.2.0/24");
    assertThat(docs.path("rd").asText()).isEqualTo("65000:100");
    assertThat(docs.path("origins").toString()).isEqualTo("[64500,64501]");
    assertThat(docs.path("more_specifics_expected").asBoolean()).isFalse();
    assertThat(docs.path("present_in").asLong()).isZero();
    assertThat(docs.path("unexpected_origin").asBoolean()).isFalse();
    assertThat(docs.path("seen").size()).as("tables of a prefix never announced").isZero();

    // the /24: present in the tables the stream put it in, from one origin AS, nothing more
    // specific
    JsonNode route = entry(doc, "lab-route");
    assertThat(route.path("rd").asText()).isEmpty();
    assertThat(route.path("origins").size()).isZero();
    Set<String> wantRibs = oracleRibsWith("0a000100/24");
    assertThat(wantRibs).as("the lab stream carries 10.0.1.0/24").isNotEmpty();
    Set<String> presentRibs = new TreeSet<>();
    for (JsonNode t : route.path("seen")) {
      assertThat(t.path("router").asText()).isEqualTo(GOBGP);
      assertThat(t.path("afi_safi").asText()).isEqualTo("ipv4_unicast");
      assertThat(t.has("peer") && t.has("rd")).as("table %s", t).isTrue();
      assertThat(t.path("more_specifics").asLong()).isZero();
      assertThat(t.path("more_specific_origins").size()).isZero();
      assertThat(t.path("unexpected_origin").asBoolean())
          .as("no origins: any is expected")
          .isFalse();
      if (t.path("present").asBoolean()) {
        presentRibs.add(t.path("rib").asText());
        assertThat(t.path("origins").size()).as("origins of %s", t).isEqualTo(1);
        assertThat(t.path("origins").get(0).asText()).matches("[1-9][0-9]*");
      }
    }
    assertThat(presentRibs).isEqualTo(wantRibs);
    // present_in counts the tables holding it now (seen also lists tables it left)
    long presentTables = 0;
    for (JsonNode t : route.path("seen")) {
      presentTables += t.path("present").asBoolean() ? 1 : 0;
    }
    assertThat(route.path("present_in").asLong()).isEqualTo(presentTables).isPositive();

    // the /16: never present itself, its /24s counted per table, none from the expected origin
    JsonNode block = entry(doc, "lab-block");
    assertThat(block.path("more_specifics_expected").asBoolean()).isTrue();
    assertThat(block.path("origins").toString()).isEqualTo("[64496]");
    assertThat(block.path("present_in").asLong()).isZero();
    assertThat(block.path("unexpected_origin").asBoolean()).isTrue();
    Map<String, Long> moreByRib = new TreeMap<>();
    for (JsonNode t : block.path("seen")) {
      assertThat(t.path("present").asBoolean()).isFalse();
      assertThat(t.path("origins").size()).isZero();
      assertThat(t.path("more_specific_origins").size()).as("table %s", t).isPositive();
      assertThat(t.path("more_specific_origins").toString()).doesNotContain("64496");
      assertThat(t.path("unexpected_origin").asBoolean()).isTrue();
      moreByRib.merge(t.path("rib").asText(), t.path("more_specifics").asLong(), Long::sum);
    }
    assertThat(moreByRib).isEqualTo(oracleMoreSpecificsOf10_0()).isNotEmpty();
  }
}
