package org.bmpexporter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bmpexporter.bgp.BgpOpen;
import org.bmpexporter.bgp.Direction;
import org.bmpexporter.bgp.NlriSink;
import org.bmpexporter.bgp.SessionFacts;
import org.bmpexporter.bgp.UpdateDecoder;
import org.bmpexporter.codec.DecodeError;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.wire.BmpMessage.Initiation;
import org.bmpexporter.wire.BmpMessage.PeerDown;
import org.bmpexporter.wire.BmpMessage.PeerUp;
import org.bmpexporter.wire.BmpMessage.RouteMirroring;
import org.bmpexporter.wire.BmpMessage.RouteMonitoring;
import org.bmpexporter.wire.BmpMessage.StatEntry;
import org.bmpexporter.wire.BmpMessage.StatisticsReport;
import org.bmpexporter.wire.BmpMessage.Termination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real messages from the FRR and GoBGP lab captures (copied to {@code real/} in the test
 * resources): decoded as tshark 4.0 decodes them, cut at every offset, and with every length field
 * one too long and one too short. The decoder must never throw, must return null or a message, must
 * report an error whenever the cut message is incomplete, and whatever it returns must be a
 * faithful prefix of the whole message.
 */
class RealMessageTruncationTest {

  static final List<String> NAMES =
      List.of(
          "frr-initiation",
          "frr-peer-up",
          "frr-route-monitoring-ipv4-pre",
          "frr-route-monitoring-ipv6-post",
          "frr-statistics",
          "frr-route-mirroring",
          "frr-peer-down-fsm",
          "frr-peer-down-notification",
          "gobgp-initiation",
          "gobgp-peer-up",
          "gobgp-route-monitoring-loc-rib",
          "gobgp-statistics",
          "gobgp-peer-down-local-notification",
          "gobgp-peer-down-remote-no-data",
          "gobgp-termination",
          "gobgp-end-of-rib-ipv6-legacy-as");

  static Stream<String> names() {
    return NAMES.stream();
  }

