package org.bmpexporter.server;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.metrics.BmpCollector;
import org.bmpexporter.metrics.SessionCounts;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.synthetic.WarmupStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up warm-up of the decode path. After a restart every router reconnects and dumps its full
 * tables at once; in a fresh JVM the first of those tables is decoded by interpreted and profiling
 * code, three to five times slower than once HotSpot has compiled the path. So, once the listeners
 * are bound, a background thread feeds a synthetic session ({@link WarmupStream}) through the same
 * classes a live session uses: framer, decoder, UPDATE walker, route tables. Its state lives in a
 * registry of its own that nothing scrapes and is dropped afterwards; routers that connect
 * meanwhile are served as usual.
 *
 * <p>Then the same stream goes through the network read path: a loopback listener of the warm-up's
 * own, on the exporter's event loops, with the session handler routers get. Without it the first
 * real table still paid for compiling Netty's and Vert.x's read and buffer code, which took as much
 * CPU as the ingest itself on a two-core machine.
 */
final class Warmup {
  private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

  /** Per RIB and peer; the session holds about 11 times as many route operations. */
  static final int IPV4_PREFIXES = 60_000;

  static final int IPV6_PREFIXES = 15_000;
  static final int MAX_ROUNDS = 6;

  /** Stop after this much time even if rounds are left (a loaded or slow machine). */
  static final long MAX_MILLIS = 4_000;

  /** The size of the reads the warm-up feeds, as TCP reads arrive. */
  private static final int READ_BYTES = 64 * 1024;

  /** Scrape encodings of the synthetic router per decode round. */
  static final int EXPOSITIONS_PER_ROUND = 40;

  /** Loopback sessions at once through the network path, per event loop. */
  static final int NETWORK_PARALLEL_PER_LOOP = 2;

  /** Rounds of parallel loopback sessions at least. */
  static final int NETWORK_MIN_ROUNDS = 2;

  /** Rounds at most, however busy the compiler stays (with the time bound, whichever is first). */
  static final int NETWORK_MAX_ROUNDS = 16;

  /** One write in this many is a large one (64 KiB). */
  static final int NETWORK_LARGE_EVERY = 32;

  /**
   * The network phase sends a small piece and waits until the session has read it before the next:
   * the read path runs once per read, not per message, and is only compiled after thousands of
   * reads. Sent at once, the stream piles up in the socket and is read 64 KiB at a time, a few
   * hundred reads in all.
   */
  static final int NETWORK_WRITE_BYTES = 1024;

  /** Bound on the network phase, on top of the decode phase's. */
  static final long NETWORK_MAX_MILLIS = 6_000;

  /** Compiler time during one loopback session below which the compiler is taken as caught up. */
  static final long JIT_QUIET_MILLIS = 20;

  /**
   * What the network phase did: sessions that ran to their end, bytes read and bytes sent, the
   * event loops that read them, and the exporter-like pages it scraped meanwhile.
   */
  record Network(int sessions, long bytes, long sentBytes, int eventLoops, long scrapes) {}

  /** What one warm-up did. */
  record Result(
      int rounds, long routeOperations, long decodeErrors, long millis, int networkSessions) {}

  private Warmup() {}

