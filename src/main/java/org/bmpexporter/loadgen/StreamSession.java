package org.bmpexporter.loadgen;

import java.io.IOException;
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

  /** A stream and what it contains. */
  record Stream(String name, byte[] data, int length, StreamTracker counts) {}

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
    for (int off = 0; off < stream.length(); off += SLICE) {
      sink.write(stream.data(), off, Math.min(SLICE, stream.length() - off));
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
