package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.bmpexporter.testing.ComponentTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A connection's reads handed on as Netty's own buffers: in order, released, pausable. */
@ComponentTest
class SocketReadsTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * Starts a listener that hands each connection's reads to {@code onConnect}; returns its port.
   */
  private int listen(Consumer<SocketReads> onConnect) throws Exception {
    NetServer server =
        vertx
            .createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0))
            .connectHandler(socket -> onConnect.accept(SocketReads.of(socket)));
    return server
        .listen()
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .actualPort();
  }

  @Test
  @Timeout(60)
  void everyByteArrivesInOrder() throws Exception {
    byte[] sent = new byte[2 << 20];
    new Random(7).nextBytes(sent);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    CompletableFuture<Void> all = new CompletableFuture<>();
    int port =
        listen(
            reads ->
                reads.to(
                    buf -> {
                      byte[] chunk = new byte[buf.readableBytes()];
                      buf.getBytes(buf.readerIndex(), chunk);
                      received.write(chunk, 0, chunk.length);
                      if (received.size() >= sent.length) {
                        all.complete(null);
                      }
                    }));
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      for (int off = 0; off < sent.length; off += 1000) {
        out.write(sent, off, Math.min(1000, sent.length - off)); // many small writes
      }
      out.flush();
      all.get(30, TimeUnit.SECONDS);
    }
    assertThat(received.toByteArray()).isEqualTo(sent);
  }

  @Test
  @Timeout(60)
  void eachReadIsReleasedOnceTheReaderReturns() throws Exception {
    AtomicReference<ByteBuf> seen = new AtomicReference<>();
    AtomicInteger refCntDuring = new AtomicInteger(-1);
    CompletableFuture<Integer> refCntAfter = new CompletableFuture<>();
    int port =
        listen(
            reads ->
                reads.to(
                    buf -> {
                      if (seen.compareAndSet(null, buf)) {
                        refCntDuring.set(buf.refCnt());
                        // runs after this read is done, before any other (the client waits)
                        vertx
                            .getOrCreateContext()
                            .runOnContext(v -> refCntAfter.complete(buf.refCnt()));
                      }
                    }));
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(new byte[] {3, 0, 0, 0, 6, 4});
      s.getOutputStream().flush();
      assertThat(refCntAfter.get(30, TimeUnit.SECONDS))
          .as("reference count after the read")
          .isZero();
    }
    assertThat(refCntDuring.get()).as("reference count during the read").isEqualTo(1);
  }

  @Test
  @Timeout(60)
  void pausedReadsWaitForResume() throws Exception {
    AtomicInteger bytes = new AtomicInteger();
    AtomicReference<SocketReads> connection = new AtomicReference<>();
    CompletableFuture<Void> first = new CompletableFuture<>();
    int port =
        listen(
            reads -> {
              connection.set(reads);
              reads.to(
                  buf -> {
                    bytes.addAndGet(buf.readableBytes());
                    if (!first.isDone()) {
                      reads.pause(); // after the first read: the rest must wait
                      first.complete(null);
                    }
                  });
            });
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(new byte[100]);
      out.flush();
      first.get(30, TimeUnit.SECONDS);
      int afterFirst = bytes.get();
      out.write(new byte[5000]);
      out.flush();
      Thread.sleep(500); // time enough for a read that pausing failed to stop
      assertThat(bytes.get()).as("bytes read while paused").isEqualTo(afterFirst);
      vertx.getOrCreateContext().runOnContext(v -> connection.get().resume());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (bytes.get() < 5100 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(bytes.get()).as("bytes read after resume").isEqualTo(5100);
    }
  }
}
