package org.bmpexporter.interop;

import com.sun.net.httpserver.HttpServer;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the exporter, in the test JVM: accepts BMP on the configured listen endpoints
 * (and connects out to {@code connect} endpoints, reconnecting every second), writes every
 * connection's bytes unbuffered to its own file {@code <dir>/<router>-<n>.bin} (router = the
 * session's remote address), and serves {@code /metrics} (the {@link BmpModel} reference model of
 * the contract), {@code /healthz} and {@code /readyz} over HTTP.
 *
 * <p>It proves that the routers connect and send BMP before the exporter exists, and lets the
 * scenarios run end to end against the contract ({@code -Dinterop.collector=standin}); it is not
 * the product.
 */
public final class StandinCollector implements BmpCollector {
  private final Config config;
  private final Path dir;
  private final BmpModel model = new BmpModel();
  private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Map<String, List<Path>> recordings = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perRouter = new ConcurrentHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong();
  private volatile boolean closed;
  private HttpServer http;

  public StandinCollector(Config config, Path dir) {
    this.config = config;
    this.dir = dir;
  }

  @Override
  public Config config() {
    return config;
  }

  public StandinCollector start() {
    try {
      Files.createDirectories(dir);
      for (Endpoint e : config.bmpListen()) {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(e.host(), e.port()));
        servers.add(s);
        daemon("standin-accept-" + e, () -> acceptLoop(s));
      }
      for (Endpoint e : config.connect()) {
        daemon("standin-connect-" + e, () -> connectLoop(e));
      }
      http = HttpServer.create(new InetSocketAddress(config.web().host(), config.web().port()), 16);
      http.createContext("/metrics", ex -> respond(ex, model.render()));
      http.createContext("/healthz", ex -> respond(ex, "ok\n"));
      http.createContext("/readyz", ex -> respond(ex, "ready\n"));
      http.start();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("stand-in collector cannot listen", e);
    }
    return this;
  }

  private static void respond(com.sun.net.httpserver.HttpExchange ex, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    ex.sendResponseHeaders(200, b.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(b);
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private void acceptLoop(ServerSocket s) {
    while (!closed) {
      try {
        Socket c = s.accept();
        daemon("standin-session-" + c.getRemoteSocketAddress(), () -> session(c));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void connectLoop(Endpoint e) {
    while (!closed) {
      try {
        Socket c = new Socket();
        c.connect(new InetSocketAddress(e.host(), e.port()), 2000);
        session(c);
      } catch (IOException ex) {
        // not listening yet: retry
      }
      if (!closed) {
        Await.sleep(Duration.ofSeconds(1));
      }
    }
  }

  private void session(Socket c) {
    sockets.add(c);
    String router = BmpWire.compress(c.getInetAddress().getHostAddress());
    int n = perRouter.computeIfAbsent(router, k -> new AtomicInteger()).incrementAndGet();
    Path file = dir.resolve(router.replace(':', '_') + "-" + n + ".bin");
    recordings.computeIfAbsent(router, k -> new CopyOnWriteArrayList<>()).add(file);
    long id = sessionIds.incrementAndGet();
    model.opened(router, id);
    BmpWire.Framer framer = new BmpWire.Framer();
    try (c; InputStream in = c.getInputStream(); FileOutputStream out = new FileOutputStream(file.toFile())) {
      byte[] buf = new byte[64 * 1024];
      int r;
      while ((r = in.read(buf)) > 0) {
        out.write(buf, 0, r);
        model.bytes(router, id, r);
        framer.feed(buf, 0, r, m -> model.message(router, id, m));
      }
    } catch (IOException | RuntimeException e) {
      // connection reset, or a stream the walker cannot frame: the session ends here
    } finally {
      model.closed(router, id);
      sockets.remove(c);
    }
  }

  /** Recorded streams from a router (by session source address), oldest first. */
  public List<Path> recordings(String router) {
    return new ArrayList<>(recordings.getOrDefault(router, List.of()));
  }

  /** All messages recorded so far from a router, over all its sessions. */
  public List<BmpWire.Message> messages(String router) {
    List<BmpWire.Message> out = new ArrayList<>();
    for (Path p : recordings(router)) {
      try {
        out.addAll(BmpWire.split(Files.readAllBytes(p)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  @Override
  public void close() {
    closed = true;
    for (ServerSocket s : servers) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    if (http != null) {
      http.stop(0);
    }
  }

  @Override
  public String toString() {
    return "stand-in collector " + config;
  }
}
