package org.bmpexporter.loadgen;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.bmpexporter.bgp.encode.Attrs;
import org.bmpexporter.bgp.encode.UpdateEncoder;
import org.bmpexporter.codec.ByteWriter;
import org.bmpexporter.synthetic.Rng;
import org.bmpexporter.wire.PeerDownReason;
import org.bmpexporter.wire.StatType;
import org.bmpexporter.wire.encode.BmpEncoder.PeerHeader;
import org.bmpexporter.wire.encode.BmpEncoder.Stat;

/**
 * One generated router: Initiation, a Peer Up per peer and for the Loc-RIB instance, the shared
 * initial dumps, statistics, then churn (announce / withdraw / attribute change at a set rate, one
 * prefix per UPDATE) and peer flaps (Peer Down with NOTIFICATION Cease/2, Peer Up, full re-dump),
 * periodic statistics, and at the end a Termination. It tracks exactly which routes each table
 * holds, so the report can say what a collector must count.
 */
final class GeneratedSession extends Session {
  /** Live-phase knobs. */
  record Live(
      double churnRate,
      double churnSeconds,
      int flaps,
      double statsInterval,
      boolean realTime,
      boolean termination) {}

  private static final long TICK_NANOS = 10_000_000L;

  private final Scenario s;
  private final Live live;
  private final String sysName;
  private final Counters k;
  private final Emitter e;
  private final ByteWriter buf = new ByteWriter(1 << 16);
  private final Rng rng;
  private final Attrs attrs = new Attrs();
  private final long[] one = new long[1];
  private final int[] onePid = new int[1];
  // per peer, per AFI: prefixes the peer withdrew (pre-policy absent), attribute variants
  private final IntOpenHashSet[][] gone;
  private final Int2IntOpenHashMap[][] variant;
  private final long[][] postGone;
  private final boolean[] down;
  private final long[] locDelta = new long[2];
  private final long[][] lastStats;
  private final byte[] routerOpen;
  private final byte[][] peerOpen;
  long churnEvents;
  long churnPlanned;
  int flapsDone;
  long statsReports;

  GeneratedSession(
      int index,
      SinkFactory sinks,
      RunControl rc,
      double holdSeconds,
      CountDownLatch reachedHold,
      Scenario s,
      Live live) {
    super(index, sinks, rc, holdSeconds, reachedHold);
    this.s = s;
    this.live = live;
    this.sysName = "loadgen-r" + (index + 1);
    int p = s.peers;
    k = new Counters(0, p + 1);
    e = new Emitter(buf, k, null);
    rng = new Rng(Rng.mix(s.c.seed(), 0xc4a124L, index));
    gone = new IntOpenHashSet[p][2];
    variant = new Int2IntOpenHashMap[p][2];
    for (int i = 0; i < p; i++) {
      for (int a = 0; a < 2; a++) {
        gone[i][a] = new IntOpenHashSet();
        variant[i][a] = new Int2IntOpenHashMap();
      }
    }
    postGone = new long[p][2];
    down = new boolean[p];
    lastStats = new long[p + 1][];
    routerOpen = s.routerOpenTemplate;
    peerOpen = new byte[p][];
    for (int i = 0; i < p; i++) {
      peerOpen[i] = s.open(s.peerAs[i], s.peerAddr[i] & 0xffffffffL);
    }
  }

  private long now() {
    return s.ts();
  }

