package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.bmpexporter.testing.Bmp;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.ExternalTools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Loads the status page in a real headless Chromium against a live exporter fed with the lab's FRR
 * and GoBGP dumps, and checks what the page rendered (Chromium's {@code --dump-dom} after the page
 * fetched the API) plus a screenshot saved as {@code target/status-page.png}.
 *
 * <p>Needs Debian's {@code chromium} package (or {@code -Dchromium=/path}); skipped when it is
 * missing, except under {@code CI=true}, where a missing browser fails the build.
 */
@ComponentTest
@Timeout(240)
class StatusPageBrowserTest {
  private static final long BROWSER_TIMEOUT_SECONDS = 60;
  private static final String FRR = "127.0.9.1";
  private static final String GOBGP = "127.0.9.2";
  private static final String EDGE = "127.0.9.3";
  private static final String ODD = "127.0.9.9";

  /** A hostile sysName: must show up as text, never become an element. */
  private static final String HOSTILE = "<img src=x onerror=\"document.title='pwned'\">&amp;";

  private static Path chromium;
  private static LiveExporter live;
  private static Path target;

  @BeforeAll
  static void start() throws Exception {
    chromium =
        ExternalTools.require(
            "chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    target = Paths.get("target").toAbsolutePath();
    Files.createDirectories(target);
    live = LiveExporter.start();
  }

  @AfterAll
  static void stop() {
    if (live != null) {
      live.close();
    }
  }

  @Test
  void rendersEmptyStateThenRoutersAndPeersFromTheApi() throws Exception {
    String url = live.base() + "/";

    // no router yet: the empty state, and the page still reached the API
    String empty = dumpDom(url, "status-page-empty.html");
    assertThat(attr(empty, "body", "data-state")).isEqualTo("ok");
    assertThat(text(empty)).contains("No router connected");
    assertThat(tag(empty, "div", "id", "empty")).doesNotContain("hidden");
    assertThat(empty).doesNotContain("data-router=");
    assertThat(empty).contains("href=\"metrics\"");

    byte[] frr = LiveExporter.lab("frr-demo.2.bin");
    byte[] gobgp = LiveExporter.lab("gobgp-demo.2.bin");
    live.send(FRR, frr);
    live.send(GOBGP, gobgp);
    byte[] edge = Bmp.globalPeer("192.0.2.66", 65066);
    live.send(EDGE, Bmp.initiation("edge-router", "Edge OS 1.2\nsecond line"), Bmp.peerUp(edge));
    // a second live session from one address: labelled "127.0.9.3#2", fetched URL-encoded
    live.awaitMessages(EDGE, 2);
    byte[] second = Bmp.globalPeer("192.0.2.77", 65077);
    // ... with a peer that went down: we sent Cease/administrative shutdown (reason 1)
    byte[] gone = Bmp.globalPeer("192.0.2.78", 65078);
    live.send(
        EDGE,
        Bmp.initiation("second-session", "x"),
        Bmp.peerUp(second),
        Bmp.peerUp(gone),
        Bmp.peerDown(gone, 1, Bmp.notification(6, 2, new byte[0])));
    byte[] odd = Bmp.globalPeer("192.0.2.99", 65099);
    live.send(ODD, Bmp.initiation(HOSTILE, "<script>alert(1)</script>\nline two"), Bmp.peerUp(odd));
    live.awaitMessages(FRR, LiveExporter.messages(frr));
    live.awaitMessages(GOBGP, LiveExporter.messages(gobgp));
    live.awaitMessages(EDGE + "#2", 4);
    live.awaitMessages(ODD, 2);

    // what the page was fed, kept next to the dumps for debugging
    Files.writeString(
        target.resolve("status-api-routers.json"),
        live.get("/api/v1/routers").body(),
        StandardCharsets.UTF_8);
    Files.writeString(
        target.resolve("status-api-peers.json"),
        live.get("/api/v1/routers/" + FRR + "/peers").body(),
        StandardCharsets.UTF_8);
    Files.writeString(
        target.resolve("status-api-peers-2.json"),
        live.get("/api/v1/routers/127.0.9.3%232/peers").body(),
        StandardCharsets.UTF_8);
    String dom = dumpDom(url, "status-page.html");
    assertThat(attr(dom, "body", "data-state")).isEqualTo("ok");
    assertThat(tag(dom, "div", "id", "empty")).contains("hidden");
    String all = text(dom);
    assertThat(all).contains("5 routers (5 up)");
    assertThat(all)
        .contains("lab-frr", "GoBGP", "FRRouting 8.4.4", "3.10.0", "edge-router", "second-session");

    String f = section(dom, "data-router", FRR);
    assertThat(text(f))
        .contains("lab-frr", "2/2 peers up", "initiation 1", "peer up 2", "route monitoring 2486");
    assertThat(peers(f)).containsExactly("127.0.0.2", "::1");
    // routes per RIB, post-policy first, never one sum that counts an accepted route twice
    var byRib = live.router(FRR).path("routes_by_rib");
    assertThat(text(f))
        .contains(
            byRib.path("adj_rib_in_post").asLong()
                + " post-policy · "
                + byRib.path("adj_rib_in_pre").asLong()
                + " pre-policy")
        .doesNotContain(live.router(FRR).path("routes_total").asLong() + " routes");
    String v4 = section(f, "data-peer", "127.0.0.2");
    assertThat(routeCell(v4, "adj_rib_in_pre", "ipv4_unicast")).isEqualTo("1000");
    assertThat(routeCell(v4, "adj_rib_in_post", "ipv4_unicast")).isEqualTo("800");
    assertThat(text(v4)).contains("65002", "up", "global");
    String v6 = section(f, "data-peer", "::1");
    assertThat(text(v6)).contains("ipv6_unicast");
    assertThat(routeCell(v6, "adj_rib_in_pre", "ipv6_unicast")).matches("[1-9][0-9]*");

    String g = section(dom, "data-router", GOBGP);
    assertThat(text(g)).contains("GoBGP", "3.10.0");
    assertThat(peers(g)).contains("127.0.0.2");
    assertThat(g).contains("data-rib=\"loc_rib\"");

    // router strings went in as text: escaped in the DOM, no element, no script run
    assertThat(dom).contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;&amp;amp;");
    assertThat(dom).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    // (attribute values blanked first: older Chromium serializes '<' in attributes raw)
    assertThat(dom.replaceAll("=\"[^\"]*\"", "=\"\"")).doesNotContain("<img", "<script>alert");
    assertThat(dom).contains("<title>bmp-exporter status</title>");
    assertThat(peers(section(dom, "data-router", ODD))).containsExactly("192.0.2.99");
    assertThat(peers(section(dom, "data-router", EDGE))).containsExactly("192.0.2.66");
    String two = section(dom, "data-router", EDGE + "#2");
    assertThat(peers(two)).containsExactly("192.0.2.77", "192.0.2.78");
    assertThat(text(two)).contains("1/2 peers up");
    String down = section(two, "data-peer", "192.0.2.78");
    assertThat(two).contains("<tr class=\"peer is-down\" data-peer=\"192.0.2.78\"");
    assertThat(text(down))
        .contains("down", "local_notification", "cease/administrative_shutdown", "1 / 1");

    Path png = target.resolve("status-page.png");
    Files.deleteIfExists(png);
    // -Dstatus.window=1280,1800 takes a taller picture (e.g. for docs/status-page.png)
    String window = System.getProperty("status.window", "1280,900");
    runChromium(url, "status-page-screenshot", "--screenshot=" + png, "--window-size=" + window);
    assertThat(png).exists();
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img).as("a PNG image").isNotNull();
    assertThat(img.getWidth() + "," + img.getHeight()).isEqualTo(window);
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    assertThat(colours.size()).as("distinct colours: the page is not blank").isGreaterThan(20);
  }

