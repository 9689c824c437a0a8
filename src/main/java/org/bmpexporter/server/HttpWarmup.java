package org.bmpexporter.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP requests on loopback while the network warm-up's BMP sessions run. Netty's pipeline and
 * buffer code serves both BMP reads and HTTP scrapes; compiled for BMP reads alone, the first
 * scrapes during the first real table (Prometheus', or a poller's) find other handler and buffer
 * classes at its call sites, and HotSpot throws that code away and compiles it again while the
 * table arrives. A private HTTP server on the same event loops, with a keep-alive client sending
 * small GETs, gives those call sites their real mix of classes first.
 */
final class HttpWarmup {
  /** Pause between requests: scrapes are a trickle next to BMP reads. */
  private static final long PAUSE_NANOS = 200_000;

  private static final byte[] REQUEST =
      "GET /warmup HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final String BODY = "ok\n";

  private final HttpServer server;
  private final Thread client;
  private final AtomicBoolean stop = new AtomicBoolean();

  private HttpWarmup(HttpServer server, long deadlineNanos) {
    this.server = server;
    int port = server.actualPort();
    this.client = new Thread(() -> requests(port, deadlineNanos), "bmp-warmup-http");
    client.setDaemon(true);
  }

  /** Starts the server and its client; null (and nothing runs) if the server cannot listen. */
  static HttpWarmup start(Vertx vertx, long deadlineNanos) {
    try {
      HttpServer server =
          BmpExporter.await(
              vertx
                  .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
                  .requestHandler(
                      req -> req.response().putHeader("content-type", "text/plain").end(BODY))
                  .listen(),
              "warm-up HTTP listener");
      HttpWarmup w = new HttpWarmup(server, deadlineNanos);
      w.client.start();
      return w;
    } catch (Exception e) {
      return null;
    }
  }

  /** Ends the client and closes the server; waits briefly for the client thread. */
  void stop() {
    stop.set(true);
    try {
      client.join(TimeUnit.SECONDS.toMillis(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
  }

  private void requests(int port, long deadlineNanos) {
    try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
      socket.setSoTimeout(2_000);
      socket.setTcpNoDelay(true);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      while (!stop.get() && System.nanoTime() < deadlineNanos) {
        out.write(REQUEST);
        if (!readResponse(in, buf)) {
          return;
        }
        LockSupport.parkNanos(PAUSE_NANOS);
      }
    } catch (IOException e) {
      // the warm-up is best effort: the server closed, or the machine is too slow
    }
  }

  /** Reads one response: headers to the blank line, then the body by its content-length. */
  private static boolean readResponse(InputStream in, byte[] buf) throws IOException {
    int n = 0;
    int headerEnd = -1;
    while (headerEnd < 0) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0 || n + r >= buf.length) {
        return false;
      }
      n += r;
      headerEnd = indexOf(buf, n, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    int bodyStart = headerEnd + 4;
    int need = bodyStart + BODY.length();
    while (n < need) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        return false;
      }
      n += r;
    }
    return true;
  }

  private static int indexOf(byte[] a, int length, byte[] b) {
    outer:
    for (int i = 0; i + b.length <= length; i++) {
      for (int j = 0; j < b.length; j++) {
        if (a[i + j] != b[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
