package org.bmpexporter.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bmpexporter.testing.ExternalTools;

/**
 * The external tools the suite drives, and what happens when they are missing: on a developer
 * machine the tests are reported as SKIPPED (a JUnit assumption, with the Debian packages to
 * install); with {@code CI=true} they FAIL, because CI installs them and a silently skipped interop
 * suite would prove nothing: the one policy of {@link ExternalTools}.
 */
public final class Tools {
  public static final String BGPD = System.getProperty("interop.bgpd", "/usr/lib/frr/bgpd");
  public static final String VTYSH = "vtysh";
  public static final String GOBGPD = "gobgpd";
  public static final String GOBGP = "gobgp";
  public static final String PROMETHEUS = "prometheus";
  public static final String APT_LINE = "apt-get install -y frr gobgpd prometheus";

  private Tools() {}

  /**
   * Skips (developer machine) or fails (CI) unless FRR with BMP, GoBGP and Prometheus are
   * installed.
   */
  public static void requireRouterTools() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(Path.of(BGPD))) {
      missing.add(BGPD + " (package frr)");
    } else if (bmpModule() == null) {
      missing.add("FRR BMP module bgpd_bmp.so (package frr)");
    }
    for (String[] t :
        new String[][] {
          {VTYSH, "frr"},
          {GOBGPD, "gobgpd"},
          {GOBGP, "gobgpd"},
          {PROMETHEUS, "prometheus"},
          {"setsid", "util-linux"},
          {"timeout", "coreutils"}
        }) {
      if (onPath(t[0]) == null) {
        missing.add(t[0] + " (package " + t[1] + ")");
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String msg =
        "interop tools missing: "
            + String.join(", ", missing)
            + ". Install them with `sudo "
            + APT_LINE
            + "` (Debian/Ubuntu) or skip the suite with -DskipInterop=true";
    ExternalTools.missing(msg);
  }

  static Path bmpModule() {
    for (String dir :
        new String[] {
          "/usr/lib/x86_64-linux-gnu/frr/modules",
          "/usr/lib/aarch64-linux-gnu/frr/modules",
          "/usr/lib/frr/modules"
        }) {
      Path p = Path.of(dir, "bgpd_bmp.so");
      if (Files.exists(p)) {
        return p;
      }
    }
    try (Stream<Path> s = Files.list(Path.of("/usr/lib"))) {
      return s.map(d -> d.resolve("frr/modules/bgpd_bmp.so"))
          .filter(Files::exists)
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  static Path onPath(String exe) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      Path p = Path.of(dir, exe);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    for (String dir : new String[] {"/usr/sbin", "/sbin"}) {
      Path p = Path.of(dir, exe);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
