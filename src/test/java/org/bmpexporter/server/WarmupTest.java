package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.config.ExporterConfig;
import org.junit.jupiter.api.Test;

/** The start-up warm-up's synthetic session decodes cleanly and takes the paths routers do. */
class WarmupTest {
  @Test
  void everyRoundAppliesEveryRouteOperationOfTheSyntheticSessionWithoutDecodeErrors() {
    Warmup.Result r = Warmup.run(1 << 20, 2, 60_000);
    assertThat(r.rounds()).isEqualTo(2);
    assertThat(r.decodeErrors()).isZero();
    // Per table: v4 + v6 prefixes in pre and post of two peers and in Loc-RIB (5 copies);
    // then a tenth withdrawn from the plain peer (v4, v6) and the ADD-PATH peer (v4), and the
    // plain peer's v4 tenth announced again; the FRR-shaped peer's dense /24s in pre and post.
    long v4 = Warmup.IPV4_PREFIXES;
    long v6 = Warmup.IPV6_PREFIXES;
    long expected =
        5 * (v4 + v6)
            + (v4 / 10 + v6 / 10 + v4 / 10)
            + v4 / 10
            + 2L * org.bmpexporter.synthetic.WarmupStream.DENSE_V4;
    assertThat(r.routeOperations()).isEqualTo(2 * expected); // each round a fresh router
  }

  @Test
  void roundsStopAtTheTimeBound() {
    Warmup.Result r = Warmup.run(1 << 20, 1_000, 1);
    assertThat(r.rounds()).isBetween(0, 2);
  }

  @Test
  void theNetworkPhaseSendsEveryByteThroughLoopbackSessionsOnEachEventLoop() throws Exception {
    ExporterConfig config = ExporterConfig.defaults().with("event_loops", 2);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      // the minimum rounds only (the compiler-busy rounds after them are the time-bounded part)
      Warmup.Network n =
          Warmup.runNetwork(
              vertx, config, new PrometheusRegistry(), 60_000, Warmup.NETWORK_MIN_ROUNDS);
      // each round's parallel sessions, each from its own loopback address, ran to their end
      assertThat(n.sessions())
          .isEqualTo(Warmup.NETWORK_MIN_ROUNDS * 2 * Warmup.NETWORK_PARALLEL_PER_LOOP);
      // every byte read through the session handler a router's connection gets, on both loops
      assertThat(n.bytes()).isEqualTo(n.sentBytes()).isPositive();
      assertThat(n.eventLoops()).isEqualTo(2);
      // and meanwhile the exporter's web stack answered scrapes of the warm-up's routers
      assertThat(n.scrapes()).isPositive();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theNetworkPhaseStopsAtItsTimeBound() throws Exception {
    ExporterConfig config = ExporterConfig.defaults().with("event_loops", 2);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try {
      long t0 = System.nanoTime();
      Warmup.Network n = Warmup.runNetwork(vertx, config, 1);
      assertThat(n.sessions()).isZero(); // a round's sessions cannot end within 1 ms
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(20);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
