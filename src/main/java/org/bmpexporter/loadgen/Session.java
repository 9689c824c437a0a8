package org.bmpexporter.loadgen;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One BMP session (one router): opens its sink, sends its stream, records what it sent, then holds
 * the connection open (so a collector keeps the routes while they are counted), sends its closing
 * messages and ends the stream. Subclasses produce the bytes.
 */
abstract class Session implements Runnable {
  /** Opens the sink of session {@code index} and names the router it appears as. */
  interface SinkFactory {
    Sink open(int index) throws IOException;

    String router(int index);

    /** The output file of the session, or null for TCP. */
    String output(int index);
  }

  final int index;
  final SinkFactory sinks;
  final RunControl rc;
  final double holdSeconds;
  final CountDownLatch reachedHold;

  final String router;
  final String output;
  volatile String sourceAddress;
  volatile long dumpDoneNanos;
  volatile long dumpPrefixes;
  volatile String error;
  volatile boolean holding;

  /** What was sent so far; replaced (never mutated) so the report can read it any time. */
  volatile Result result;

  private Sink sink;

  /** An immutable view of what the session sent. */
  record Result(
      long bytes,
      long firstByteNanos,
      long firstByteEpochMillis,
      long lastByteNanos,
      long[] messages,
      List<PeerReport> peers) {}

  Session(
      int index, SinkFactory sinks, RunControl rc, double holdSeconds, CountDownLatch reachedHold) {
    this.index = index;
    this.sinks = sinks;
    this.rc = rc;
    this.holdSeconds = holdSeconds;
    this.reachedHold = reachedHold;
    this.router = sinks.router(index);
    this.output = sinks.output(index);
  }

  /** Sends everything up to the hold point. */
  abstract void send(Sink sink) throws IOException, InterruptedException;

  /** Messages sent per type (index {@link Labels#typeIndex}); a fresh array. */
  abstract long[] messages();

  /** Per-peer counts of what was sent and is present now; fresh objects. */
  abstract List<PeerReport> peerReports();

  /** Sends the closing messages (e.g. Termination) after the hold. */
  abstract void close(Sink sink) throws IOException;

  @Override
  public final void run() {
    boolean counted = false;
    boolean connectDone = false;
    try {
      rc.awaitConnectTurn(index);
      try {
        sink = sinks.open(index);
      } finally {
        rc.connectDone(index);
        connectDone = true;
      }
      if (sink instanceof Sink.Tcp t) {
        sourceAddress = t.localAddress();
      }
      rc.open.add(sink);
      rc.awaitAllConnected();
      if (rc.expired()) {
        throw new ClosedChannelException();
      }
      send(sink);
      snapshot();
      holding = true;
      reachedHold.countDown();
      counted = true;
      if (holdSeconds > 0) {
        rc.hold(holdSeconds);
      }
      holding = false;
      if (!rc.expired()) {
        close(sink);
        sink.finish();
      }
    } catch (IOException e) {
      error = rc.deadlinePassed ? "stopped at --max-seconds" : e.toString();
    } catch (InterruptedException e) {
      error = "interrupted";
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      error = e.toString();
    } finally {
      if (!connectDone) {
        rc.connectDone(index);
      }
      if (sink != null) {
        rc.open.remove(sink);
        sink.close();
      }
      snapshot();
      if (!counted) {
        reachedHold.countDown();
      }
    }
  }

  private void snapshot() {
    Sink s = sink;
    result =
        s == null
            ? new Result(0, 0, 0, 0, messages(), peerReports())
            : new Result(
                s.bytes,
                s.firstByteNanos,
                s.firstByteEpochMillis,
                s.lastByteNanos,
                messages(),
                peerReports());
  }

  void markDumpDone(Sink s) {
    dumpDoneNanos = s.lastByteNanos == 0 ? System.nanoTime() : s.lastByteNanos;
  }
}
