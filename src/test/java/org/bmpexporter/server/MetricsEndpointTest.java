package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.bmpexporter.config.Cidr;
import org.bmpexporter.config.RouterName;
import org.bmpexporter.metrics.RouterLabels;
import org.junit.jupiter.api.Test;

/** The request parsing of {@code /metrics} and the inventory lookup, without a server. */
class MetricsEndpointTest {
  @Test
  void thePrometheusScrapeTimeoutShortensTheSnapshotDeadline() {
    assertThat(MetricsEndpoint.deadlineMillis(null, 10_000)).isEqualTo(10_000);
    assertThat(MetricsEndpoint.deadlineMillis("5", 10_000)).isEqualTo(4_500);
    assertThat(MetricsEndpoint.deadlineMillis("9.5", 10_000)).isEqualTo(9_000);
    // never longer than the configured timeout
    assertThat(MetricsEndpoint.deadlineMillis("60", 10_000)).isEqualTo(10_000);
    // a short timeout keeps three quarters rather than nothing
    assertThat(MetricsEndpoint.deadlineMillis("1", 10_000)).isEqualTo(750);
    assertThat(MetricsEndpoint.deadlineMillis("0.001", 10_000)).isEqualTo(1);
    for (String bad : List.of("", "soon", "0", "-3", "NaN", "Infinity")) {
      assertThat(MetricsEndpoint.deadlineMillis(bad, 10_000)).as(bad).isEqualTo(10_000);
    }
  }

  @Test
  void gzipIsUsedWhenAcceptEncodingAllowsIt() {
    assertThat(MetricsEndpoint.acceptsGzip("gzip")).isTrue();
    assertThat(MetricsEndpoint.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
    assertThat(MetricsEndpoint.acceptsGzip("x-gzip")).isTrue();
    assertThat(MetricsEndpoint.acceptsGzip(null)).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip("identity")).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip("gzip; q=0.0")).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip("gzip;q=x")).isFalse();
    assertThat(MetricsEndpoint.acceptsGzip("gzipped")).isFalse();
  }

  @Test
  void theMostSpecificInventoryEntryWins() {
    RouterInventory inventory =
        new RouterInventory(
            List.of(
                new RouterName(Cidr.parse("192.0.2.0/24"), "", Map.of("site", "ams")),
                new RouterName(Cidr.parse("192.0.2.1"), "edge1", Map.of("role", "edge")),
                new RouterName(Cidr.parse("192.0.0.0/16"), "wide", Map.of()),
                new RouterName(Cidr.parse("2001:db8::/32"), "v6", Map.of())));
    assertThat(inventory.apply("192.0.2.1"))
        .isEqualTo(new RouterLabels("edge1", Map.of("role", "edge")));
    assertThat(inventory.apply("192.0.2.2")).isEqualTo(new RouterLabels("", Map.of("site", "ams")));
    assertThat(inventory.apply("192.0.9.9").name()).isEqualTo("wide");
    assertThat(inventory.apply("2001:db8::7").name()).isEqualTo("v6");
    assertThat(inventory.apply("198.51.100.1")).isEqualTo(RouterLabels.NONE);
    assertThat(new RouterInventory(List.of()).apply("192.0.2.1")).isEqualTo(RouterLabels.NONE);
  }
}
