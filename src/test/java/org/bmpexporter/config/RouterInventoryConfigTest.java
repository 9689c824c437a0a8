package org.bmpexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code routers} inventory and the scrape keys of {@code web} as the YAML file sets them. */
class RouterInventoryConfigTest {
  @TempDir Path dir;

  private ExporterConfig load(String yaml) throws Exception {
    Path f = dir.resolve("c.yml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f, ExporterConfig.defaults());
  }

  @Test
  void entriesAreReadWithNamesAndLabels() throws Exception {
    ExporterConfig c =
        load(
            """
            routers:
              - match: "192.0.2.0/24"
                labels: {site: ams}
              - match: "2001:db8::1"
                name: edge1
                labels: {site: fra, role: edge, rack: 12}
            web:
              full_metrics: false
              external_address: "bmp-exporter.example:9324"
            """);
    assertThat(c.routers()).hasSize(2);
    RouterName first = c.routers().get(0);
    assertThat(first.match()).isEqualTo(Cidr.parse("192.0.2.0/24"));
    assertThat(first.name()).isEmpty();
    assertThat(first.labels()).isEqualTo(Map.of("site", "ams"));
    RouterName second = c.routers().get(1);
    assertThat(second.match().bits()).isEqualTo(128);
    assertThat(second.name()).isEqualTo("edge1");
    assertThat(second.labels()).isEqualTo(Map.of("site", "fra", "role", "edge", "rack", "12"));
    assertThat(c.fullMetrics()).isFalse();
    assertThat(c.externalAddress()).isEqualTo("bmp-exporter.example:9324");
    // what the file set survives a further key set on top (the overlay serializes it back)
    assertThat(c.with("retention", "1h").routers()).isEqualTo(c.routers());
  }

  @Test
  void badEntriesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> load("routers:\n  - match: \"192.0.2.0/24\"\n    labels: {1x: a}\n"))
        .hasMessageContaining("'routers'")
        .hasMessageContaining("'1x' is not a Prometheus label name");
    assertThatThrownBy(() -> load("routers:\n  - match: \"192.0.2.1\"\n    labels: {router: a}\n"))
        .hasMessageContaining("'router' is reserved");
    assertThatThrownBy(() -> load("routers:\n  - match: \"192.0.2.1\"\n    labels: {__x: a}\n"))
        .hasMessageContaining("starts with __");
    assertThatThrownBy(() -> load("routers:\n  - match: \"192.0.2.1\"\n    nmae: a\n"))
        .hasMessageContaining("unknown key 'nmae'");
    assertThatThrownBy(() -> load("routers:\n  - name: a\n")).hasMessageContaining("needs match");
    assertThatThrownBy(() -> load("routers:\n  - match: \"edge1\"\n"))
        .hasMessageContaining("not an IP address or CIDR");
    assertThatThrownBy(() -> load("routers:\n  - match: \"192.0.2.1\"\n    labels: {a: [1]}\n"))
        .hasMessageContaining("needs a plain value");
    assertThatThrownBy(() -> load("routers: {match: \"192.0.2.1\"}\n"))
        .hasMessageContaining("'routers'")
        .hasMessageContaining("list of {match, name, labels}");
    assertThatThrownBy(
            () -> load("routers:\n  - match: \"192.0.2.1\"\n  - match: \"192.0.2.1/32\"\n"))
        .hasMessageContaining("matched by two entries");
    assertThatThrownBy(() -> load("web:\n  external_address: \"no-port\"\n"))
        .hasMessageContaining("'web.external_address'")
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() -> load("web:\n  full_metrics: 1\n"))
        .hasMessageContaining("'web.full_metrics'")
        .hasMessageContaining("true or false");
  }

  @Test
  void theScrapeTimeoutMustBePositive() {
    assertThatThrownBy(() -> load("web:\n  scrape_timeout: 0s\n"))
        .hasMessageContaining("'web.scrape_timeout'")
        .hasMessageContaining("more than 0");
    assertThatThrownBy(() -> load("web:\n  scrape_timeout: -1s\n"))
        .hasMessageContaining("'web.scrape_timeout'");
  }
}