  @Test
  void manyRoutersStartCollapsedAndTheirPeersAreNotFetched() throws Exception {
    try (LiveExporter many = LiveExporter.start()) {
      for (int i = 1; i <= 11; i++) {
        many.send(
            "127.0.10." + i,
            Bmp.initiation("r" + i, "x"),
            Bmp.peerUp(Bmp.globalPeer("192.0.2." + i, 65000 + i)));
      }
      for (int i = 1; i <= 11; i++) {
        many.awaitMessages("127.0.10." + i, 2);
      }
      String dom = dumpDom(many.base() + "/", "status-page-many.html");
      assertThat(attr(dom, "body", "data-state")).isEqualTo("ok");
      assertThat(text(dom)).contains("11 routers (11 up) · 11 peers (11 up)");
      Matcher sections = Pattern.compile("<details class=\"router\"[^>]*>").matcher(dom);
      int n = 0;
      while (sections.find()) {
        assertThat(sections.group()).doesNotContain(" open");
        n++;
      }
      assertThat(n).isEqualTo(11);
      assertThat(dom).doesNotContain("data-peer=");
      assertThat(text(section(dom, "data-router", "127.0.10.11"))).contains("r11", "1/1 peers up");
    }
  }

  // ---- the DOM as Chromium serialized it ----------------------------------------------------

  /** The value of {@code name} on the first {@code <tag ...>}. */
  private static String attr(String html, String tag, String name) {
    Matcher m = Pattern.compile("<" + tag + "\\b[^>]*\\b" + name + "=\"([^\"]*)\"").matcher(html);
    return m.find() ? m.group(1) : null;
  }

