package org.bmpexporter.loadgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.wire.MessageType;
import org.bmpexporter.wire.encode.BmpEncoder;

/**
 * A session that sends a prepared BMP stream as is (a recorded {@code .bin}, or an MRT dump
 * converted to BMP), in large slices. What it sent was counted once, before the timed phase, by a
 * {@link StreamTracker}; every parallel copy reports those counts.
 */
final class StreamSession extends Session {
  static final int SLICE = 1 << 20;

  /**
   * A stream and what it contains, its bytes held off the heap and shared by the sessions that send
   * it (each sends from a duplicate): a socket write from a direct buffer copies nothing in the
   * load generator, which shares the machine's cores with the collector it measures.
   */
  record Stream(String name, ByteBuffer bytes, StreamTracker counts) {
    /** The stream of {@code data[0..length)}, copied off the heap. */
    static Stream of(String name, byte[] data, int length, StreamTracker counts) {
      return new Stream(name, ByteBuffer.allocateDirect(length).put(data, 0, length), counts);
    }

    int length() {
      return bytes.capacity();
    }
  }

  private final Stream stream;
  private final boolean terminate;
  private boolean terminated;

  StreamSession(
      int index,
      SinkFactory sinks,
      RunControl rc,
      double holdSeconds,
      CountDownLatch reachedHold,
      Stream stream,
      boolean terminate) {
    super(index, sinks, rc, holdSeconds, reachedHold);
    this.stream = stream;
    this.terminate = terminate;
  }

  @Override
  void send(Sink sink) throws IOException {
    ByteBuffer bytes = stream.bytes().duplicate();
    for (int off = 0; off < stream.length(); off += SLICE) {
      bytes.limit(Math.min(off + SLICE, stream.length())).position(off);
      sink.write(bytes);
    }
    markDumpDone(sink);
    dumpPrefixes = totalAnnounced(stream.counts());
  }

  static long totalAnnounced(StreamTracker t) {
    long n = 0;
    for (PeerReport r : t.peerReports()) {
      for (var m : r.ribs.values()) {
        for (PeerReport.Table x : m.values()) {
          n += x.announced;
        }
      }
    }
    return n;
  }

  /** Sends a Termination (reason 0) after the hold: for MRT conversions, not for replays. */
  @Override
  void close(Sink sink) throws IOException {
    if (terminate) {
      ByteWriter b = new ByteWriter(16);
      BmpEncoder.termination(b, 0);
      sink.write(b);
      terminated = true;
    }
  }

  @Override
  long[] messages() {
    long[] m = stream.counts().messages.clone();
    if (terminated) {
      m[MessageType.TERMINATION.code()]++;
    }
    return m;
  }

  @Override
  List<PeerReport> peerReports() {
    return stream.counts().peerReports();
  }
}
