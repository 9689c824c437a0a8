package org.bmpexporter.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.metrics.ForwardCounts;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Scrape;
import org.bmpexporter.wire.BmpFramer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay hands on what each read brings, together: reads that split messages anywhere, a
 * destination that comes up late and restarts several times in the middle of the stream. Every
 * connection the destination gets must hold whole messages only, begin with the router's
 * Initiation, and carry a gap-free run of the router's messages.
 */
@ComponentTest
@Timeout(120)
class TcpForwarderSplitTest {

  /** Runs {@code r} on {@code vertx}'s event loop of {@code ctx} and waits for it. */
  private static void onLoop(io.vertx.core.Context ctx, Runnable r) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ctx.runOnContext(
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

  private static byte[] peer(String address) {
    return Bmp.globalPeer(address, 65010);
  }

  /** Index of {@code m} in {@code sent} from {@code from} on, or -1. */
  private static int indexOf(List<byte[]> sent, byte[] m, int from) {
    for (int i = from; i < sent.size(); i++) {
      if (Arrays.equals(sent.get(i), m)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void splitReadsReachEveryConnectionAsWholeMessagesFromTheInitiationOn() throws Exception {
    Vertx vertx = Vertx.vertx();
    int port = BmpSink.freePort(); // the destination comes up after the stream started
    try {
      ForwardCounts counts = new ForwardCounts();
      TcpForwarder forwarder =
          new TcpForwarder(
              vertx,
              List.of(new HostPort("127.0.0.1", port)),
              counts,
              4 << 20, // the whole stream fits: nothing is dropped while it connects
              8 << 20,
              Duration.ofMillis(20),
              Duration.ofMillis(80),
              100);
      ForwardCounts.Destination d = counts.destinations().get(0);
      io.vertx.core.Context ctx = vertx.getOrCreateContext();

      // the router's messages: every one distinct (a sequence number in its prefix), sizes vary
      byte[] init = Bmp.initiation("r-split", "split reads");
      byte[] up = Bmp.peerUp(peer("192.0.2.1"));
      List<byte[]> sent = new ArrayList<>(List.of(init, up));
      Random random = new Random(7);
      for (int i = 0; i < 3000; i++) {
        String[] prefixes = new String[1 + random.nextInt(40)];
        for (int p = 0; p < prefixes.length; p++) {
          prefixes[p] = "10." + (i / 250) + "." + (i % 250) + "." + p + "/32";
        }
        sent.add(
            Bmp.routeMonitoring(peer("192.0.2.1"), Bmp.updateV4(new byte[0], Bmp.nlri(prefixes))));
      }
      sent.add(Bmp.termination(0));
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] m : sent) {
        all.write(m);
      }
      byte[] stream = all.toByteArray();

      BmpFramer framer = new BmpFramer();
      RouterStream relay = forwarder.open("192.0.2.100", "192.0.2.100");
      BmpSink sink = null;
      int restarts = 0;
      int splitMessages = 0;
      try {
        int pos = 0;
        int read = 0;
        while (pos < stream.length) {
          // reads of 1 byte to 4 KiB: most end inside a message
          int n =
              Math.min(stream.length - pos, 1 + random.nextInt(random.nextBoolean() ? 40 : 4096));
          int at = pos;
          onLoop(
              ctx,
              () -> {
                framer.feed(stream, at, n, relay);
                relay.endOfRead();
              });
          if (framer.pendingBytes() > 0) {
            splitMessages++;
          }
          pos += n;
          read++;
          if (read == 200) {
            sink = new BmpSink(port, 0); // comes up late: gets the stream from its start
          } else if (sink != null && read % 100 == 0 && restarts < 4) {
            BmpSink s = sink;
            int want = restarts + 1;
            Scrape.await(
                Duration.ofSeconds(10),
                "connection " + want,
                () -> s.connections().size() == want && d.sessions() == 1);
            // the destination restarts: the connection ends in the middle of the stream
            s.connections().get(s.connections().size() - 1).socket.close();
            restarts++;
            if (restarts == 4) {
              // the last restart: its new connection must be open before the stream ends (the
              // earlier ones reconnect while the reads go on, and miss messages)
              Scrape.await(
                  Duration.ofSeconds(10),
                  "the connection after the last restart",
                  () -> s.connections().size() == 5 && d.sessions() == 1);
            }
          }
          if (read % 50 == 0) {
            Thread.sleep(2); // the event loop completes connections between reads
          }
        }
        onLoop(ctx, relay::close);
        BmpSink s = sink;
        assertThat(s).isNotNull();
        Scrape.await(
            Duration.ofSeconds(30),
            "the last connection ends",
            () -> {
              List<BmpSink.Connection> c = s.connections();
              return !c.isEmpty() && c.get(c.size() - 1).ended && d.sessions() == 0;
            });
        assertThat(restarts).isEqualTo(4);
        assertThat(splitMessages).isGreaterThan(100);

        List<BmpSink.Connection> connections = s.connections();
        // the first gets the stream from its start; every restart one more connection
        assertThat(connections).hasSize(restarts + 1);
        for (int c = 0; c < connections.size(); c++) {
          byte[] got = connections.get(c).bytes();
          List<byte[]> messages = BmpSink.frames(got);
          if (c == connections.size() - 1) {
            // ended by the router's session: whole messages only (the others were cut by the
            // destination, anywhere)
            int whole = messages.stream().mapToInt(m -> m.length).sum();
            assertThat(whole).as("connection %d: whole messages only", c).isEqualTo(got.length);
          }
          if (got.length == 0) {
            continue; // cut before anything was written
          }
          assertThat(messages.get(0))
              .as("connection %d starts with the Initiation", c)
              .isEqualTo(init);
          int live = 1;
          if (c > 0) {
            assertThat(messages.get(1)).as("connection %d: replayed Peer Up", c).isEqualTo(up);
            live = 2;
          } else {
            live = 0; // the first connection: the stream from its first message
          }
          if (live < messages.size()) {
            int first = indexOf(sent, messages.get(live), c == 0 ? 0 : 2);
            assertThat(first).as("connection %d: a message the router sent", c).isNotNegative();
            for (int i = live; i < messages.size(); i++) {
              assertThat(messages.get(i))
                  .as("connection %d, message %d: the router's next one", c, i)
                  .isEqualTo(sent.get(first + i - live));
            }
            if (c == 0) {
              assertThat(first).isZero();
            }
          }
        }
        // the last connection carries the stream to its end
        List<byte[]> last = connections.get(connections.size() - 1).messages();
        assertThat(last.get(last.size() - 1)).isEqualTo(sent.get(sent.size() - 1));
        // every message was written or dropped (counted), plus the replayed starts
        assertThat(d.forwardedMessages() + d.droppedMessages())
            .isEqualTo(sent.size() + 2L * d.replayedStarts());
        assertThat(d.replayedStarts()).isEqualTo(connections.size() - 1);
        assertThat(d.bufferedBytes()).isZero();
        assertThat(forwarder.bufferedBytes()).isZero();
      } finally {
        forwarder.close();
        if (sink != null) {
          sink.close();
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
