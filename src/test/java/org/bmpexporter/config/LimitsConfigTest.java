package org.bmpexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code bmp.limits} section: defaults, values from the file, and bad values refused. */
class LimitsConfigTest {
  @TempDir Path dir;

  private ExporterConfig load(String yaml) throws Exception {
    Path f = dir.resolve("config.yml");
    Files.writeString(f, yaml);
    return ConfigLoader.load(f, ExporterConfig.defaults());
  }

  @Test
  void defaultsAreGenerousAndTheTotalFollowsTheHeap() {
    ExporterConfig.Limits l = ExporterConfig.defaults().limits();
    assertThat(l.peersPerRouter()).isEqualTo(10_000);
    assertThat(l.tablesPerPeer()).isEqualTo(64);
    assertThat(l.statTypesPerPeer()).isEqualTo(256);
    assertThat(l.routesPerRouter()).isEqualTo(20_000_000L);
    assertThat(l.sessionsPerAddress()).isEqualTo(4);
    assertThat(l.routesTotal())
        .isEqualTo(Math.max(1_000_000L, Runtime.getRuntime().maxMemory() / 160));
    assertThat(ConfigLoader.defaultText("bmp.limits.routes_total"))
        .isEqualTo("max heap / 160 bytes");
  }

  @Test
  void theFileSetsEachLimitAndLeavesTheOthers() throws Exception {
    ExporterConfig c =
        load(
            """
            bmp:
              limits:
                peers_per_router: 500
                routes_total: 30000000000
            """);
    assertThat(c.limits().peersPerRouter()).isEqualTo(500);
    assertThat(c.limits().routesTotal()).isEqualTo(30_000_000_000L);
    assertThat(c.limits().tablesPerPeer()).isEqualTo(64);
    assertThat(c.maxSessions()).isEqualTo(10_000);
  }

  @Test
  void zeroNegativeAndUnknownLimitsAreRefusedAllAtOnce() {
    assertThatThrownBy(
            () ->
                load(
                    """
                    bmp:
                      limits:
                        sessions_per_address: 0
                        routes_per_router: -1
                        peers: 5
                    """))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "configuration key 'bmp.limits.sessions_per_address': 0 outside 1-1000",
                        "configuration key 'bmp.limits.routes_per_router': -1 outside"
                            + " 1-1000000000000",
                        "configuration key 'bmp.limits.peers': unknown key (known:"
                            + " peers_per_router, routes_per_router, routes_total,"
                            + " sessions_per_address, stat_types_per_peer, tables_per_peer)"));
  }
}
