package org.bmpexporter.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.bgp.AddPathModes;
import org.bmpexporter.bgp.BgpMessages;
import org.bmpexporter.bgp.BgpOpen;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.bgp.SessionFacts;
import org.bmpexporter.bgp.UpdateDecoder;
import org.bmpexporter.codec.ErrorListener;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Decoding a full-table-like Route Monitoring stream: 500 000 IPv4 prefixes with an Internet-like
 * length distribution (or 200 000 IPv6 prefixes), packed about 200 per UPDATE as in a table dump,
 * or one per UPDATE as routers send post-policy and Loc-RIB routes. Every benchmark method handles
 * all the prefixes once per call and declares them as its operations, so the score is NLRI per
 * second and the gc profiler's {@code gc.alloc.rate.norm} is bytes per NLRI.
 *
 * <ul>
 *   <li>{@code updateDecoder}: {@link UpdateDecoder} alone over pre-built UPDATEs, into a counting
 *       sink;
 *   <li>{@code session}: the whole path, BMP bytes in 64 KiB reads through {@link BmpSession}
 *       ({@code BmpFramer}, {@code BmpDecoder}, {@code UpdateDecoder}, route table inserts into a
 *       fresh router each call).
 * </ul>
 *
 * <p>Run (see docs/benchmarks-codec.md): {@code java -cp target/test-classes:target/classes:$(cat
 * cp.txt) org.openjdk.jmh.Main UpdateDecoderBenchmark -f 1 -wi 2 -i 3 -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class UpdateDecoderBenchmark {

  static final int V4_PREFIXES = 500_000;
  static final int V6_PREFIXES = 200_000;

  /** The UPDATEs and the BMP stream of one family, packed {@code perUpdate} prefixes each. */
  @State(Scope.Benchmark)
  public abstract static class Table {
    /** Prefixes per UPDATE: 200 as in a table dump, 1 as in post-policy / Loc-RIB streams. */
    @Param({"200", "1"})
    public int perUpdate;

    byte[][] updates;
    byte[] stream;
    int prefixes;
    AddPathModes facts;
    final UpdateDecoder decoder = new UpdateDecoder();
    final CountingSink sink = new CountingSink();

    abstract boolean v6();

    @Setup(Level.Trial)
    public void setUp() {
      List<byte[]> nlri = v6() ? ipv6Prefixes(V6_PREFIXES, 6) : ipv4Prefixes(V4_PREFIXES, 4);
      prefixes = nlri.size();
      List<byte[]> ups = new ArrayList<>();
      Random random = new Random(1);
      for (int i = 0; i < nlri.size(); i += perUpdate) {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        for (int j = i; j < Math.min(nlri.size(), i + perUpdate); j++) {
          field.writeBytes(nlri.get(j));
        }
        ups.add(update(v6(), field.toByteArray(), random));
      }
      updates = ups.toArray(new byte[0][]);
      ByteArrayOutputStream bmp = new ByteArrayOutputStream();
      bmp.writeBytes(peerUp());
      for (byte[] u : updates) {
        bmp.writeBytes(routeMonitoring(u));
      }
      stream = bmp.toByteArray();
      byte[] open = open();
      BgpOpen o = BgpMessages.decodeOpen(open, 0, open.length);
      // as after a Peer Up: known OPENs, no ADD-PATH
      facts = AddPathModes.of(new SessionFacts(o, o), AddPathModes.RibKind.ADJ_RIB_IN);
    }

    long decodeAll() {
      sink.count = 0;
      for (byte[] u : updates) {
        decoder.decode(u, 0, u.length, facts, false, sink, ErrorListener.IGNORE);
      }
      if (sink.count != prefixes) {
        throw new IllegalStateException(sink.count + " NLRI decoded of " + prefixes);
      }
      return sink.checksum;
    }

    long sessionAll() {
      RouterState router = new RouterState("bench", "bench", Runnable::run);
      BmpSession s = new BmpSession(router, 1 << 20, () -> 0.0);
      s.open();
      for (int off = 0; off < stream.length; off += 65536) {
        s.feed(stream, off, Math.min(65536, stream.length - off));
      }
      if (router.routes() != prefixes) {
        throw new IllegalStateException(router.routes() + " routes of " + prefixes);
      }
      return router.routes();
    }
  }

  @State(Scope.Benchmark)
  public static class Ipv4 extends Table {
    @Override
    boolean v6() {
      return false;
    }
  }

  @State(Scope.Benchmark)
  public static class Ipv6 extends Table {
    @Override
    boolean v6() {
      return true;
    }
  }

  @Benchmark
  @OperationsPerInvocation(V4_PREFIXES)
  public long updateDecoderIpv4(Ipv4 t) {
    return t.decodeAll();
  }

  @Benchmark
  @OperationsPerInvocation(V6_PREFIXES)
  public long updateDecoderIpv6(Ipv6 t) {
    return t.decodeAll();
  }

  @Benchmark
  @OperationsPerInvocation(V4_PREFIXES)
  public long sessionIpv4(Ipv4 t) {
    return t.sessionAll();
  }

  @Benchmark
  @OperationsPerInvocation(V6_PREFIXES)
  public long sessionIpv6(Ipv6 t) {
    return t.sessionAll();
  }

  static final class CountingSink implements NlriSink {
    long count;
    long checksum;

    @Override
    public void route(int family, boolean announce, long pathId, byte[] key, int off, int len) {
      count++;
      checksum += key[off + len - 1]; // read the key, as a real sink does
    }

    @Override
    public void endOfRib(int family) {}
  }

  // ------------------------------------------------------------------ data

  /**
   * Prefix lengths of the IPv4 Internet table (roughly, 2024): 60 % /24, 9 % /23, 9 % /22, 5 % /21,
   * 5 % /20, 3 % /19, 2 % /18, 1 % /17, 2.5 % /16, 3.5 % /8 to /15.
   */
  static int ipv4Length(Random r) {
    double x = r.nextDouble() * 100;
    double[] cumulative = {60, 69, 78, 83, 88, 91, 93, 94, 96.5};
    int[] lengths = {24, 23, 22, 21, 20, 19, 18, 17, 16};
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return lengths[i];
      }
    }
    return 8 + r.nextInt(8);
  }

  /** IPv6: 45 % /48, 18 % /32, 8 % /44, 6 % /40, 5 % /36, 5 % /29, 13 % /33 to /47 others. */
  static int ipv6Length(Random r) {
    double x = r.nextDouble() * 100;
    double[] cumulative = {45, 63, 71, 77, 82, 87};
    int[] lengths = {48, 32, 44, 40, 36, 29};
    for (int i = 0; i < cumulative.length; i++) {
      if (x < cumulative[i]) {
        return lengths[i];
      }
    }
    return 33 + r.nextInt(15);
  }

  /** Distinct NLRI ({@code [length][prefix bytes]}) of unicast-looking addresses. */
  static List<byte[]> ipv4Prefixes(int n, long seed) {
    Random r = new Random(seed);
    Set<Long> seen = new LinkedHashSet<>();
    List<byte[]> out = new ArrayList<>(n);
    while (out.size() < n) {
      int bits = ipv4Length(r);
      int addr = (1 + r.nextInt(222)) << 24 | r.nextInt(1 << 24);
      addr &= bits == 0 ? 0 : -1 << (32 - bits);
      if (seen.add(((long) bits << 32) | (addr & 0xffffffffL))) {
        byte[] p = new byte[1 + (bits + 7) / 8];
        p[0] = (byte) bits;
        for (int i = 1; i < p.length; i++) {
          p[i] = (byte) (addr >>> (32 - 8 * i));
        }
        out.add(p);
      }
    }
    return out;
  }

  static List<byte[]> ipv6Prefixes(int n, long seed) {
    Random r = new Random(seed);
    Set<String> seen = new LinkedHashSet<>();
    List<byte[]> out = new ArrayList<>(n);
    while (out.size() < n) {
      int bits = ipv6Length(r);
      long high = 0x2000_0000_0000_0000L | (r.nextLong() >>> 4);
      high &= -1L << (64 - bits);
      if (seen.add(bits + "/" + high)) {
        byte[] p = new byte[1 + (bits + 7) / 8];
        p[0] = (byte) bits;
        for (int i = 1; i < p.length; i++) {
          p[i] = (byte) (high >>> (64 - 8 * i));
        }
        out.add(p);
      }
    }
    return out;
  }

  /**
   * An UPDATE as FRR sends it: ORIGIN, AS_PATH of 2-6 ASNs, NEXT_HOP/MP_REACH, MED, COMMUNITIES.
   */
  static byte[] update(boolean v6, byte[] nlri, Random r) {
    ByteBuffer a = ByteBuffer.allocate(4096 + nlri.length);
    a.put(new byte[] {0x40, 1, 1, 0});
    int asns = 2 + r.nextInt(5);
    a.put((byte) 0x50)
        .put((byte) 2)
        .putShort((short) (2 + 4 * asns))
        .put((byte) 2)
        .put((byte) asns);
    for (int i = 0; i < asns; i++) {
      a.putInt(64512 + r.nextInt(1000));
    }
    a.put(new byte[] {(byte) 0x80, 4, 4, 0, 0, 0, 0});
    a.put(new byte[] {(byte) 0xc0, 8, 8}).putInt(0xfde90001).putInt(0xfde90000 | r.nextInt(1000));
    if (v6) {
      a.put((byte) 0x90).put((byte) 14).putShort((short) (5 + 16 + nlri.length));
      a.putShort((short) 2).put((byte) 1).put((byte) 16);
      a.put(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
      a.put((byte) 0).put(nlri);
    } else {
      a.put(new byte[] {0x40, 3, 4, (byte) 192, 0, 2, 1});
    }
    byte[] attrs = new byte[a.position()];
    a.flip().get(attrs);
    byte[] tail = v6 ? new byte[0] : nlri;
    ByteBuffer u = ByteBuffer.allocate(23 + attrs.length + tail.length);
    for (int i = 0; i < 16; i++) {
      u.put((byte) 0xff);
    }
    u.putShort((short) u.capacity())
        .put((byte) 2)
        .putShort((short) 0)
        .putShort((short) attrs.length)
        .put(attrs)
        .put(tail);
    return u.array();
  }

  static byte[] perPeerHeader() {
    ByteBuffer h = ByteBuffer.allocate(42);
    h.put((byte) 0)
        .put((byte) 0)
        .putLong(0)
        .putLong(0)
        .putInt(0)
        .putInt(0xc0000202)
        .putInt(65002)
        .putInt(0xc0000202)
        .putInt(1_700_000_000)
        .putInt(0);
    return h.array();
  }

  static byte[] routeMonitoring(byte[] update) {
    ByteBuffer m = ByteBuffer.allocate(6 + 42 + update.length);
    m.put((byte) 3).putInt(m.capacity()).put((byte) 0).put(perPeerHeader()).put(update);
    return m.array();
  }

  /** OPEN with MP IPv4 and IPv6 unicast and 4-octet AS, as FRR and GoBGP send. */
  static byte[] open() {
    byte[] caps = {
      2, 6, 1, 4, 0, 1, 0, 1, 2, 6, 1, 4, 0, 2, 0, 1, 2, 6, 65, 4, 0, 0, (byte) 0xfd, (byte) 0xea
    };
    ByteBuffer o = ByteBuffer.allocate(29 + caps.length);
    for (int i = 0; i < 16; i++) {
      o.put((byte) 0xff);
    }
    o.putShort((short) o.capacity())
        .put((byte) 1)
        .put((byte) 4)
        .putShort((short) 65002)
        .putShort((short) 90)
        .putInt(0xc0000202)
        .put((byte) caps.length)
        .put(caps);
    return o.array();
  }

  static byte[] peerUp() {
    byte[] open = open();
    ByteBuffer m = ByteBuffer.allocate(6 + 42 + 20 + 2 * open.length);
    m.put((byte) 3).putInt(m.capacity()).put((byte) 3).put(perPeerHeader());
    m.put(new byte[12]).putInt(0xc0000201).putShort((short) 179).putShort((short) 40000);
    m.put(open).put(open);
    return m.array();
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(UpdateDecoderBenchmark.class.getSimpleName()).build())
        .run();
  }
}