  @Override
  void send(Sink sink) throws IOException, InterruptedException {
    long ts = now();
    e.initiation(
        sysName,
        "bmp-exporter loadgen: synthetic router "
            + (index + 1)
            + " with "
            + s.peers
            + " peers, "
            + s.c.ipv4()
            + " IPv4 + "
            + s.c.ipv6()
            + " IPv6 prefixes each");
    for (int p = 0; p < s.peers; p++) {
      peerUp(p, ts);
    }
    if (s.c.loc()) {
      byte[] local = new byte[16];
      e.peerUp(s.peers, s.locHeader, ts, local, 0, 0, routerOpen, routerOpen, Scenario.LOC_TABLE);
    }
    sink.write(buf);
    for (int p = 0; p < s.peers; p++) {
      sendSegment(sink, s.dump[p]);
    }
    if (s.c.loc()) {
      sendSegment(sink, s.locDump);
    }
    markDumpDone(sink);
    if (live.statsInterval() > 0) {
      stats();
      sink.write(buf);
    }
    churn(sink);
    if (live.statsInterval() > 0 && !rc.expired()) {
      stats();
      sink.write(buf);
    }
  }

  // only this session's thread writes dumpPrefixes; volatile is for the report thread's reads
  @SuppressWarnings("NonAtomicVolatileUpdate")
  private void sendSegment(Sink sink, Segment seg) throws IOException {
    for (byte[] chunk : seg.chunks) {
      sink.write(chunk);
    }
    k.add(seg);
    dumpPrefixes += seg.prefixesAnnounced();
  }

  @Override
  void close(Sink sink) throws IOException {
    if (live.termination()) {
      e.termination(0);
      sink.write(buf);
    }
  }

  private void peerUp(int p, long ts) {
    byte[] local = new byte[16];
    int la = Scenario.localAddress(p);
    local[12] = (byte) (la >>> 24);
    local[13] = (byte) (la >>> 16);
    local[14] = (byte) (la >>> 8);
    local[15] = (byte) la;
    int remotePort = 32768 + (int) (Rng.mix(s.c.seed(), index, p, k.ups[p]) & 0x3fff);
    e.peerUp(p, s.peerHeader[p], ts, local, 179, remotePort, routerOpen, peerOpen[p], null);
  }

  // ---- route state ----

  private boolean present(int p, int afi, int idx) {
    return !down[p] && !gone[p][afi].contains(idx);
  }

  /** Current Loc-RIB best path: the first up peer that accepts and announces the prefix. */
  private int best(int afi, int idx) {
    for (int p = 0; p < s.peers; p++) {
      if (present(p, afi, idx) && s.accepts(p, afi, idx)) {
        return p;
      }
    }
    return -1;
  }

  private int pathId(int afi, int idx) {
    return s.pathId(afi, idx);
  }

  private void routeMessage(int p, int rib, int afi, int idx, boolean withdraw, int var, long ts) {
    if (!s.c.rib(rib)) {
      return;
    }
    PeerHeader h = rib == Labels.LOC ? s.locHeader : s.peerHeader[p];
    int slot = rib == Labels.LOC ? s.peers : p;
    one[0] = s.keys[afi][idx];
    onePid[0] = rib == Labels.LOC ? 1 : pathId(afi, idx);
    int[] pids = s.c.addPath() ? onePid : null;
    if (withdraw) {
      e.withdraw(slot, rib, afi, h, ts, one, pids, 1);
    } else {
      s.attrs(attrs, p, afi, s.runOf(afi, idx), var, rib != Labels.PRE);
      e.announce(slot, rib, afi, h, ts, attrs, one, pids, 1);
    }
  }

