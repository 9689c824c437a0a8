package org.bmpexporter.capture;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects TCP segments per flow direction and reassembles them by sequence number.
 *
 * <p>Segments are not copied: each one is an (offset, length) reference into the capture bytes, so
 * memory stays proportional to the number of packets in the file. Reassembly happens once, at the
 * end:
 *
 * <ul>
 *   <li>sequence numbers are unwrapped to 64 bits relative to the previous segment (32-bit
 *       wraparound);
 *   <li>where segments overlap (retransmissions, repacketised data) the first captured copy of each
 *       byte wins and no byte is emitted twice;
 *   <li>out-of-order segments land where their sequence number says;
 *   <li>a hole no segment ever fills is skipped, counted in {@code gapBytes} and reported as a
 *       warning.
 * </ul>
 *
 * A SYN consumes one sequence number, except for the synthetic TCP found in replayed captures whose
 * first segment is flagged SYN, carries data and is followed by a segment at {@code seq + len} (not
 * {@code seq + 1 + len}).
 */
final class TcpReassembler {
  static final int TCP_SYN = 0x02;
  static final int TCP_FIN = 0x01;
  static final int TCP_RST = 0x04;

  /** A SYN whose sequence number is this far outside an open flow's data starts a new flow. */
  private static final long SAME_FLOW_WINDOW = 1L << 20;

  private static final int MAX_FLOW_WARNINGS = 32;

  private final byte[] data;
  private final Map<FlowKey, Flow> current = new HashMap<>();
  private final List<Flow> all = new ArrayList<>();

  TcpReassembler(byte[] data) {
    this.data = data;
  }

  /**
   * One TCP segment (header already parsed). {@code missing}: payload bytes the packet had but the
   * capture lost.
   */
  void segment(
      FlowKey key,
      byte[] addrData,
      int srcAddrOff,
      int dstAddrOff,
      int addrLen,
      long tsMicros,
      long packetNo,
      int seq,
      int flags,
      int payloadOff,
      int payloadLen,
      int missing) {
    Flow f = current.get(key);
    if ((flags & TCP_SYN) != 0 && f != null) {
      String why = f.startsNewFlowOnSyn(seq, current.get(key.reverse()));
      if (why != null) {
        Flow old = f;
        f = null;
        if (!why.isEmpty() && old.segments > 0) {
          old.warn("flow ended without FIN/RST: " + why + " at packet " + packetNo);
        }
      }
    }
    if (f == null) {
      f =
          new Flow(
              key,
              IpAddresses.format(addrData, srcAddrOff, addrLen),
              IpAddresses.format(addrData, dstAddrOff, addrLen),
              tsMicros);
      current.put(key, f);
      all.add(f);
    }
    f.add(seq, flags, payloadOff, payloadLen, missing);
    if ((flags & TCP_RST) != 0) {
      Flow rev = current.get(key.reverse());
      if (rev != null) {
        rev.rstSeen = true;
      }
    }
  }

  /** Attach a warning to the current flow for this key, creating it (without payload) if needed. */
  void flowWarning(
      FlowKey key,
      byte[] addrData,
      int srcAddrOff,
      int dstAddrOff,
      int addrLen,
      long tsMicros,
      String warning) {
    Flow f = current.get(key);
    if (f == null) {
      f =
          new Flow(
              key,
              IpAddresses.format(addrData, srcAddrOff, addrLen),
              IpAddresses.format(addrData, dstAddrOff, addrLen),
              tsMicros);
      current.put(key, f);
      all.add(f);
    }
    f.warn(warning);
  }

  /**
   * Reassembles every flow that carries payload, in order of first packet (ties: order of
   * appearance).
   *
   * @param streamWarnings capture-level warnings that may have affected any stream; appended to
   *     every flow
   */
  List<TcpFlow> finish(List<String> streamWarnings) {
    List<TcpFlow> out = new ArrayList<>();
    for (Flow f : all) {
      TcpFlow t = f.build(data, streamWarnings);
      if (t != null) {
        out.add(t);
      }
    }
    out.sort((a, b) -> Long.compare(a.firstTimestampMicros(), b.firstTimestampMicros())); // stable
    return out;
  }

  /** State of one flow direction. */
  private static final class Flow {
    final FlowKey key;
    final String src;
    final String dst;
    final long firstTs;

