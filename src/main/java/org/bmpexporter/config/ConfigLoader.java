package org.bmpexporter.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration file. Every key is checked: an unknown key or a bad value stops
 * start-up with a message naming the key. See the README for the reference.
 *
 * <pre>
 * bmp:
 *   listen: ["0.0.0.0:11019"]      # passive mode listeners
 *   connect: ["192.0.2.1:5000"]    # active mode: connect to routers' BMP listeners
 *   max_message_bytes: 1048576
 *   max_sessions: 10000
 *   allow: ["192.0.2.0/24"]        # access list of router addresses (empty: all)
 *   reconnect_min: 1s
 *   reconnect_max: 60s
 * web:
 *   listen: "0.0.0.0:9324"
 *   scrape_timeout: 10s
 * retention: 15m                   # keep a closed router's series this long
 * event_loops: 2
 * warmup: true                     # warm the decode path on a synthetic session at start-up
 * </pre>
 */
public final class ConfigLoader {
  private static final Set<String> TOP = Set.of("bmp", "web", "retention", "event_loops",
      "warmup");
  private static final Set<String> BMP = Set.of("listen", "connect", "max_message_bytes",
      "max_sessions", "allow", "reconnect_min", "reconnect_max");
  private static final Set<String> WEB = Set.of("listen", "scrape_timeout");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private ConfigLoader() {}

  public static ExporterConfig load(Path file, ExporterConfig base) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
    }
    if (root == null || root.isNull() || root.isMissingNode()) {
      return base;
    }
    return apply(root, base);
  }

  static ExporterConfig apply(JsonNode root, ExporterConfig c) {
    requireObject("", root);
    checkKeys("", root, TOP);
    JsonNode bmp = root.get("bmp");
    List<HostPort> listen = c.bmpListen();
    List<HostPort> connect = c.connect();
    int maxMessage = c.maxMessageBytes();
    int maxSessions = c.maxSessions();
    List<Cidr> allow = c.allow();
    Duration rmin = c.reconnectMin();
    Duration rmax = c.reconnectMax();
    if (bmp != null) {
      requireObject("bmp", bmp);
      checkKeys("bmp.", bmp, BMP);
      if (bmp.has("listen")) {
        listen = hostPorts("bmp.listen", bmp.get("listen"));
      }
      if (bmp.has("connect")) {
        connect = hostPorts("bmp.connect", bmp.get("connect"));
      }
      if (bmp.has("max_message_bytes")) {
        maxMessage = integer("bmp.max_message_bytes", bmp.get("max_message_bytes"), 4096,
            16 << 20);
      }
      if (bmp.has("max_sessions")) {
        maxSessions = integer("bmp.max_sessions", bmp.get("max_sessions"), 1, 1_000_000);
      }
      if (bmp.has("allow")) {
        allow = new ArrayList<>();
        for (String s : strings("bmp.allow", bmp.get("allow"))) {
          allow.add(Cidr.parse("bmp.allow", s));
        }
      }
      if (bmp.has("reconnect_min")) {
        rmin = duration("bmp.reconnect_min", bmp.get("reconnect_min"));
      }
      if (bmp.has("reconnect_max")) {
        rmax = duration("bmp.reconnect_max", bmp.get("reconnect_max"));
      }
    }
    HostPort web = c.webListen();
    Duration scrapeTimeout = c.scrapeTimeout();
    JsonNode w = root.get("web");
    if (w != null) {
      requireObject("web", w);
      checkKeys("web.", w, WEB);
      if (w.has("listen")) {
        web = HostPort.parse("web.listen", text("web.listen", w.get("listen")));
      }
      if (w.has("scrape_timeout")) {
        scrapeTimeout = duration("web.scrape_timeout", w.get("scrape_timeout"));
      }
    }
    Duration retention = root.has("retention")
        ? duration("retention", root.get("retention")) : c.retention();
    int loops = root.has("event_loops")
        ? integer("event_loops", root.get("event_loops"), 1, 256) : c.eventLoops();
    boolean warmup = root.has("warmup") ? bool("warmup", root.get("warmup")) : c.warmup();
    ExporterConfig out = new ExporterConfig(listen, connect, web, maxMessage, maxSessions,
        List.copyOf(allow), retention, rmin, rmax, scrapeTimeout, loops, warmup);
    validate(out);
    return out;
  }

  /** Cross-key checks, also applied to command-line settings. */
  public static void validate(ExporterConfig c) {
    if (c.bmpListen().isEmpty() && c.connect().isEmpty()) {
      throw new ConfigException("bmp.listen", "no BMP listener and no bmp.connect target");
    }
    if (c.reconnectMin().compareTo(c.reconnectMax()) > 0) {
      throw new ConfigException("bmp.reconnect_min", "greater than bmp.reconnect_max");
    }
    if (c.reconnectMin().isZero() || c.reconnectMin().isNegative()) {
      throw new ConfigException("bmp.reconnect_min", "must be positive");
    }
  }

  private static void requireObject(String key, JsonNode n) {
    if (!n.isObject()) {
      throw new ConfigException(key.isEmpty() ? "(top level)" : key, "expected a mapping");
    }
  }

  private static void checkKeys(String prefix, JsonNode n, Set<String> allowed) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        throw new ConfigException(prefix + k, "unknown key (known: " + String.join(", ",
            new java.util.TreeSet<>(allowed)) + ")");
      }
    }
  }

  private static List<String> strings(String key, JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isTextual()) {
      out.add(n.asText());
    } else if (n.isArray()) {
      for (JsonNode e : n) {
        out.add(text(key, e));
      }
    } else {
      throw new ConfigException(key, "expected a string or a list of strings");
    }
    return out;
  }

  private static List<HostPort> hostPorts(String key, JsonNode n) {
    List<HostPort> out = new ArrayList<>();
    for (String s : strings(key, n)) {
      out.add(HostPort.parse(key, s));
    }
    return List.copyOf(out);
  }

  private static String text(String key, JsonNode n) {
    if (!n.isTextual()) {
      throw new ConfigException(key, "expected a string, got " + n.getNodeType());
    }
    return n.asText();
  }

  private static boolean bool(String key, JsonNode n) {
    if (!n.isBoolean()) {
      throw new ConfigException(key, "expected true or false, got '" + n.asText() + "'");
    }
    return n.asBoolean();
  }

  private static int integer(String key, JsonNode n, int min, int max) {
    if (!n.isIntegralNumber()) {
      throw new ConfigException(key, "expected a whole number, got '" + n.asText() + "'");
    }
    long v = n.asLong();
    if (v < min || v > max) {
      throw new ConfigException(key, v + " outside " + min + "-" + max);
    }
    return (int) v;
  }

  /** Durations as {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}. */
  public static Duration duration(String key, JsonNode n) {
    return parseDuration(key, n.isTextual() ? n.asText() : n.asText() + "s");
  }

  public static Duration parseDuration(String key, String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new ConfigException(key, "'" + text + "' is not a duration like 500ms, 30s, 15m, 1h");
    }
    long v = Long.parseLong(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(v);
      case "s":
        return Duration.ofSeconds(v);
      case "m":
        return Duration.ofMinutes(v);
      default:
        return Duration.ofHours(v);
    }
  }
}