  /** One churn event on a random prefix of a random up peer. */
  void churnEvent(long ts) {
    int n4 = s.keys[Labels.V4].length;
    int n6 = s.keys[Labels.V6].length;
    if (n4 + n6 == 0 || s.peers == 0) {
      return;
    }
    int p = rng.nextInt(s.peers);
    if (down[p]) {
      return;
    }
    int pick = rng.nextInt(n4 + n6);
    int afi = pick < n4 ? Labels.V4 : Labels.V6;
    int idx = pick < n4 ? pick : pick - n4;
    int oldBest = best(afi, idx);
    boolean wasPresent = !gone[p][afi].contains(idx);
    boolean accepted = s.accepts(p, afi, idx);
    boolean withdraw = wasPresent && rng.nextInt(2) == 0;
    int var = 0;
    if (withdraw) {
      gone[p][afi].add(idx);
      variant[p][afi].remove(idx);
      if (accepted) {
        postGone[p][afi]++;
      }
    } else if (wasPresent) {
      var = 1 + (variant[p][afi].get(idx) % 999);
      variant[p][afi].put(idx, var);
    } else {
      gone[p][afi].remove(idx);
      if (accepted) {
        postGone[p][afi]--;
      }
    }
    routeMessage(p, Labels.PRE, afi, idx, withdraw, var, ts);
    if (accepted) {
      routeMessage(p, Labels.POST, afi, idx, withdraw, var, ts);
    }
    int newBest = best(afi, idx);
    if (oldBest >= 0 && newBest < 0) {
      locDelta[afi]--;
      routeMessage(-1, Labels.LOC, afi, idx, true, 0, ts);
    } else if (newBest >= 0 && (newBest != oldBest || newBest == p && !withdraw)) {
      if (oldBest < 0) {
        locDelta[afi]++;
      }
      routeMessage(newBest, Labels.LOC, afi, idx, false, variant[newBest][afi].get(idx), ts);
    }
    churnEvents++;
  }

  /**
   * Peer p goes down (remote NOTIFICATION Cease / Administrative Shutdown), Loc-RIB falls back to
   * other peers' paths or withdraws, then the peer comes back up and re-sends its full table.
   */
  void flap(Sink sink, int p) throws IOException {
    long ts = now();
    byte[] notification = UpdateEncoder.ceaseAdminShutdown("loadgen flap " + (flapsDone + 1));
    e.peerDown(p, s.peerHeader[p], ts, PeerDownReason.REMOTE_NOTIFICATION.code(), notification);
    Scenario.LocWriter lw = new Scenario.LocWriter(s, e, attrs, Math.max(1, s.c.maxPerUpdate()));
    Scenario.LocWithdrawals lwd = new Scenario.LocWithdrawals(s, e);
    for (int afi = 0; afi < 2; afi++) {
      int n = s.keys[afi].length;
      boolean[] wasBest = new boolean[n];
      for (int idx = 0; idx < n; idx++) {
        wasBest[idx] = best(afi, idx) == p;
      }
      down[p] = true;
      for (int idx = 0; idx < n; idx++) {
        if (wasBest[idx]) {
          int nb = best(afi, idx);
          if (nb < 0) {
            locDelta[afi]--;
            if (s.c.loc()) {
              lwd.add(afi, idx, ts);
            }
          } else if (s.c.loc()) {
            lw.add(afi, idx, nb, variant[nb][afi].get(idx), ts);
          }
        }
        flushIfLarge(sink);
      }
      lw.flush(ts);
      lwd.flush(ts);
      down[p] = false;
    }
    // the peer is down while Loc-RIB changes are sent; the other peers keep their state
    sink.write(buf);
    for (int afi = 0; afi < 2; afi++) {
      gone[p][afi].clear();
      variant[p][afi].clear();
      postGone[p][afi] = 0;
    }
    peerUp(p, now());
    sink.write(buf);
    sendSegment(sink, s.dump[p]);
    for (int afi = 0; afi < 2; afi++) {
      int n = s.keys[afi].length;
      for (int idx = 0; idx < n; idx++) {
        if (s.accepts(p, afi, idx) && best(afi, idx) == p) {
          // p is best again: it was not while down, so the path changes (or appears)
          down[p] = true;
          boolean hadPath = best(afi, idx) >= 0;
          down[p] = false;
          if (!hadPath) {
            locDelta[afi]++;
          }
          if (s.c.loc()) {
            lw.add(afi, idx, p, 0, ts);
          }
        }
        flushIfLarge(sink);
      }
      lw.flush(ts);
    }
    sink.write(buf);
    flapsDone++;
  }

