package org.bmpexporter.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.config.HostPort;
import org.bmpexporter.testing.OracleCounter;

/**
 * A real exporter on loopback (BMP and HTTP on port 0) for the API and status page tests, fed by
 * TCP sessions from distinct 127.0.x.y source addresses (each its own router).
 */
final class LiveExporter implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final BmpExporter exporter;

  /** Whether a second BMP listener on [::1] is running (the host has IPv6 loopback). */
  final boolean ipv6;

  private final List<Socket> sockets = new ArrayList<>();

  private LiveExporter(BmpExporter exporter, boolean ipv6) {
    this.exporter = exporter;
    this.ipv6 = ipv6;
  }

  /** Starts an exporter listening for BMP on 127.0.0.1 and, if the host has it, on [::1]. */
  static LiveExporter start() throws Exception {
    return start(c -> c);
  }

  /** As {@link #start()}, with the configuration changed by {@code configure} first. */
  static LiveExporter start(UnaryOperator<ExporterConfig> configure) throws Exception {
    boolean v6 = ipv6LoopbackUsable();
    List<HostPort> listen = new ArrayList<>(List.of(new HostPort("127.0.0.1", 0)));
    if (v6) {
      listen.add(new HostPort("::1", 0));
    }
    return new LiveExporter(
        BmpExporter.start(
            configure.apply(
                ExporterConfig.defaults()
                    .withWarmup(false)
                    .withBmpListen(listen)
                    .withWebListen(new HostPort("127.0.0.1", 0)))),
        v6);
  }

  private static boolean ipv6LoopbackUsable() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static byte[] lab(String name) throws IOException {
    try (InputStream in = LiveExporter.class.getResourceAsStream("/lab/" + name)) {
      if (in == null) {
        throw new IOException("missing test resource /lab/" + name);
      }
      return in.readAllBytes();
    }
  }

  /** BMP messages in a stream, counted independently of the exporter. */
  static long messages(byte[] stream) {
    return OracleCounter.count(stream).messagesByType.values().stream().mapToLong(i -> i).sum();
  }

  int webPort() {
    return exporter.webPort();
  }

  String base() {
    return "http://127.0.0.1:" + webPort();
  }

  /**
   * Opens a BMP session from {@code source} (a 127/8 address, or ::1 for the IPv6 listener) and
   * sends {@code chunks}; the session stays open until {@link #close()} or the caller closes the
   * returned socket.
   */
  Socket send(String source, byte[]... chunks) throws IOException {
    InetAddress from = InetAddress.getByName(source);
    boolean v6 = source.contains(":");
    if (v6 && !ipv6) {
      throw new IllegalStateException("no IPv6 BMP listener");
    }
    Socket s = new Socket();
    synchronized (sockets) {
      sockets.add(s);
    }
    s.bind(new InetSocketAddress(from, 0));
    s.connect(
        new InetSocketAddress(v6 ? "::1" : "127.0.0.1", exporter.bmpPorts().get(v6 ? 1 : 0)), 5000);
    OutputStream out = s.getOutputStream();
    for (byte[] c : chunks) {
      out.write(c);
    }
    out.flush();
    return s;
  }

  HttpResponse<String> get(String path) {
    return request("GET", path);
  }

  /** Sends {@code method path} with {@code headers} (name, value, name, value, ...). */
  HttpResponse<String> request(String method, String path, String... headers) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base() + path))
              .timeout(Duration.ofSeconds(20))
              .method(method, HttpRequest.BodyPublishers.noBody());
      if (headers.length > 0) {
        b.headers(headers);
      }
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * The whole response to {@code requestLine} ("GET /path") sent by hand, for targets that
   * java.net.URI refuses (a malformed escape, "*", a path without its leading '/').
   */
  String raw(String requestLine) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", webPort()), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              (requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  JsonNode json(String path) {
    HttpResponse<String> r = get(path);
    if (r.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
    }
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " is not JSON: " + r.body(), e);
    }
  }

  /** The router's entry in {@code /api/v1/routers}, or null. */
  JsonNode router(String label) {
    for (JsonNode r : json("/api/v1/routers").path("routers")) {
      if (label.equals(r.path("router").asText())) {
        return r;
      }
    }
    return null;
  }

  /** Polls the API (every 100 ms, at most {@code timeout}) until the router passes the test. */
  JsonNode awaitRouter(String label, Duration timeout, String what, Predicate<JsonNode> test) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (true) {
      last = router(label);
      if (last != null && test.test(last)) {
        return last;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "router " + label + ": " + what + " not seen within " + timeout + "; last: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /** Waits until the API counts exactly {@code n} messages for the router. */
  JsonNode awaitMessages(String label, long n) {
    return awaitRouter(
        label,
        Duration.ofSeconds(30),
        n + " messages",
        r -> {
          long sum = 0;
          for (JsonNode v : r.path("messages")) {
            sum += v.asLong();
          }
          return sum == n;
        });
  }

  @Override
  public void close() {
    synchronized (sockets) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
    exporter.close();
  }
}