  /** Active mode: a target that never connected is listed with its state and last error. */
  @Test
  void listsAnActiveModeTargetThatNeverConnected() throws Exception {
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    try (BmpExporter exporter =
        BmpExporter.start(
            org.bmpexporter.config.ExporterConfig.defaults()
                .withWarmup(false)
                .withBmpListen(List.of())
                .withConnect(List.of(new org.bmpexporter.config.HostPort("127.0.0.1", closedPort)))
                .withReconnect(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(200))
                .withWebListen(new org.bmpexporter.config.HostPort("127.0.0.1", 0)))) {
      LiveExporter api = LiveExporter.of(exporter);
      org.bmpexporter.testing.Scrape.await(
          java.time.Duration.ofSeconds(10),
          "a refused attempt",
          () ->
              !api.json("/api/v1/routers")
                  .path("connect_targets")
                  .path(0)
                  .path("last_error")
                  .asText()
                  .isEmpty());
      String dom =
          dumpDom("http://127.0.0.1:" + exporter.webPort() + "/", "status-page-targets.html");
      assertThat(attr(dom, "body", "data-state")).isEqualTo("ok");
      assertThat(tag(dom, "section", "id", "targets")).doesNotContain("hidden");
      String row = section(dom, "data-target", "127.0.0.1:" + closedPort);
      assertThat(text(row)).containsIgnoringCase("down").containsIgnoringCase("connection refused");
      assertThat(text(dom)).contains("No router connected");
    }
  }

