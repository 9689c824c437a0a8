package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.testing.ComponentTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP server's bounds with real sockets: idle, silent and dribbling connections are closed by
 * the timeouts; answers are gzipped on request; headers are bounded; HTTP answers while a BMP event
 * loop is stuck.
 */
@ComponentTest
class WebServerTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Well past every timeout below: a connection still open then was not closed by them. */
  private static final int READ_LIMIT_MILLIS = 15_000;

  BmpExporter exporter;

  @AfterEach
  void stop() {
    if (exporter != null) {
      exporter.close();
    }
  }

  private void start(ExporterConfig c) throws Exception {
    exporter =
        BmpExporter.start(
            c.withWarmup(false)
                .withBmpListen(List.of(new HostPort("127.0.0.1", 0)))
                .withWebListen(new HostPort("127.0.0.1", 0)));
  }

  @Test
  void idleSilentAndDribblingConnectionsAreClosed() throws Exception {
    start(
        ExporterConfig.defaults()
            .with("web.idle_timeout", "3s")
            .with("web.read_header_timeout", "1s"));
    int port = exporter.webPort();
    List<Socket> silent = new ArrayList<>();
    List<Socket> keptAlive = new ArrayList<>();
    List<Socket> dribbling = new ArrayList<>();
    try {
      long opened = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        silent.add(connect(port));
      }
      for (int i = 0; i < 20; i++) {
        Socket s = connect(port);
        keptAlive.add(s);
        assertThat(get(s, "/healthz")).startsWith("HTTP/1.1 200");
      }
      for (int i = 0; i < 20; i++) {
        Socket s = connect(port);
        dribbling.add(s);
        s.getOutputStream().write("GET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      // A kept-alive connection serves a second request: the timers leave working ones alone.
      for (Socket s : keptAlive) {
        assertThat(get(s, "/healthz")).startsWith("HTTP/1.1 200");
      }
      // Header bytes keep coming, a line every 300 ms, but the request is never complete.
      Thread dribbler =
          new Thread(
              () -> {
                for (int n = 0; n < 40; n++) {
                  for (Socket s : dribbling) {
                    try {
                      s.getOutputStream()
                          .write(("X-Slow-" + n + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException closed) {
                      // closed by the server: what the test waits for
                    }
                  }
                  try {
                    Thread.sleep(300);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      dribbler.setDaemon(true);
      dribbler.start();
      // While they are all open, the server still answers.
      assertThat(
              HTTP.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                          .timeout(Duration.ofSeconds(5))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      for (Socket s : silent) {
        assertClosedByServer(s, "silent connection");
      }
      for (Socket s : dribbling) {
        assertClosedByServer(s, "dribbling connection");
      }
      for (Socket s : keptAlive) {
        assertClosedByServer(s, "idle kept-alive connection");
      }
      double seconds = (System.nanoTime() - opened) / 1e9;
      // read_header_timeout 1 s and idle_timeout 3 s, checked every second: all gone well before
      // the 15 s each read was allowed
      assertThat(seconds).as("seconds until every connection was closed").isLessThan(10);
      dribbler.interrupt();
    } finally {
      for (List<Socket> l : List.of(silent, keptAlive, dribbling)) {
        for (Socket s : l) {
          s.close();
        }
      }
    }
  }

  @Test
  void answersAreGzippedForClientsThatAcceptIt() throws Exception {
    start(ExporterConfig.defaults());
    URI metrics = URI.create("http://127.0.0.1:" + exporter.webPort() + "/metrics");
    HttpResponse<byte[]> gz =
        HTTP.send(
            HttpRequest.newBuilder(metrics).header("Accept-Encoding", "gzip").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gz.statusCode()).isEqualTo(200);
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String text;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(text).contains("bmp_exporter_build_info");
    assertThat(gz.body().length).isLessThan(text.length() / 2);

    HttpResponse<String> plain =
        HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.body()).contains("bmp_exporter_build_info");
  }

  @Test
  void oversizedHeadersAreRefused() throws Exception {
    start(ExporterConfig.defaults());
    try (Socket s = connect(exporter.webPort())) {
      String big = "X-Big: " + "a".repeat(WebServer.MAX_HEADER_BYTES + 100) + "\r\n";
      String answer = request(s, "GET /healthz HTTP/1.1\r\nHost: x\r\n" + big + "\r\n");
      assertThat(answer).startsWith("HTTP/1.1 431");
    }
  }

  @Test
  void healthzAnswersWhileTheBmpEventLoopIsStuck() throws Exception {
    start(ExporterConfig.defaults().with("event_loops", 1));
    // The only BMP event loop runs something long, as a session ingesting a huge table would.
    CountDownLatch release = stickTheEventLoop();
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + exporter.webPort() + "/healthz"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(release.getCount()).as("still stuck while /healthz answered").isEqualTo(1);
    } finally {
      release.countDown();
    }
  }

  /**
   * A page that takes longer to build than web.idle_timeout (here: a router whose event loop is
   * stuck, waited for up to web.scrape_timeout) is still answered on its connection.
   */
  @Test
  void anAnswerSlowerThanTheIdleTimeoutStillArrives() throws Exception {
    start(
        ExporterConfig.defaults()
            .with("event_loops", 1)
            .with("web.idle_timeout", "1s")
            .with("web.scrape_timeout", "4s"));
    try (Socket router = new Socket()) {
      router.connect(new InetSocketAddress("127.0.0.1", exporter.bmpPorts().get(0)), 5000);
      router.getOutputStream().write(org.bmpexporter.testing.Bmp.initiation("slow", "stuck"));
      router.getOutputStream().flush();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (exporter.registry().size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(exporter.registry().size()).isEqualTo(1);
      CountDownLatch release = stickTheEventLoop();
      try (Socket s = connect(exporter.webPort())) {
        long t0 = System.nanoTime();
        String head = get(s, "/metrics");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(head).startsWith("HTTP/1.1 200");
        assertThat(seconds).as("waited for the stuck router's snapshot").isGreaterThan(2);
      } finally {
        release.countDown();
      }
    }
  }

  /**
   * Makes the (only) BMP event loop run a task that waits, at most 20 s, for the returned latch;
   * returns once it is stuck.
   */
  private CountDownLatch stickTheEventLoop() throws InterruptedException {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    exporter
        .vertx()
        .runOnContext(
            v -> {
              stuck.countDown();
              try {
                release.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(stuck.await(10, TimeUnit.SECONDS)).as("event loop stuck").isTrue();
    return release;
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setSoTimeout(READ_LIMIT_MILLIS);
    return s;
  }

  /** One keep-alive GET; the head of the answer (the body is "ok\n"). */
  private static String get(Socket s, String path) throws IOException {
    return request(s, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
  }

  private static String request(Socket s, String request) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    int contentLength = 0;
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.append((char) b);
    }
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        contentLength = Integer.parseInt(line.substring(15).strip());
      }
    }
    in.readNBytes(contentLength);
    return head.toString();
  }

  /** The server closes {@code s}: end of stream or a reset, before the read limit. */
  private static void assertClosedByServer(Socket s, String what) throws IOException {
    try {
      int b = s.getInputStream().read();
      assertThat(b).as(what + ": end of stream").isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(what + " still open after " + READ_LIMIT_MILLIS + " ms", e);
    } catch (SocketException reset) {
      // closed with data unread: as good as an end of stream here
    }
  }
}