  private void flushIfLarge(Sink sink) throws IOException {
    if (buf.size() >= 1 << 20) {
      sink.write(buf);
    }
  }

  /** Churn, flaps and statistics, paced by a 10 ms tick (or simulated time into a file). */
  private void churn(Sink sink) throws IOException, InterruptedException {
    double secs = live.churnSeconds();
    double rate = live.churnRate();
    churnPlanned = (long) Math.floor(rate * secs);
    int flaps = live.flaps();
    if (churnPlanned == 0 && flaps == 0) {
      return;
    }
    long start = System.nanoTime();
    long ticks = Math.max(1, (long) Math.ceil(secs * 1e9 / TICK_NANOS));
    double nextStats = live.statsInterval() > 0 ? live.statsInterval() : Double.MAX_VALUE;
    int flapIdx = 0;
    for (long tick = 1; tick <= ticks; tick++) {
      if (rc.expired() || rc.stopping) {
        break;
      }
      double t = Math.min(secs, tick * (TICK_NANOS / 1e9));
      long due = Math.min(churnPlanned, (long) Math.floor(rate * t));
      long ts = now();
      long batchLimit = churnEvents + Math.max(1000, (long) (rate * 0.1));
      while (churnEvents < due && churnEvents < batchLimit) {
        churnEvent(ts);
      }
      while (flapIdx < flaps && (secs == 0 || t >= secs * (flapIdx + 0.5) / flaps)) {
        flap(sink, flapIdx % s.peers);
        flapIdx++;
      }
      if (t >= nextStats) {
        stats();
        nextStats += live.statsInterval();
      }
      sink.write(buf);
      if (live.realTime()) {
        long wait = start + tick * TICK_NANOS - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
      }
    }
    // events that fell behind (collector slower than the rate) are still sent, within bounds
    long ts = now();
    while (churnEvents < churnPlanned && !rc.expired() && !rc.stopping) {
      churnEvent(ts);
      flushIfLarge(sink);
    }
    while (flapIdx < flaps && !rc.expired() && !rc.stopping) {
      flap(sink, flapIdx % s.peers);
      flapIdx++;
    }
    sink.write(buf);
  }

  // ---- statistics ----

  private long prePresent(int p, int afi) {
    if (down[p] || !s.c.family(afi)) {
      return 0;
    }
    return (long) s.keys[afi].length - gone[p][afi].size();
  }

  private long postPresent(int p, int afi) {
    if (down[p] || !s.c.family(afi)) {
      return 0;
    }
    return s.postInitial[p][afi] - postGone[p][afi];
  }

  private long locPresent(int afi) {
    return s.c.family(afi) ? s.locInitial[afi] + locDelta[afi] : 0;
  }

  /** A Statistics Report per peer (types 0, 2, 7, 8, 9 per AFI) and for the Loc-RIB (8, 10). */
  void stats() {
    long ts = now();
    long loc = locPresent(Labels.V4) + locPresent(Labels.V6);
    for (int p = 0; p < s.peers; p++) {
      long pre4 = prePresent(p, Labels.V4);
      long pre6 = prePresent(p, Labels.V6);
      long rejected = pre4 + pre6 - postPresent(p, Labels.V4) - postPresent(p, Labels.V6);
      List<Stat> st = new ArrayList<>();
      st.add(Stat.counter32(StatType.REJECTED_PREFIXES.code(), rejected));
      st.add(Stat.counter32(StatType.DUPLICATE_WITHDRAWS.code(), 0));
      st.add(Stat.gauge64(StatType.ADJ_RIB_IN_ROUTES.code(), pre4 + pre6));
      st.add(Stat.gauge64(StatType.LOC_RIB_ROUTES.code(), loc));
      if (s.c.family(Labels.V4)) {
        st.add(Stat.perAfi(StatType.ADJ_RIB_IN_ROUTES_PER_AFI_SAFI.code(), 1, 1, pre4));
      }
      if (s.c.family(Labels.V6)) {
        st.add(Stat.perAfi(StatType.ADJ_RIB_IN_ROUTES_PER_AFI_SAFI.code(), 2, 1, pre6));
      }
      e.stats(s.peerHeader[p], ts, st.toArray(new Stat[0]));
      lastStats[p] = new long[] {rejected, 0, pre4 + pre6, loc, pre4, pre6};
      statsReports++;
    }
    if (s.c.loc()) {
      List<Stat> st = new ArrayList<>();
      st.add(Stat.gauge64(StatType.LOC_RIB_ROUTES.code(), loc));
      if (s.c.family(Labels.V4)) {
        st.add(Stat.perAfi(10, 1, 1, locPresent(Labels.V4)));
      }
      if (s.c.family(Labels.V6)) {
        st.add(Stat.perAfi(10, 2, 1, locPresent(Labels.V6)));
      }
      e.stats(s.locHeader, ts, st.toArray(new Stat[0]));
      lastStats[s.peers] = new long[] {loc, locPresent(Labels.V4), locPresent(Labels.V6)};
      statsReports++;
    }
  }

