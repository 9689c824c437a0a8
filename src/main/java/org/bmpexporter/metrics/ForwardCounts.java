package org.bmpexporter.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What forwarding to each destination ({@code bmp.forward}) did: updated from the routers' event
 * loops, read at scrape time. Any forwarder (TCP relay, a message bus) counts through it.
 */
public final class ForwardCounts {
  private final List<Destination> destinations = new CopyOnWriteArrayList<>();

  /** Adds a destination (its {@code destination} label value); every series starts at 0. */
  public Destination add(String destination) {
    Destination d = new Destination(destination);
    destinations.add(d);
    return d;
  }

  public List<Destination> destinations() {
    return List.copyOf(destinations);
  }

  /** One destination's counts. */
  public static final class Destination {
    private final String label;
    private final LongAdder droppedMessages = new LongAdder();
    private final LongAdder droppedBytes = new LongAdder();
    private final LongAdder forwardedMessages = new LongAdder();
    private final LongAdder forwardedBytes = new LongAdder();
    private final LongAdder connectFailures = new LongAdder();
    private final LongAdder replayedStarts = new LongAdder();
    private final LongAdder bufferedBytes = new LongAdder();
    private final AtomicInteger sessions = new AtomicInteger();

    private Destination(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public void dropped(long messages, long bytes) {
      droppedMessages.add(messages);
      droppedBytes.add(bytes);
    }

    public void forwarded(int bytes) {
      forwardedMessages.increment();
      forwardedBytes.add(bytes);
    }

    /** {@code messages} written together, {@code bytes} in all. */
    public void forwarded(long messages, long bytes) {
      forwardedMessages.add(messages);
      forwardedBytes.add(bytes);
    }

    public void connectFailed() {
      connectFailures.increment();
    }

    public void replayedStart() {
      replayedStarts.increment();
    }

    /** Bytes added to (positive) or taken from (negative) the buffers. */
    public void buffered(long delta) {
      bufferedBytes.add(delta);
    }

    public void sessionOpened() {
      sessions.incrementAndGet();
    }

    public void sessionClosed() {
      sessions.decrementAndGet();
    }

    public long droppedMessages() {
      return droppedMessages.sum();
    }

    public long droppedBytes() {
      return droppedBytes.sum();
    }

    public long forwardedMessages() {
      return forwardedMessages.sum();
    }

    public long forwardedBytes() {
      return forwardedBytes.sum();
    }

    public long connectFailures() {
      return connectFailures.sum();
    }

    public long replayedStarts() {
      return replayedStarts.sum();
    }

    public long bufferedBytes() {
      return bufferedBytes.sum();
    }

    public int sessions() {
      return sessions.get();
    }
  }
}
