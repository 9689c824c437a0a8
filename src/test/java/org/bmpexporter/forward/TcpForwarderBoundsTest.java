package org.bmpexporter.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.metrics.ForwardCounts;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay's memory bounds with a destination that is down: each (router session, destination)
 * pair keeps at most its buffer, all pairs together at most the total; what does not fit is dropped
 * and counted, and a session that ends gives its buffer back.
 */
@ComponentTest
@Timeout(60)
class TcpForwarderBoundsTest {

  /** Runs {@code r} on an event loop of {@code vertx} and waits for it. */
  private static void onLoop(Vertx vertx, Runnable r) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          try {
            r.run();
            done.complete(null);
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
    done.get(10, TimeUnit.SECONDS);
  }

  @Test
  void perPairAndTotalBuffersBoundWhatWaitsForADestinationThatIsDown() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      int down = BmpSink.freePort(); // nothing listens: every attempt is refused
      ForwardCounts counts = new ForwardCounts();
      long perPair = 64 << 10;
      long total = 1 << 20;
      TcpForwarder forwarder =
          new TcpForwarder(
              vertx,
              List.of(new HostPort("127.0.0.1", down)),
              counts,
              perPair,
              total,
              Duration.ofSeconds(30), // no retry within the test
              Duration.ofSeconds(30),
              100);
      ForwardCounts.Destination d = counts.destinations().get(0);
      byte[] message =
          Bmp.routeMonitoring(
              Bmp.globalPeer("192.0.2.1", 65010),
              Bmp.updateV4(new byte[0], Bmp.nlri("10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16")));
      List<RouterStream> streams = new ArrayList<>();
      long[] offeredBytes = {0};
      // session 0 sends more than its pair may keep; sessions 1-40 each less, together more
      // than the total
      int[] sizes = new int[41];
      sizes[0] = 100 << 10;
      for (int i = 1; i < sizes.length; i++) {
        sizes[i] = 60 << 10;
      }
      onLoop(
          vertx,
          () -> {
            for (int s = 0; s < sizes.length; s++) {
              RouterStream stream = forwarder.open("192.0.2." + s, "192.0.2." + s);
              streams.add(stream);
              byte[] init = Bmp.initiation("r" + s, "bounds");
              stream.frame(init, 0, init.length);
              stream.endOfRead();
              offeredBytes[0] += init.length;
              for (int n = init.length; n + message.length <= sizes[s]; n += message.length) {
                stream.frame(message, 0, message.length); // a router that sends one by one
                stream.endOfRead();
                offeredBytes[0] += message.length;
              }
            }
          });
      long buffered = forwarder.bufferedBytes();
      assertThat(d.bufferedBytes()).isEqualTo(buffered);
      // the total filled up to less than one session's worth; nothing beyond it
      assertThat(buffered).isLessThanOrEqualTo(total).isGreaterThan(total - sizes[1]);
      // what is not buffered was dropped and counted; session 0's whole stream among it
      assertThat(d.droppedBytes() + buffered).isEqualTo(offeredBytes[0]);
      assertThat(d.droppedBytes()).isGreaterThanOrEqualTo(sizes[0] - message.length);
      assertThat(d.forwardedMessages()).isZero();
      Scrape.await(Duration.ofSeconds(10), "a refused attempt", () -> d.connectFailures() > 0);

      // the sessions end while the destination is still down: their buffers are dropped
      onLoop(vertx, () -> streams.forEach(RouterStream::close));
      assertThat(forwarder.bufferedBytes()).isZero();
      assertThat(d.bufferedBytes()).isZero();
      assertThat(d.droppedBytes()).isEqualTo(offeredBytes[0]);
      assertThat(d.sessions()).isZero();
      forwarder.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