  // ---- report ----

  @Override
  long[] messages() {
    return k.messages.clone();
  }

  @Override
  List<PeerReport> peerReports() {
    List<PeerReport> out = new ArrayList<>();
    for (int p = 0; p <= s.peers; p++) {
      boolean isLoc = p == s.peers;
      if (isLoc && !s.c.loc()) {
        continue;
      }
      PeerReport r =
          isLoc
              ? new PeerReport("0.0.0.0", Labels.routeDistinguisher(0), "loc_rib")
              : new PeerReport(Labels.ipv4(s.peerAddr[p]), "", "global");
      r.peerAs = isLoc ? s.c.routerAs() : s.peerAs[p];
      r.bgpId = Labels.ipv4((int) (isLoc ? Scenario.ROUTER_BGP_ID : s.peerAddr[p]));
      r.ups = k.ups[p];
      r.downs = k.downs[p];
      for (int rib = 0; rib < 3; rib++) {
        if (!s.c.rib(rib) || isLoc != (rib == Labels.LOC)) {
          continue;
        }
        for (int afi = 0; afi < 2; afi++) {
          if (!s.c.family(afi)) {
            continue;
          }
          PeerReport.Table t = r.table(Labels.RIB.get(rib), Labels.AFI_SAFI.get(afi));
          t.announced = k.announced[p][rib][afi];
          t.withdrawn = k.withdrawn[p][rib][afi];
          t.endOfRib = k.endOfRib[p][rib][afi];
          t.present =
              rib == Labels.PRE
                  ? prePresent(p, afi)
                  : rib == Labels.POST ? postPresent(p, afi) : locPresent(afi);
        }
      }
      long[] st = lastStats[p];
      if (st != null) {
        if (isLoc) {
          r.lastStats.put(StatType.LOC_RIB_ROUTES.label(), st[0]);
          r.lastStats.put(StatType.LOC_RIB_ROUTES.label() + ".ipv4_unicast", st[1]);
          r.lastStats.put(StatType.LOC_RIB_ROUTES.label() + ".ipv6_unicast", st[2]);
        } else {
          r.lastStats.put(StatType.REJECTED_PREFIXES.label(), st[0]);
          r.lastStats.put(StatType.DUPLICATE_WITHDRAWS.label(), st[1]);
          r.lastStats.put(StatType.ADJ_RIB_IN_ROUTES.label(), st[2]);
          r.lastStats.put(StatType.LOC_RIB_ROUTES.label(), st[3]);
          r.lastStats.put(StatType.ADJ_RIB_IN_ROUTES.label() + ".ipv4_unicast", st[4]);
          r.lastStats.put(StatType.ADJ_RIB_IN_ROUTES.label() + ".ipv6_unicast", st[5]);
        }
      }
      out.add(r);
    }
    return out;
  }
}
