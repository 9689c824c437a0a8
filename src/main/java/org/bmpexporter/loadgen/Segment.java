package org.bmpexporter.loadgen;

import java.util.ArrayList;
import java.util.List;
import org.bmpexporter.codec.ByteWriter;

/**
 * Pre-encoded BMP bytes (a list of large chunks) with what they contain: messages per type, bytes
 * and, for one peer slot, prefixes announced / withdrawn and End-of-RIB markers per rib and AFI.
 * Immutable once built; shared by every router session that sends it.
 */
public final class Segment {
  public final List<byte[]> chunks;
  public final long bytes;
  public final long[] messages;

  /** Peer slot (0..P-1, P = the Loc-RIB instance) whose routes this holds; -1 for none. */
  public final int slot;

  public final long[][] announced;
  public final long[][] withdrawn;
  public final boolean[][] endOfRib;

  Segment(
      List<byte[]> chunks,
      long[] messages,
      int slot,
      long[][] announced,
      long[][] withdrawn,
      boolean[][] endOfRib) {
    this.chunks = List.copyOf(chunks);
    long n = 0;
    for (byte[] c : chunks) {
      n += c.length;
    }
    this.bytes = n;
    this.messages = messages.clone();
    this.slot = slot;
    this.announced = announced;
    this.withdrawn = withdrawn;
    this.endOfRib = endOfRib;
  }

  public long prefixesAnnounced() {
    long n = 0;
    for (long[] r : announced) {
      for (long x : r) {
        n += x;
      }
    }
    return n;
  }

  /** Writes into {@link Emitter}-built chunks of about {@code chunkSize} bytes. */
  static final class Builder {
    final int chunkSize;
    final List<byte[]> chunks = new ArrayList<>();

    Builder(int chunkSize) {
      this.chunkSize = chunkSize;
    }

    void cut(ByteWriter b, boolean force) {
      if (b.size() >= chunkSize || force && b.size() > 0) {
        chunks.add(b.toByteArray());
        b.reset();
      }
    }
  }
}