  @Test
  void showsEachRoutersQuirksAndItsForwardDestinationsWithTheirState() throws Exception {
    int down; // nothing listens there: never connected, the router's messages dropped for it
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      down = probe.getLocalPort();
    }
    // a destination that reads and discards
    try (java.net.ServerSocket sink =
        new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                while (!sink.isClosed()) {
                  try {
                    java.net.Socket c = sink.accept();
                    Thread reader =
                        new Thread(
                            () -> {
                              try (c) {
                                c.getInputStream()
                                    .transferTo(java.io.OutputStream.nullOutputStream());
                              } catch (IOException ignored) {
                                // closed by the test
                              }
                            });
                    reader.setDaemon(true);
                    reader.start();
                  } catch (IOException e) {
                    return; // closed
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String up = "127.0.0.1:" + sink.getLocalPort();
      String gone = "127.0.0.1:" + down;
      try (LiveExporter fwd =
          LiveExporter.start(
              c ->
                  c.with("bmp.forward", List.of(up, gone))
                      .with("bmp.forward_buffer_bytes", 65536L)
                      .withReconnect(
                          java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(30)))) {
        String router = "127.0.9.20";
        byte[] peer = Bmp.globalPeer("192.0.2.20", 65020);
        byte[] update = Bmp.updateV4(new byte[0], Bmp.nlri("10.20.0.0/16"));
        // two Route Monitoring messages with a trailing enterprise TLV (Huawei): a known quirk
        byte[] huawei = {(byte) 0xea, 0x62, 0, 4, 0, 0, 0, 1};
        byte[] quirky = Bmp.routeMonitoring(peer, Bmp.concat(update, huawei));
        String[] prefixes = new String[250];
        for (int i = 0; i < prefixes.length; i++) {
          prefixes[i] = "10.21." + i + ".0/24";
        }
        byte[][] filler = new byte[100][]; // 100 x 1 KiB
        java.util.Arrays.fill(
            filler, Bmp.routeMonitoring(peer, Bmp.updateV4(new byte[0], Bmp.nlri(prefixes))));
        java.net.Socket session =
            fwd.send(
                router, Bmp.initiation("relayed-router", "x"), Bmp.peerUp(peer), quirky, quirky);
        // the reading destination connected before the burst (it would not fit the buffer)
        fwd.awaitRouter(
            router,
            java.time.Duration.ofSeconds(30),
            "connected to " + up,
            r -> r.path("forward").findValues("connected").stream().anyMatch(v -> v.asBoolean()));
        // more than the 64 KiB buffer of the destination that is down: dropped for it
        for (byte[] m : filler) {
          session.getOutputStream().write(m);
        }
        session.getOutputStream().flush();
        fwd.awaitMessages(router, 4 + filler.length);
        // every message was dropped for the destination that is down: the buffer overflowed
        long all = 4L + filler.length;
        var api =
            fwd.awaitRouter(
                router,
                java.time.Duration.ofSeconds(30),
                "both destinations' state",
                r -> {
                  var f = r.path("forward");
                  return f.size() == 2
                      && f.findValues("connected").stream().anyMatch(v -> v.asBoolean())
                      && f.findValues("dropped_messages").stream().anyMatch(v -> v.asLong() == all);
                });
        assertThat(api.path("quirks").path("trailing_tlv_enterprise").asLong()).isEqualTo(2);
        for (var f : api.path("forward")) {
          if (f.path("destination").asText().equals(up)) {
            assertThat(f.path("connected").asBoolean()).isTrue();
            assertThat(f.path("dropped_messages").asLong()).isZero();
          } else {
            assertThat(f.path("destination").asText()).isEqualTo(gone);
            assertThat(f.path("connected").asBoolean()).isFalse();
            assertThat(f.path("dropped_messages").asLong()).isEqualTo(all);
          }
        }
        long droppedGone = all;

        String dom = dumpDom(fwd.base() + "/", "status-page-forward.html");
        assertThat(attr(dom, "body", "data-state")).isEqualTo("ok");
        String r = section(dom, "data-router", router);
        assertThat(text(r)).contains("known quirks", "trailing_tlv_enterprise 2", "relayed to");
        assertThat(text(section(r, "data-destination", up)))
            .contains(up, "connected", "0 dropped")
            .doesNotContain("not connected");
        assertThat(text(section(r, "data-destination", gone)))
            .contains(gone, "not connected", droppedGone + " dropped");
      }
    }
  }

  /** The start tag {@code <tag ... key="value" ...>}. */
  private static String tag(String html, String tag, String key, String value) {
    Matcher m =
        Pattern.compile("<" + tag + "\\b[^>]*\\b" + key + "=\"" + Pattern.quote(value) + "\"[^>]*>")
            .matcher(html);
    if (!m.find()) {
      throw new AssertionError("no <" + tag + " " + key + "=\"" + value + "\"> in the page");
    }
    return m.group();
  }

  /** From the element carrying {@code key="value"} up to the next element with {@code key}. */
  private static String section(String html, String key, String value) {
    String start = key + "=\"" + value + "\"";
    int from = html.indexOf(start);
    if (from < 0) {
      throw new AssertionError("no element with " + start + " in the page");
    }
    int next = html.indexOf(key + "=\"", from + start.length());
    return html.substring(from, next < 0 ? html.length() : next);
  }

  /** Peer addresses listed in a router's section, in page order. */
  private static List<String> peers(String html) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("data-peer=\"([^\"]*)\"").matcher(html);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The route count shown for a RIB and AFI/SAFI in a peer's row. */
  private static String routeCell(String peerHtml, String rib, String afiSafi) {
    Matcher m =
        Pattern.compile("data-rib=\"" + rib + "\" data-afi-safi=\"" + afiSafi + "\"[^>]*>([^<]*)")
            .matcher(peerHtml);
    if (!m.find()) {
      throw new AssertionError("no " + rib + "/" + afiSafi + " cell in " + text(peerHtml));
    }
    return m.group(1).trim();
  }

  /** Visible text: tags dropped, entities decoded, white space collapsed. */
  private static String text(String html) {
    String t =
        html.replaceAll("(?s)<(script|style)\\b.*?</\\1>", " ")
            .replaceAll("<[^>]*>", " ")
            .replace("&nbsp;", " ")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
    return t.replaceAll("\\s+", " ").trim();
  }

  // ---- the browser --------------------------------------------------------------------------

  private static String dumpDom(String url, String saveAs) throws Exception {
    String dom = runChromium(url, saveAs, "--dump-dom");
    Files.writeString(target.resolve(saveAs), dom, StandardCharsets.UTF_8);
    return dom;
  }

  /**
   * Runs headless Chromium on {@code url} with a fresh profile and an 8 s virtual time budget (the
   * page fetches and renders well within it), at most {@value #BROWSER_TIMEOUT_SECONDS} s of real
   * time; returns its standard output.
   */
  private static String runChromium(String url, String name, String... extra) throws Exception {
    Path profile = Files.createTempDirectory("bmp-status-chromium");
    Path out = target.resolve(name + ".stdout");
    Path log = target.resolve(name + ".chromium.log");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--mute-audio",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=8000"));
    cmd.addAll(List.of(extra));
    cmd.add(url);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(log.toFile());
    pb.environment().put("HOME", profile.toString()); // nothing lands in the real home
    Process p = pb.start();
    try {
      if (!p.waitFor(BROWSER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        fail("chromium did not finish within " + BROWSER_TIMEOUT_SECONDS + " s; log: " + log);
      }
      if (p.exitValue() != 0) {
        fail("chromium exited with " + p.exitValue() + "; log " + log + ":\n" + tail(log));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      if (p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
      deleteTree(profile);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException ignored) {
      // a temp profile left behind is harmless
    }
  }
}