    // segments, in capture order
    int segments;
    long[] start = new long[8];
    int[] off = new int[8];
    int[] len = new int[8];
    boolean[] synData = new boolean[8];

    long minStart;
    long maxEnd;
    boolean hasRef;
    int lastSeq32;
    long lastSeq;

    boolean synSeen;
    int isn32;
    long isn;
    boolean finSeen;
    long finSeq;
    boolean rstSeen;

    long truncatedPackets;
    long truncatedBytes;
    long rstPayloadBytes;
    final List<String> warnings = new ArrayList<>();
    int droppedWarnings;

    Flow(FlowKey key, String src, String dst, long firstTs) {
      this.key = key;
      this.src = src;
      this.dst = dst;
      this.firstTs = firstTs;
    }

    void warn(String w) {
      if (warnings.size() < MAX_FLOW_WARNINGS) {
        warnings.add(w);
      } else {
        droppedWarnings++;
      }
    }

    long peekUnwrap(int seq32) {
      return hasRef ? lastSeq + (seq32 - lastSeq32) : (seq32 & 0xffffffffL);
    }

    long unwrap(int seq32) {
      long u = peekUnwrap(seq32);
      hasRef = true;
      lastSeq32 = seq32;
      lastSeq = u;
      return u;
    }

    /**
     * Whether a SYN with this sequence number starts a new flow on the same 4-tuple: null = no
     * (retransmitted SYN, or a late SYN of this flow), "" = yes, anything else = yes, and that is
     * why (the old flow was not closed).
     */
    String startsNewFlowOnSyn(int seq32, Flow reverse) {
      boolean closed =
          finSeen || rstSeen || (reverse != null && (reverse.finSeen || reverse.rstSeen));
      if (synSeen && seq32 == isn32) {
        // The same initial sequence number: a retransmitted SYN, unless the connection already
        // went past its SYN. Then the port numbers were reused (Wireshark's "TCP port numbers
        // reused"), as replay tools do when they send one capture twice with the same ISN.
        if (!dataAfterSyn() && !closed) {
          return null;
        }
        return closed
            ? ""
            : "new SYN with the same initial sequence number ("
                + Integer.toUnsignedString(seq32)
                + ") on the same 4-tuple";
      }
      if (segments == 0 || closed) {
        return "";
      }
      long u = peekUnwrap(seq32);
      if (!synSeen && u >= minStart - SAME_FLOW_WINDOW && u <= maxEnd + SAME_FLOW_WINDOW) {
        return null; // the SYN of this very flow, captured late
      }
      return "new SYN (seq " + Integer.toUnsignedString(seq32) + ") on the same 4-tuple";
    }

    /** Whether any data segment came after the SYN (data carried on the SYN itself does not). */
    private boolean dataAfterSyn() {
      for (int i = 0; i < segments; i++) {
        if (!synData[i]) {
          return true;
        }
      }
      return false;
    }

    void add(int seq32, int flags, int payloadOff, int payloadLen, int missing) {
      if ((flags & TCP_RST) != 0) {
        // a RST's sequence number may be anything (0, the peer's ACK): it must not move the unwrap
        // reference
        rstSeen = true;
        if (payloadLen > 0) {
          rstPayloadBytes += payloadLen; // RFC 1122 4.2.2.12: diagnostic data, not stream data
        }
        return;
      }
      long u = unwrap(seq32);
      boolean syn = (flags & TCP_SYN) != 0;
      if (syn && !synSeen) {
        synSeen = true;
        isn32 = seq32;
        isn = u;
      }
      if (payloadLen == 1
          && missing == 0
          && segments > 0
          && u + 1 == maxEnd
          && (flags & (TCP_SYN | TCP_FIN)) == 0) {
        return; // keep-alive probe: one (often garbage) byte just below what was already sent
      }
      if (missing > 0) {
        truncatedPackets++;
        truncatedBytes += missing;
      }
      if (payloadLen > 0) {
        if (segments == start.length) {
          int n = segments * 2;
          start = Arrays.copyOf(start, n);
          off = Arrays.copyOf(off, n);
          len = Arrays.copyOf(len, n);
          synData = Arrays.copyOf(synData, n);
        }
        start[segments] = u;
        off[segments] = payloadOff;
        len[segments] = payloadLen;
        synData[segments] = syn;
        segments++;
        maxEnd = segments == 1 ? u + payloadLen : Math.max(maxEnd, u + payloadLen);
        minStart = segments == 1 ? u : Math.min(minStart, u);
      }
      if ((flags & TCP_FIN) != 0 && !finSeen) {
        finSeen = true;
        finSeq = u + (syn ? 1 : 0) + payloadLen + missing;
      }
    }

