package org.bmpexporter.server;

import java.util.concurrent.CompletableFuture;
import org.bmpexporter.codec.BmpProtocolException;
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

  /** What one warm-up did. */
  record Result(int rounds, long routeOperations, long decodeErrors, long millis) {}

  private Warmup() {}

  /** Runs the warm-up on a daemon thread of low priority; the future completes when it ends. */
  // low priority is deliberate: the warm-up must not compete with the first real sessions
  @SuppressWarnings("ThreadPriorityCheck")
  static CompletableFuture<Result> startInBackground(int maxMessageBytes) {
    CompletableFuture<Result> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                Result r = run(maxMessageBytes, MAX_ROUNDS, MAX_MILLIS);
                LOG.info(
                    "decode path warmed up: {} synthetic sessions, {} route operations in {} ms",
                    r.rounds(),
                    r.routeOperations(),
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
    return new Result(done, operations, errors, (System.nanoTime() - t0) / 1_000_000);
  }
}
