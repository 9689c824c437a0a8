package org.bmpexporter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bmpexporter.testing.Bmp.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.bgp.SessionFacts;
import org.bmpexporter.bgp.UpdateDecoder;
import org.bmpexporter.codec.BmpProtocolException;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.codec.ErrorListener;
import org.bmpexporter.codec.Quirk;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.LegacyBmp;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the whole decoding layer with Jazzer. Arbitrary bytes go through {@link BmpFramer},
 * {@link BmpDecoder} and {@link UpdateDecoder} (with the {@link SessionFacts} of the last fuzzed
 * Peer Up), and through {@link BmpSession}. Properties checked for every input:
 *
 * <ul>
 *   <li>only {@link BmpProtocolException} escapes, and only from framing (a fatal error); the
 *       decoders themselves never throw;
 *   <li>decoding one frame allocates at most {@link #allocationBound} bytes (measured with {@code
 *       ThreadMXBean.getCurrentThreadAllocatedBytes});
 *   <li>every input is done within {@link #TIMEOUT_MS} (no endless loop).
 * </ul>
 *
 * <p>Without {@code JAZZER_FUZZ} the fuzz tests run as regression tests over the seeds and past
 * findings in {@code src/test/resources/org/bmpexporter/wire/BmpDecoderFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} they fuzz for real (see docs/fuzzing.md).
 */
@ComponentTest
class BmpDecoderFuzzTest {

  static {
    // The session target would log every input's first errors and its close: millions of lines
    // when fuzzing. Must be set before BmpSession's logger is made (slf4j-simple reads it then).
    System.setProperty("org.slf4j.simpleLogger.log.org.bmpexporter.session.BmpSession", "error");
  }

  static final int MAX_MESSAGE = 1 << 16;

  /** Generous for a shared 2-core machine: a frame of at most 64 KiB decodes in milliseconds. */
  static final long TIMEOUT_MS = 5_000;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * The most one frame of {@code length} bytes may make the decoders allocate.
   *
   * <p>64 KiB covers the fixed cost of one message whatever its size: the decoded records, the Peer
   * Up's two {@code BgpOpen}s with their lists and maps (a few KiB), and the error detail strings
   * (a bounded number per message: at most one detailed string per error kind and part type). 16
   * bytes per frame byte covers what grows with the frame. The densest structures are: an empty
   * information TLV (4 bytes) that becomes an {@code InfoTlv} object of 24 bytes plus its list
   * slots (about 40 bytes: 10 per byte); a 4-byte statistics counter TLV (8 bytes) that becomes a
   * 32-byte {@code StatEntry} plus list slots (7 per byte); a multiprotocol capability (6 bytes)
   * that becomes a boxed family plus list slots (6 per byte); the Route Monitoring UPDATE, copied
   * once (1 per byte). Distinct ADD-PATH families and unknown capability codes are bounded per
   * OPEN, so their maps and lists stay within the fixed part. Route keys and NLRI never allocate. A
   * decoder that allocated by a length field it read, rather than by the bytes it was given, would
   * break this bound at once.
   */
  static long allocationBound(int length) {
    return 16L * length + 64 * 1024;
  }

  // ------------------------------------------------------------------ fuzz targets

  @FuzzTest(maxDuration = "5m")
  void framerAndDecoders(byte[] data) throws Throwable {
    withTimeout(() -> new Harness().all(data));
  }

  @FuzzTest(maxDuration = "5m")
  void session(byte[] data) throws Throwable {
    withTimeout(() -> sessionOf(data));
  }

  /** The bytes as a BMP stream, as one frame made to fit, and as a bare BGP UPDATE. */
  static final class Harness implements ErrorListener, NlriSink {
    final UpdateDecoder updates = new UpdateDecoder();
    SessionFacts facts = SessionFacts.UNKNOWN;
    int errors;
    int quirks;
    int routes;

    void all(byte[] data) {
      // 1. a stream, split in two where the last byte says (so reads are fuzzed too)
      BmpFramer framer = new BmpFramer(MAX_MESSAGE);
      int split = data.length == 0 ? 0 : (data[data.length - 1] & 0xff) % (data.length + 1);
      try {
        framer.feed(data, 0, split, this::frame);
        framer.feed(data, split, data.length - split, this::frame);
      } catch (BmpProtocolException e) {
        assertThat(e.error().fatal()).as("only framing errors escape the framer: %s", e).isTrue();
      }
      // 2. one frame whose common header length is made to fit: reaches every message body
      if (data.length >= 6 && data.length <= MAX_MESSAGE) {
        byte[] f = data.clone();
        f[0] = (byte) (f[0] == 4 ? 4 : 3); // version 4 where the input says so, else 3
        f[1] = 0;
        f[2] = (byte) (f.length >>> 16);
        f[3] = (byte) (f.length >>> 8);
        f[4] = (byte) f.length;
        frame(f, 0, f.length);
      }
      // 3. a bare UPDATE: reaches the UPDATE walker without BMP framing
      Rib rib = Rib.of((data.length > 0 ? data[0] & 0xff : 0) % Rib.values().length);
      updates.decode(
          data, 0, data.length, rib.direction(), facts, (data.length & 1) == 1, this, this); // warm
      long before = THREADS.getCurrentThreadAllocatedBytes();
      updates.decode(
          data, 0, data.length, rib.direction(), facts, (data.length & 1) == 1, this, this);
      long used = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertThat(used)
          .as("bytes allocated by the UPDATE walker for %d bytes", data.length)
          .isLessThanOrEqualTo(allocationBound(data.length));
    }

    void frame(byte[] b, int off, int len) {
      decodeOnce(b, off, len); // warm: first-use class loading and call-site linking
      int reasonsBefore = errors + quirks;
      long before = THREADS.getCurrentThreadAllocatedBytes();
      BmpMessage m = decodeOnce(b, off, len);
      long used = THREADS.getCurrentThreadAllocatedBytes() - before;
      assertThat(used)
          .as("bytes allocated decoding a %d-byte frame (%s)", len, m == null ? null : m.type())
          .isLessThanOrEqualTo(allocationBound(len));
      if (m == null) {
        // an error, or a known quirk such as FRR's all-zero Peer Up header (counted, skipped)
        assertThat(errors + quirks)
            .as("a frame that yields no message reports why")
            .isGreaterThan(reasonsBefore);
      }
    }

    BmpMessage decodeOnce(byte[] b, int off, int len) {
      BmpMessage m = BmpDecoder.decode(b, off, len, this);
      if (m instanceof BmpMessage.PeerUp up) {
        facts = new SessionFacts(up.sentOpen(), up.receivedOpen());
      } else if (m instanceof BmpMessage.RouteMonitoring rm) {
        byte[] u = rm.updateBytes();
        PerPeerHeader h = rm.peer();
        updates.decode(u, 0, u.length, h.rib().direction(), facts, h.legacyAsPath(), this, this);
      }
      return m;
    }

    @Override
    public void error(DecodeError error, String detail) {
      errors++;
    }

    @Override
    public void quirk(Quirk quirk, String detail) {
      quirks++;
    }

    @Override
    public void route(int family, boolean announce, long pathId, byte[] key, int off, int len) {
      routes++;
    }

    @Override
    public void endOfRib(int family) {}
  }

  static void sessionOf(byte[] data) {
    RouterState router = new RouterState("fuzz", "fuzz", Runnable::run);
    BmpSession session = new BmpSession(router, MAX_MESSAGE, () -> 0.0);
    session.open();
    int split = data.length == 0 ? 0 : (data[0] & 0xff) % (data.length + 1);
    try {
      session.feed(data, 0, split);
      session.feed(data, split, data.length - split);
    } catch (BmpProtocolException e) {
      assertThat(e.error().fatal()).as("only framing errors end a session: %s", e).isTrue();
    }
    Snapshots.Router snap = router.snapshot();
    long total = 0;
    for (Snapshots.Peer p : snap.peers()) {
      for (Snapshots.Table t : p.tables()) {
        assertThat(t.routes()).isBetween(0L, t.announcements());
        total += t.routes();
      }
    }
    assertThat(router.routes()).isEqualTo(total);
    session.close("end of input");
    assertThat(router.routes()).isZero();
  }

  // ------------------------------------------------------------------ timeout

  private static volatile Thread workerThread;
  private static ExecutorService worker = newWorker();

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "fuzz-worker");
          t.setDaemon(true);
          workerThread = t;
          return t;
        });
  }

  /** Runs one input on a worker thread; an input still running after the timeout fails. */
  static synchronized void withTimeout(Runnable input) throws Throwable {
    Future<?> f = worker.submit(input);
    try {
      f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    } catch (TimeoutException e) {
      StackTraceElement[] where = workerThread.getStackTrace();
      worker.shutdownNow(); // the stuck thread is a daemon; later inputs get a fresh one
      worker = newWorker();
      AssertionError loop = new AssertionError("input still decoding after " + TIMEOUT_MS + " ms");
      loop.setStackTrace(where);
      throw loop;
    }
  }

  // ------------------------------------------------------------------ adversarial sizes

  static byte[][] repeat(int n, byte[] one) {
    byte[][] all = new byte[n][];
    Arrays.fill(all, one);
    return all;
  }

  /** Frames of about 60 KB built from the densest structures each message type has. */
  static List<byte[]> adversarialFrames() {
    List<byte[]> frames = new ArrayList<>();
    frames.add(initiation(repeat(15_000, tlv(60_000, new byte[0]))));
    frames.add(initiation(repeat(15_000, tlv(0, new byte[0]))));
    frames.add(termination(repeat(15_000, tlv(7, new byte[0]))));
    frames.add(mirroring(peer(), repeat(15_000, tlv(7, new byte[0]))));
    frames.add(statistics(peer(), repeat(15_000, tlv(40_000, new byte[0]))));
    frames.add(statistics(peer(), repeat(15_000, tlv(9, new byte[0]))));
    frames.add(statistics(peer(), repeat(7_500, stat32(0, 1))));
    byte[] o = open(1, 90, "192.0.2.1");
    frames.add(
        peerUp(
            peer(),
            "192.0.2.1",
            1,
            2,
            openExtendedParams(1, 90, "192.0.2.1", repeat(20_000, cap(200, new byte[0]))),
            o));
    byte[][] mp = new byte[9_000][];
    for (int i = 0; i < mp.length; i++) {
      mp[i] = capMultiprotocol(1000 + i, 1);
    }
    frames.add(peerUp(peer(), "192.0.2.1", 1, 2, openExtendedParams(1, 90, "192.0.2.1", mp), o));
    byte[][] addPath = new byte[250][];
    for (int c = 0; c < addPath.length; c++) {
      int[] tuples = new int[3 * 63];
      for (int i = 0; i < 63; i++) {
        tuples[3 * i] = 1000 + c * 63 + i;
        tuples[3 * i + 1] = 1;
        tuples[3 * i + 2] = 3;
      }
      addPath[c] = capAddPath(tuples);
    }
    frames.add(
        peerUp(peer(), "192.0.2.1", 1, 2, openExtendedParams(1, 90, "192.0.2.1", addPath), o));
    frames.add(routeMonitoring(peer(), update(new byte[0], basicAttributes(), new byte[65_000])));
    frames.add(
        routeMonitoring(
            peer(),
            update(new byte[0], concat(repeat(20_000, attr(0x40, 1, new byte[0]))), new byte[0])));
    frames.add(
        routeMonitoring(
            peer(), update(new byte[0], concat(repeat(13_000, hex("c0 08 01 00"))), new byte[0])));
    frames.add(
        routeMonitoring(
            peer(), update(new byte[0], concat(repeat(10_000, mpUnreach(3, 1))), new byte[0])));
    frames.add(peerDown(peer(), 1, notification(6, 2, new byte[65_000])));
    frames.add(bmp(100, new byte[65_000]));
    // a route policy trace of 255 events (the most a trace has), each with 8 one-letter policies
    String[] policies = new String[16];
    Arrays.fill(policies, "a");
    byte[][] events = new byte[255][];
    Arrays.fill(events, LegacyBmp.event(1, 0, 1, 1, LegacyBmp.policy(1, "192.0.2.1", policies)));
    frames.add(LegacyBmp.trace(0, 0, "192.0.2.0", 24, 0, events));
    return frames;
  }

  @Test
  void adversarialFramesStayWithinTheAllocationBound() {
    assumeTrue(
        THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
    List<String> over = new ArrayList<>();
    for (byte[] f : adversarialFrames()) {
      Harness h = new Harness();
      h.decodeOnce(f, 0, f.length);
      long before = THREADS.getCurrentThreadAllocatedBytes();
      BmpMessage m = h.decodeOnce(f, 0, f.length);
      long used = THREADS.getCurrentThreadAllocatedBytes() - before;
      if (used > allocationBound(f.length)) {
        over.add(
            String.format(
                "%s of %d bytes: %d bytes allocated (%.1f per byte)",
                m == null ? "null" : m.type(), f.length, used, (double) used / f.length));
      }
    }
    assertThat(over).as("frames over 16 x length + 64 KiB").isEmpty();
  }

  @Test
  void adversarialFramesRunThroughBothTargets() throws Throwable {
    for (byte[] f : adversarialFrames()) {
      withTimeout(() -> new Harness().all(f));
      withTimeout(() -> sessionOf(f));
    }
  }
}