  /** Runs the warm-up on a daemon thread of low priority; the future completes when it ends. */
  // low priority is deliberate: the warm-up must not compete with the first real sessions
  @SuppressWarnings("ThreadPriorityCheck")
  static CompletableFuture<Result> startInBackground(
      Vertx vertx, ExporterConfig config, PrometheusRegistry ownMetrics) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                Result decode = run(config.maxMessageBytes(), MAX_ROUNDS, MAX_MILLIS);
                long t0 = System.nanoTime();
                int network =
                    runNetwork(vertx, config, ownMetrics, NETWORK_MAX_MILLIS, NETWORK_MAX_ROUNDS)
                        .sessions();
                Result r =
                    new Result(
                        decode.rounds(),
                        decode.routeOperations(),
                        decode.decodeErrors(),
                        decode.millis() + (System.nanoTime() - t0) / 1_000_000,
                        network);
                LOG.info(
                    "decode path warmed up: {} synthetic sessions, {} route operations, {}"
                        + " loopback sessions in {} ms",
                    r.rounds(),
                    r.routeOperations(),
                    r.networkSessions(),
                    r.millis());
                done.complete(r);
              } catch (RuntimeException | Error e) {
                LOG.warn(
                    "start-up warm-up failed (the exporter runs regardless): {}", e.toString());
                done.completeExceptionally(e);
              }
            },
            "bmp-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return done;
  }

  /** Feeds up to {@code rounds} synthetic sessions, stopping after {@code maxMillis}. */
  static Result run(int maxMessageBytes, int rounds, long maxMillis) {
    long t0 = System.nanoTime();
    long deadline = t0 + maxMillis * 1_000_000L;
    byte[] stream = WarmupStream.session(IPV4_PREFIXES, IPV6_PREFIXES, 1);
    long operations = 0;
    long errors = 0;
    int done = 0;
    while (done < rounds && System.nanoTime() < deadline) {
      // A registry of its own per round: a fresh router each time, nothing carried over.
      RouterRegistry registry = new RouterRegistry(0);
      RouterState state = registry.attach("warmup", Runnable::run);
      BmpSession session = new BmpSession(state, maxMessageBytes, () -> 0.0);
      session.quiet();
      session.open();
      try {
        for (int off = 0; off < stream.length; off += READ_BYTES) {
          session.feed(stream, off, Math.min(READ_BYTES, stream.length - off));
        }
      } catch (BmpProtocolException e) {
        throw new IllegalStateException("the synthetic session does not decode: " + e, e);
      }
      Snapshots.Router snap = state.snapshot();
      expose(snap);
      for (Snapshots.Peer p : snap.peers()) {
        for (Snapshots.Table t : p.tables()) {
          operations += t.announcements() + t.withdrawals();
        }
      }
      errors += snap.decodeErrors().values().stream().mapToLong(Long::longValue).sum();
      session.close("warm-up done");
      registry.detach(state);
      done++;
    }
    return new Result(done, operations, errors, (System.nanoTime() - t0) / 1_000_000, 0);
  }

  /**
   * Encodes the router's series as a scrape does, {@link #EXPOSITIONS_PER_ROUND} times: the first
   * scrapes after a start (and a poller watching the first table) otherwise pay for compiling the
   * exposition code while the tables arrive.
   */
  private static void expose(Snapshots.Router snap) {
    ExpositionFormatWriter writer = ExpositionFormats.init().findWriter(null);
    try {
      for (int i = 0; i < EXPOSITIONS_PER_ROUND; i++) {
        writer.write(
            OutputStream.nullOutputStream(),
            BmpCollector.collect(List.of(snap)),
            EscapingScheme.fromAcceptHeader(null));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a null stream does not fail
    }
  }

  /**
   * Sends the synthetic session over loopback TCP to a listener of the warm-up's own, as {@link
   * #NETWORK_PARALLEL_PER_LOOP} sessions per event loop at once from their own loopback addresses
   * (several ready sockets per loop turn, as on a busy collector), round after round: at least
   * {@link #NETWORK_MIN_ROUNDS}, then while the compiler is still busy, until {@link
   * #NETWORK_MAX_ROUNDS} or {@code maxMillis}.
   */
  static Network runNetwork(Vertx vertx, ExporterConfig config, long maxMillis) {
    return runNetwork(vertx, config, new PrometheusRegistry(), maxMillis, NETWORK_MAX_ROUNDS);
  }

  /**
   * As {@link #runNetwork(Vertx, ExporterConfig, long)}, with at most {@code maxRounds}; the
   * warm-up's scrapes include {@code ownMetrics}, the exporter's own series.
   */
  static Network runNetwork(
      Vertx vertx,
      ExporterConfig config,
      PrometheusRegistry ownMetrics,
      long maxMillis,
      int maxRounds) {
    long deadline = System.nanoTime() + maxMillis * 1_000_000L;
    byte[] stream = WarmupStream.session(IPV4_PREFIXES / 4, IPV6_PREFIXES / 4, 2);
    RouterRegistry registry = new RouterRegistry(0);
    SessionCounts counts = new SessionCounts();
    Set<String> loops = new HashSet<>();
    SessionHandler handler = SessionHandler.forWarmup(vertx, config, registry, counts);
    // One server on each event loop, each on a port of its own; never the shared port -1 as the
    // BMP listeners: Vert.x would share it with a BMP listener configured on 127.0.0.1:0 and hand
    // routers' connections to the warm-up.
    NetServerOptions options =
        new NetServerOptions().setHost("127.0.0.1").setPort(0).setTcpNoDelay(true);
    List<NetServer> servers = new ArrayList<>();
    HttpWarmup http = null;
    long scrapes = 0;
    int sessions = 0;
    long sent = 0;
    try {
      List<Integer> ports = new ArrayList<>();
      for (ContextInternal loop : EventLoops.contexts(vertx)) {
        NetServer s = vertx.createNetServer(options).connectHandler(handler::accept);
        servers.add(BmpExporter.await(EventLoops.listen(s, loop), "warm-up listener"));
        ports.add(s.actualPort());
      }
      http = HttpWarmup.start(vertx, registry, ownMetrics, config, deadline);
      int parallel = NETWORK_PARALLEL_PER_LOOP * config.eventLoops();
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
      long jitBefore = 0;
      for (int round = 0; round < maxRounds && System.nanoTime() < deadline; round++) {
        // Past the minimum, one more round while the compiler is still busy: on a small machine
        // its queue holds seconds of work, and the thresholds of methods still waiting rise
        // with it, so code made hot here would otherwise be compiled during the first table.
        if (round >= NETWORK_MIN_ROUNDS
            && (!timed || jit.getTotalCompilationTime() - jitBefore < JIT_QUIET_MILLIS)) {
          break;
        }
        jitBefore = timed ? jit.getTotalCompilationTime() : 0;
        List<Socket> sockets = connect(ports, parallel);
        try {
          int step = 0;
          for (int off = 0; off < stream.length && System.nanoTime() < deadline; step++) {
            // the first half paced, one read per write; the rest at once, as a table arrives:
            // full reads, several per loop turn, buffers sized up
            boolean paced = off < stream.length / 2;
            int n = Math.min(paced ? writeBytes(step) : READ_BYTES, stream.length - off);
            for (Socket socket : sockets) {
              socket.getOutputStream().write(stream, off, n);
              sent += n;
            }
            off += n;
            while (paced && handler.bytesRead() < sent && System.nanoTime() < deadline) {
              Thread.onSpinWait();
            }
          }
          // every byte read before the sockets close; meanwhile the sessions show their loops
          while (handler.bytesRead() < sent && System.nanoTime() < deadline) {
            Thread.sleep(1);
          }
          loops.addAll(handler.eventLoops().values());
        } finally {
          for (Socket socket : sockets) {
            socket.close();
          }
        }
        // The next round must not look like these routers' second sessions: wait until each
        // was accepted and has ended.
        long expected = (long) sessions + sockets.size();
        while ((counts.accepted() < expected || counts.open() > 0)
            && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        if (counts.accepted() < expected || counts.open() > 0) {
          break;
        }
        sessions += sockets.size();
      }
    } catch (IOException e) {
      LOG.debug("network warm-up ended early: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("network warm-up not run: {}", e.toString());
    } finally {
      if (http != null) {
        http.stop();
        scrapes = http.scrapes();
      }
      for (NetServer s : servers) {
        s.close();
      }
    }
    return new Network(sessions, handler.bytesRead(), sent, loops.size(), scrapes);
  }

  /**
   * Mostly small writes, so that each is one read (the read path runs per read, and is compiled
   * only after thousands), with a large one now and then: the receive allocator sizes its buffers
   * by recent reads, and real tables arrive in reads of up to 64 KiB.
   */
  private static int writeBytes(int step) {
    return step % NETWORK_LARGE_EVERY == NETWORK_LARGE_EVERY - 1 ? READ_BYTES : NETWORK_WRITE_BYTES;
  }

  /**
   * {@code n} connections, spread over the {@code ports}, from 127.0.0.2, 127.0.0.3, … (each its
   * own router), or a single one from the default address where the system does not route all of
   * 127.0.0.0/8 to loopback.
   */
  private static List<Socket> connect(List<Integer> ports, int n) throws IOException {
    InetAddress server = InetAddress.getByName("127.0.0.1");
    List<Socket> sockets = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        InetAddress from = InetAddress.getByName("127.0.0." + (2 + i));
        Socket s = new Socket(server, ports.get(i % ports.size()), from, 0);
        s.setTcpNoDelay(true);
        sockets.add(s);
      }
    } catch (IOException e) {
      for (Socket s : sockets) {
        s.close();
      }
      sockets.clear();
      Socket s = new Socket(server, ports.get(0));
      s.setTcpNoDelay(true);
      sockets.add(s);
    }
    return sockets;
  }
}