  static byte[] load(String name) {
    try (InputStream in =
        RealMessageTruncationTest.class.getResourceAsStream("real/" + name + ".bin")) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decoding result: the message, the BMP errors, and for Route Monitoring the UPDATE's. */
  record Result(BmpMessage message, List<DecodeError> errors, List<String> routes) {}

  static Result decode(byte[] frame) {
    RecordingErrors errors = new RecordingErrors();
    BmpMessage m = BmpDecoder.decode(frame, 0, frame.length, errors);
    List<String> routes = new ArrayList<>();
    if (m instanceof RouteMonitoring rm) {
      byte[] u = rm.updateBytes();
      new UpdateDecoder()
          .decode(
              u,
              0,
              u.length,
              rm.peer().rib().direction(),
              SessionFacts.UNKNOWN,
              rm.peer().legacyAsPath(),
              new NlriSink() {
                @Override
                public void route(
                    int family, boolean announce, long pathId, byte[] key, int off, int len) {
                  routes.add((announce ? "+" : "-") + family + " " + Bmp.toHex(key, off, len));
                }

                @Override
                public void endOfRib(int family) {
                  routes.add("EoR " + family);
                }
              },
              errors);
    }
    return new Result(m, errors.errors, routes);
  }

  static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  // ------------------------------------------------------------------ provenance and golden

  @Test
  void resourcesAreByteIdenticalToTheLabCaptures() throws IOException {
    Path captures = Path.of("..", "shared", "lab", "captures");
    assumeTrue(Files.isDirectory(captures), "../shared/lab/captures not present");
    String readme;
    try (InputStream in = getClass().getResourceAsStream("real/README.md")) {
      readme = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m =
        Pattern.compile("\\| `([a-z0-9-]+)\\.bin` \\| `captures/([^`]+)` \\| (\\d+) \\| (\\d+) \\|")
            .matcher(readme);
    int rows = 0;
    while (m.find()) {
      byte[] capture = Files.readAllBytes(captures.resolve(m.group(2)));
      int off = Integer.parseInt(m.group(3));
      int len = Integer.parseInt(m.group(4));
      assertThat(load(m.group(1)))
          .as(m.group(1))
          .isEqualTo(Arrays.copyOfRange(capture, off, off + len));
      rows++;
    }
    assertThat(rows).isEqualTo(NAMES.size());
  }

  /**
   * Expected values read off tshark 4.0.17's decode of each file (wrapped in a pcap with {@code od
   * -Ax -tx1 -v F | text2pcap -T 11019,11019 - F.pcap}, then {@code tshark -r F.pcap -d
   * tcp.port==11019,bmp -V}).
   */
  @Test
  void realMessagesDecodeAsTsharkDecodesThem() {
    Result up = decode(load("frr-peer-up"));
    assertThat(up.errors).isEmpty();
    PeerUp p = (PeerUp) up.message;
    assertThat(p.peer().addressText()).isEqualTo("127.0.0.2");
    assertThat(p.peer().peerAs()).isEqualTo(65002);
    assertThat(p.peer().bgpIdText()).isEqualTo("127.0.0.2");
    assertThat(p.peer().timestampSeconds()).isEqualTo(1795314009L);
    assertThat(p.localAddress()).isEqualTo("127.0.0.1");
    assertThat(p.localPort()).isEqualTo(37847);
    assertThat(p.remotePort()).isEqualTo(17180);
    BgpOpen sent = p.sentOpen();
    assertThat(sent.myAs()).isEqualTo(65001);
    assertThat(sent.holdTime()).isEqualTo(9);
    assertThat(sent.bgpId()).isEqualTo(0x7f000001L);
    assertThat(sent.families()).containsExactly(0x0101, 0x0201);
    assertThat(sent.as4()).isEqualTo(65001);
    assertThat(sent.addPath()).isEqualTo(Map.of(0x0101, 1, 0x0201, 1)); // receive for both
    assertThat(sent.extendedMessage()).isTrue();
    assertThat(sent.routeRefresh()).isTrue();
    assertThat(sent.gracefulRestart()).isTrue();
    assertThat(sent.otherCapabilities()).containsExactly(70, 73, 71);
    BgpOpen received = p.receivedOpen();
    assertThat(received.myAs()).isEqualTo(65002);
    assertThat(received.bgpId()).isEqualTo(0x7f000002L);
    assertThat(received.families()).containsExactly(0x0101, 0x0201);
    assertThat(received.as4()).isEqualTo(65002);
    assertThat(received.addPath()).isEmpty();
    assertThat(received.otherCapabilities()).containsExactly(73, 5);
    assertThat(p.information()).isEmpty();

    Initiation frr = (Initiation) decode(load("frr-initiation")).message;
    assertThat(frr.sysDescr()).isEqualTo("FRRouting 8.4.4");
    assertThat(frr.sysName()).isEqualTo("lab-frr");
    Initiation gobgp = (Initiation) decode(load("gobgp-initiation")).message;
    assertThat(gobgp.sysName()).isEqualTo("lab-gobgp");
    assertThat(gobgp.sysDescr()).isEqualTo("GoBGP 3.10.0 lab router");
    assertThat(((Termination) decode(load("gobgp-termination")).message).reasonLabel())
        .isEqualTo("permanently_administratively_closed");

    Result frrStats = decode(load("frr-statistics"));
    assertThat(frrStats.errors).isEmpty();
    assertThat(((StatisticsReport) frrStats.message).stats())
        .containsExactly(
            new StatEntry(0, -1, 240, false),
            new StatEntry(4, -1, 0, false),
            new StatEntry(5, -1, 0, false),
            new StatEntry(3, -1, 0, false),
            new StatEntry(2, -1, 0, false),
            new StatEntry(11, -1, 0, false),
            new StatEntry(65531, -1, 0, false));
    Result goStats = decode(load("gobgp-statistics"));
    assertThat(((StatisticsReport) goStats.message).stats())
        .containsExactly(
            new StatEntry(7, -1, 100, true), new StatEntry(8, -1, 100, true),
            new StatEntry(11, -1, 0, false), new StatEntry(12, -1, 0, false));
    assertThat(((StatisticsReport) goStats.message).peer().addressText()).isEqualTo("::1");

    PeerDown remote = (PeerDown) decode(load("frr-peer-down-notification")).message;
    assertThat(remote.reasonLabel()).isEqualTo("remote_notification");
    assertThat(remote.notificationLabel()).isEqualTo("cease/maximum_number_of_prefixes_reached");
    assertThat(remote.notification().maxPrefixData()).isNull(); // tshark: no data, length 21
    PeerDown local = (PeerDown) decode(load("gobgp-peer-down-local-notification")).message;
    assertThat(local.reasonLabel()).isEqualTo("local_notification");
    assertThat(local.notificationLabel()).isEqualTo("cease/maximum_number_of_prefixes_reached");
    PeerDown fsm = (PeerDown) decode(load("frr-peer-down-fsm")).message;
    assertThat(fsm.reasonLabel()).isEqualTo("local_no_notification");
    assertThat(fsm.fsmEvent()).isZero(); // lab README: reason 2, FSM event 0
    assertThat(((PeerDown) decode(load("gobgp-peer-down-remote-no-data")).message).reasonLabel())
        .isEqualTo("remote_no_notification");

    assertThat(((RouteMirroring) decode(load("frr-route-mirroring")).message).bgpMessages())
        .isEqualTo(1);

    Result v4 = decode(load("frr-route-monitoring-ipv4-pre"));
    assertThat(v4.errors).isEmpty();
    assertThat(v4.routes).containsExactly("+257 180a0000"); // 10.0.0.0/24
    Result v6 = decode(load("frr-route-monitoring-ipv6-post"));
    assertThat(v6.routes).containsExactly("+513 3020010db80001"); // 2001:db8:1::/48
    assertThat(((RouteMonitoring) v6.message).peer().rib()).isEqualTo(Rib.ADJ_RIB_IN_POST);
    Result loc = decode(load("gobgp-route-monitoring-loc-rib"));
    assertThat(loc.routes).containsExactly("+513 3020010db80049"); // 2001:db8:49::/48
    assertThat(((RouteMonitoring) loc.message).peer().rib()).isEqualTo(Rib.LOC_RIB);
    Result eor = decode(load("gobgp-end-of-rib-ipv6-legacy-as"));
    assertThat(eor.routes).containsExactly("EoR 513");
    assertThat(((RouteMonitoring) eor.message).peer().legacyAsPath()).isTrue();
    assertThat(eor.errors).isEmpty();
  }

  // ------------------------------------------------------------------ truncation

  /**
   * Offsets where a cut leaves a well-formed message, found by a walker written here from RFC 7854
   * (not the decoder): TLV boundaries of Initiation, Termination, Route Mirroring and of the Peer
   * Up information. Route Monitoring, Statistics (their TLV count) and Peer Down are complete only
   * at their full length.
   */
  static Set<Integer> completeCuts(byte[] m) {
    TreeSet<Integer> cuts = new TreeSet<>();
    cuts.add(m.length);
    int type = m[5] & 0xff;
    int p;
    switch (type) {
      case 4:
      case 5:
        p = 6;
        break;
      case 6:
        p = 48;
        break;
      case 3:
        p = 48 + 20;
        p += u16(m, p + 16); // sent OPEN
        p += u16(m, p + 16); // received OPEN
        break;
      default:
        return cuts;
    }
    cuts.add(p);
    while (p + 4 <= m.length) {
      p += 4 + u16(m, p + 2);
      cuts.add(p);
    }
    return cuts;
  }

  /** Cut at {@code k}: the first k bytes, with the common header length saying k. */
  static byte[] cut(byte[] m, int k) {
    byte[] f = Arrays.copyOf(m, k);
    if (k >= 5) {
      f[1] = (byte) (k >>> 24);
      f[2] = (byte) (k >>> 16);
      f[3] = (byte) (k >>> 8);
      f[4] = (byte) k;
    }
    return f;
  }

  @ParameterizedTest
  @MethodSource("names")
  void truncatedAtEveryOffset(String name) {
    byte[] m = load(name);
    Result full = decode(m);
    assertThat(full.message).isNotNull();
    Set<Integer> complete = completeCuts(m);
    for (int k = 0; k < m.length; k++) {
      byte[] f = cut(m, k);
      Result[] holder = new Result[1];
      assertThatCode(() -> holder[0] = decode(f))
          .as("%s cut at %d", name, k)
          .doesNotThrowAnyException();
      Result r = holder[0];
      if (complete.contains(k)) {
        assertThat(r.errors).as("%s cut at TLV boundary %d", name, k).isEmpty();
        assertThat(r.message).isNotNull();
      } else {
        assertThat(r.errors).as("%s cut at %d: incomplete, must be reported", name, k).isNotEmpty();
      }
      if (r.message != null) {
        assertFaithfulPrefix(name + " cut at " + k, full.message, r.message);
      }
    }
  }

  /** What a cut message yields must be a prefix of what the whole message yields. */
  static void assertFaithfulPrefix(String what, BmpMessage full, BmpMessage part) {
    assertThat(part.type()).as(what).isEqualTo(full.type());
    if (full instanceof Initiation a) {
      assertPrefix(what, a.information(), ((Initiation) part).information());
    } else if (full instanceof Termination a) {
      assertPrefix(what, a.information(), ((Termination) part).information());
    } else if (full instanceof PeerUp a) {
      PeerUp b = (PeerUp) part;
      assertThat(b.sentOpen()).as(what).isEqualTo(a.sentOpen());
      assertThat(b.receivedOpen()).as(what).isEqualTo(a.receivedOpen());
      assertThat(b.peer()).as(what).isEqualTo(a.peer());
      assertPrefix(what, a.information(), b.information());
    } else if (full instanceof StatisticsReport a) {
      assertPrefix(what, a.stats(), ((StatisticsReport) part).stats());
    } else if (full instanceof PeerDown a) {
      PeerDown b = (PeerDown) part;
      assertThat(b.peer()).as(what).isEqualTo(a.peer());
      assertThat(b.reason()).as(what).isEqualTo(a.reason());
      if (b.notification() != null) {
        assertThat(b.notification()).as(what).isEqualTo(a.notification());
      }
    } else if (full instanceof RouteMirroring a) {
      RouteMirroring b = (RouteMirroring) part;
      assertThat(b.bgpMessages()).as(what).isLessThanOrEqualTo(a.bgpMessages());
    } else {
      assertThat(part).as(what + ": a cut Route Monitoring cannot be whole").isEqualTo(full);
    }
  }

  static <T> void assertPrefix(String what, List<T> full, List<T> part) {
    assertThat(part.size()).as(what).isLessThanOrEqualTo(full.size());
    assertThat(part).as(what).isEqualTo(full.subList(0, part.size()));
  }

  /** The UPDATE inside each real Route Monitoring, cut at every offset (BGP length says so). */
  @ParameterizedTest
  @MethodSource("names")
  void updateTruncatedAtEveryOffset(String name) {
    byte[] m = load(name);
    if ((m[5] & 0xff) != 0) {
      return; // not a Route Monitoring
    }
    byte[] update = Arrays.copyOfRange(m, 48, m.length);
    Result full = decode(m);
    // an IPv4 NLRI boundary is a complete cut; everything else is incomplete
    int withdrawn = u16(update, 19);
    int attrs = u16(update, 21 + withdrawn);
    TreeSet<Integer> complete = new TreeSet<>();
    for (int p = 23 + withdrawn + attrs;
        p <= update.length;
        p += 1 + ((update[p] & 0xff) + 7) / 8) {
      complete.add(p);
      if (p == update.length) {
        break;
      }
    }
    for (int k = 0; k < update.length; k++) {
      byte[] u = Arrays.copyOf(update, k);
      if (k >= 18) {
        u[16] = (byte) (k >>> 8);
        u[17] = (byte) k;
      }
      RecordingErrors errors = new RecordingErrors();
      List<String> routes = new ArrayList<>();
      int kk = k;
      assertThatCode(
              () ->
                  new UpdateDecoder()
                      .decode(
                          u,
                          0,
                          u.length,
                          Direction.RECEIVED,
                          SessionFacts.UNKNOWN,
                          false,
                          new NlriSink() {
                            @Override
                            public void route(
                                int family,
                                boolean announce,
                                long pathId,
                                byte[] key,
                                int off,
                                int len) {
                              routes.add(
                                  (announce ? "+" : "-") + family + " " + Bmp.toHex(key, off, len));
                            }

                            @Override
                            public void endOfRib(int family) {
                              routes.add("EoR " + family);
                            }
                          },
                          errors))
          .as("%s UPDATE cut at %d", name, kk)
          .doesNotThrowAnyException();
      if (complete.contains(k)) {
        assertThat(errors.errors).as("%s UPDATE cut at NLRI boundary %d", name, k).isEmpty();
      } else {
        assertThat(errors.errors).as("%s UPDATE cut at %d", name, k).isNotEmpty();
      }
      // never a route that the whole UPDATE does not carry, never an announcement it withdraws
      for (String r : routes) {
        if (r.startsWith("+")) {
          assertThat(full.routes).as("%s UPDATE cut at %d", name, k).contains(r);
        } else if (r.startsWith("-")) {
          assertThat(full.routes)
              .as("%s UPDATE cut at %d", name, k)
              .containsAnyOf(r, "+" + r.substring(1));
        }
      }
    }
  }

  // ------------------------------------------------------------------ lengths off by one

  /** A length field: where, how wide, and what it is. */
  record Field(String what, int offset, int width) {}

  /** Every length field of a real message, found by a walker written here from the RFCs. */
  static List<Field> lengthFields(byte[] m) {
    List<Field> f = new ArrayList<>();
    int type = m[5] & 0xff;
    switch (type) {
      case 4:
      case 5:
        tlvFields(m, 6, f, "TLV");
        break;
      case 6:
        tlvFields(m, 48, f, "mirroring TLV");
        break;
      case 1:
        tlvFields(m, 52, f, "statistics TLV");
        break;
      case 2:
        if ((m[48] == 1 || m[48] == 3) && m.length >= 49 + 19) {
          f.add(new Field("NOTIFICATION BGP length", 49 + 16, 2));
        }
        break;
      case 3:
        {
          int p = 68;
          for (String which : new String[] {"sent OPEN", "received OPEN"}) {
            int len = u16(m, p + 16);
            f.add(new Field(which + " BGP length", p + 16, 2));
            f.add(new Field(which + " optional parameters length", p + 28, 1));
            for (int q = p + 29; q + 2 <= p + len; q += 2 + (m[q + 1] & 0xff)) {
              f.add(new Field(which + " parameter length at " + q, q + 1, 1));
              if (m[q] == 2) {
                for (int c = q + 2;
                    c + 2 <= q + 2 + (m[q + 1] & 0xff);
                    c += 2 + (m[c + 1] & 0xff)) {
                  f.add(new Field(which + " capability " + (m[c] & 0xff) + " length", c + 1, 1));
                }
              }
            }
            p += len;
          }
          tlvFields(m, p, f, "information TLV");
          break;
        }
      case 0:
        {
          int u = 48;
          f.add(new Field("UPDATE BGP length", u + 16, 2));
          f.add(new Field("withdrawn routes length", u + 19, 2));
          int withdrawn = u16(m, u + 19);
          int a = u + 21 + withdrawn;
          f.add(new Field("total path attribute length", a, 2));
          int end = a + 2 + u16(m, a);
          for (int p = a + 2; p < end; ) {
            boolean ext = (m[p] & 0x10) != 0;
            int code = m[p + 1] & 0xff;
            f.add(new Field("attribute " + code + " length", p + 2, ext ? 2 : 1));
            int len = ext ? u16(m, p + 2) : m[p + 2] & 0xff;
            int v = p + (ext ? 4 : 3);
            if (code == 14) {
              f.add(new Field("MP_REACH next hop length", v + 3, 1));
            }
            p = v + len;
          }
          break;
        }
      default:
        break;
    }
    return f;
  }

  static void tlvFields(byte[] m, int p, List<Field> f, String what) {
    while (p + 4 <= m.length) {
      f.add(new Field(what + " " + u16(m, p) + " length", p + 2, 2));
      p += 4 + u16(m, p + 2);
    }
  }

  static byte[] add(byte[] m, Field field, int delta) {
    byte[] c = m.clone();
    int v = 0;
    for (int i = 0; i < field.width; i++) {
      v = (v << 8) | (c[field.offset + i] & 0xff);
    }
    v += delta;
    for (int i = field.width - 1; i >= 0; i--) {
      c[field.offset + i] = (byte) v;
      v >>>= 8;
    }
    return c;
  }

  @ParameterizedTest
  @MethodSource("names")
  void lengthsOffByOne(String name) {
    byte[] m = load(name);
    Result full = decode(m);
    List<String> missed = new ArrayList<>();
    // the common header length: one short (last byte cut) and one long (a zero byte appended)
    Result shorter = decode(cut(m, m.length - 1));
    Result longer = decode(cut(Arrays.copyOf(m, m.length + 1), m.length + 1));
    if (shorter.errors.isEmpty()) {
      missed.add("common header length - 1");
    }
    if (longer.errors.isEmpty()) {
      missed.add("common header length + 1");
    }
    List<Field> fields = lengthFields(m);
    for (Field field : fields) {
      for (int delta : new int[] {-1, 1}) {
        byte[] mutated = add(m, field, delta);
        Result[] holder = new Result[1];
        assertThatCode(() -> holder[0] = decode(mutated))
            .as("%s %s %+d", name, field.what, delta)
            .doesNotThrowAnyException();
        Result r = holder[0];
        if (r.errors.isEmpty()) {
          missed.add(field.what + (delta > 0 ? " + 1" : " - 1"));
        }
        if (r.message != null && !(full.message instanceof RouteMonitoring)) {
          assertThat(r.message.type()).isEqualTo(full.message.type());
        }
      }
    }
    assertThat(missed).as("%s: length corruptions decoded without any error", name).isEmpty();
  }
}