    TcpFlow build(byte[] data, List<String> streamWarnings) {
      if (segments == 0) {
        return null;
      }
      List<String> notes = new ArrayList<>();
      // Where the stream starts, and where data carried on a SYN sits.
      long base;
      if (synSeen) {
        boolean synthetic = false;
        int firstSyn = -1;
        for (int i = 0; i < segments && firstSyn < 0; i++) {
          if (synData[i]) {
            firstSyn = i;
          }
        }
        if (firstSyn >= 0) {
          long after = start[firstSyn] + len[firstSyn];
          boolean atLen = false;
          boolean atLenPlus1 = false;
          for (int i = 0; i < segments; i++) {
            if (!synData[i]) {
              atLen |= start[i] == after;
              atLenPlus1 |= start[i] == after + 1;
            }
          }
          synthetic = atLen && !atLenPlus1;
          if (!synthetic) {
            for (int i = 0; i < segments; i++) {
              if (synData[i]) {
                start[i]++; // RFC 793: the SYN occupies isn, its data starts at isn + 1
              }
            }
          }
        }
        base = synthetic ? isn : isn + 1;
      } else {
        base = Long.MAX_VALUE;
        for (int i = 0; i < segments; i++) {
          base = Math.min(base, start[i]);
        }
      }

      // Clip anything before the stream start.
      long beforeStart = 0;
      long[] s = new long[segments];
      long[] e = new long[segments];
      int[] o = new int[segments];
      for (int i = 0; i < segments; i++) {
        long a = start[i];
        long b = a + len[i];
        int fo = off[i];
        if (a < base) {
          long cut = Math.min(base, b) - a;
          beforeStart += cut;
          a += cut;
          fo += (int) cut;
        }
        s[i] = a;
        e[i] = Math.max(a, b);
        o[i] = fo;
      }
      if (beforeStart > 0) {
        notes.add(
            beforeStart + " bytes with sequence numbers before the stream start (SYN) ignored");
      }

      // Union of covered sequence ranges; holes between them are gaps.
      Integer[] order = new Integer[segments];
      for (int i = 0; i < segments; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> Long.compare(s[x], s[y]));
      long[] uStart = new long[segments];
      long[] uEnd = new long[segments];
      long[] uOut = new long[segments];
      int u = 0;
      for (int k = 0; k < segments; k++) {
        int i = order[k];
        if (s[i] == e[i]) {
          continue;
        }
        if (u > 0 && s[i] <= uEnd[u - 1]) {
          uEnd[u - 1] = Math.max(uEnd[u - 1], e[i]);
        } else {
          uStart[u] = s[i];
          uEnd[u] = e[i];
          u++;
        }
      }
      if (u == 0) {
        return null;
      }
      long total = 0;
      for (int k = 0; k < u; k++) {
        uOut[k] = total;
        total += uEnd[k] - uStart[k];
      }
      if (total > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException(
            "flow " + src + " -> " + dst + " too large: " + total + " bytes");
      }

      long gapBytes = 0;
      int gapCount = 0;
      long gapNotShown = 0;
      long prevEnd = synSeen ? base : uStart[0];
      for (int k = 0; k <= u; k++) {
        long holeEnd;
        if (k < u) {
          holeEnd = uStart[k];
        } else if (finSeen && finSeq > prevEnd && finSeq - prevEnd < (1L << 31)) {
          holeEnd = finSeq;
        } else {
          break;
        }
        long hole = holeEnd - prevEnd;
        if (hole > 0) {
          gapBytes += hole;
          gapCount++;
          long at = k < u ? uOut[k] : total;
          if (gapCount <= 16) {
            notes.add(
                "gap: "
                    + hole
                    + " bytes never captured at stream offset "
                    + at
                    + " (relative seq "
                    + (prevEnd - base)
                    + ")"
                    + (k < u ? ", skipped" : ", before FIN"));
          } else {
            gapNotShown++;
          }
        }
        if (k < u) {
          prevEnd = uEnd[k];
        }
      }
      if (gapNotShown > 0) {
        notes.add("... " + gapNotShown + " more gaps (" + gapBytes + " gap bytes in total)");
      }

      // Copy: segments in capture order; each byte comes from the first segment that carried it.
      byte[] payload = new byte[(int) total];
      TreeMap<Long, Long> written = new TreeMap<>();
      long differing = 0;
      int unionIdx = 0;
      for (int i = 0; i < segments; i++) {
        long a = s[i];
        long b = e[i];
        if (a >= b) {
          continue;
        }
        // find the union interval holding [a, b): usually the same as for the previous segment
        if (!(uStart[unionIdx] <= a && a < uEnd[unionIdx])) {
          unionIdx = unionIndex(uStart, u, a);
        }
        long outBase = uOut[unionIdx] - uStart[unionIdx];
        long newStart = a;
        long newEnd = b;
        long cur = a;
        Map.Entry<Long, Long> fl = written.floorEntry(a);
        if (fl != null && fl.getValue() >= a) {
          differing += mismatches(data, o[i], payload, outBase + a, Math.min(b, fl.getValue()) - a);
          cur = Math.max(cur, fl.getValue());
          newStart = fl.getKey();
          newEnd = Math.max(newEnd, fl.getValue());
          written.remove(fl.getKey());
        }
        while (true) {
          Map.Entry<Long, Long> nx = written.ceilingEntry(a);
          if (nx == null || nx.getKey() > b) {
            break;
          }
          if (nx.getKey() > cur) {
            copy(data, o[i] + (int) (cur - a), payload, outBase + cur, nx.getKey() - cur);
          }
          long covEnd = Math.min(b, nx.getValue());
          differing +=
              mismatches(
                  data,
                  o[i] + (int) (nx.getKey() - a),
                  payload,
                  outBase + nx.getKey(),
                  covEnd - nx.getKey());
          cur = Math.max(cur, nx.getValue());
          newEnd = Math.max(newEnd, nx.getValue());
          written.remove(nx.getKey());
        }
        if (cur < b) {
          copy(data, o[i] + (int) (cur - a), payload, outBase + cur, b - cur);
        }
        written.put(newStart, newEnd);
      }

      List<String> w = new ArrayList<>(warnings);
      if (droppedWarnings > 0) {
        w.add("... " + droppedWarnings + " more warnings");
      }
      if (truncatedPackets > 0) {
        w.add(
            truncatedPackets
                + " packet(s) truncated in the capture (caplen < len): "
                + truncatedBytes
                + " TCP payload bytes not captured");
      }
      if (rstPayloadBytes > 0) {
        w.add(rstPayloadBytes + " bytes of data on RST segments ignored");
      }
      w.addAll(notes);
      if (differing > 0) {
        w.add(
            differing
                + " retransmitted/overlapping bytes differ from the first captured copy (first copy kept)");
      }
      w.addAll(streamWarnings);
      return new TcpFlow(src, key.srcPort, dst, key.dstPort, payload, firstTs, w, gapBytes);
    }

    private static int unionIndex(long[] uStart, int u, long a) {
      int lo = 0;
      int hi = u - 1;
      while (lo < hi) {
        int mid = (lo + hi + 1) >>> 1;
        if (uStart[mid] <= a) {
          lo = mid;
        } else {
          hi = mid - 1;
        }
      }
      return lo;
    }

    private static long mismatches(byte[] src, int srcOff, byte[] dst, long dstOff, long n) {
      if (n <= 0) {
        return 0;
      }
      int from = (int) dstOff;
      int to = from + (int) n;
      int first = Arrays.mismatch(src, srcOff, srcOff + (int) n, dst, from, to);
      if (first < 0) {
        return 0;
      }
      long count = 0;
      for (int k = first; k < n; k++) {
        if (src[srcOff + k] != dst[from + k]) {
          count++;
        }
      }
      return count;
    }

    private static void copy(byte[] src, int srcOff, byte[] dst, long dstOff, long n) {
      System.arraycopy(src, srcOff, dst, (int) dstOff, (int) n);
    }
  }
}
