package org.bmpexporter.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Binds YAML (the file, or keys set by flags) onto an {@link ExporterConfig}. The keys are the
 * records' components; the YAML given is checked key by key first, so that every unknown key and
 * bad value is reported at once, then merged over the base configuration and bound by Jackson. The
 * README lists the keys.
 */
public final class ConfigLoader {
  private static final PropertyNamingStrategies.NamingBase NAMING =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  static final ObjectMapper MAPPER =
      YAMLMapper.builder()
          .propertyNamingStrategy(NAMING)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
          // every key present after the merge over a complete base: a missing one is a bug here
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .addModule(ConfigValues.module())
          .build();

  private ConfigLoader() {}

  /** The file's keys over {@code base}; all problems in one {@link ConfigException}. */
  public static ExporterConfig load(Path file, ExporterConfig base) {
    return bind(base, readFile(file), key -> "configuration key '" + key + "'", true);
  }

  /**
   * {@code values} (by dotted key, typed or as text) over {@code base}. {@code sources} names where
   * a key's value came from for messages (e.g. "option --web-listen"); others are named as keys.
   */
  public static ExporterConfig override(
      ExporterConfig base, Map<String, ?> values, Map<String, String> sources) {
    return bind(
        base,
        overlay(values),
        key -> sources.getOrDefault(key, "configuration key '" + key + "'"),
        true);
  }

  /**
   * {@code values} over {@code base}, each key checked but not the keys against each other: a chain
   * of {@link ExporterConfig#with} calls may pass through a state such as "no listener yet".
   */
  static ExporterConfig set(ExporterConfig base, Map<String, ?> values) {
    return bind(base, overlay(values), key -> "configuration key '" + key + "'", false);
  }

  private static ObjectNode overlay(Map<String, ?> values) {
    ObjectNode overlay = MAPPER.createObjectNode();
    values.forEach(
        (key, value) -> {
          ObjectNode section = overlay;
          String[] parts = key.split("\\.");
          for (int i = 0; i < parts.length - 1; i++) {
            section =
                section.has(parts[i])
                    ? (ObjectNode) section.get(parts[i])
                    : section.putObject(parts[i]);
          }
          section.set(parts[parts.length - 1], MAPPER.valueToTree(value));
        });
    return overlay;
  }

  /** Every key, dotted ({@code bmp.listen}), in declaration order. */
  public static List<String> keys() {
    List<String> out = new ArrayList<>();
    collectKeys(ExporterConfig.class, "", out);
    return out;
  }

  /**
   * The default of a key as help states it: {@code 15m}, {@code 0.0.0.0:9324}, lists joined with
   * commas ({@code none} when empty), or the wording of a machine-dependent default.
   */
  public static String defaultText(String key) {
    DefaultText doc = component(key).getAnnotation(DefaultText.class);
    if (doc != null) {
      return doc.value();
    }
    JsonNode v = MAPPER.valueToTree(ExporterConfig.DEFAULTS).at("/" + key.replace('.', '/'));
    if (!v.isArray()) {
      return v.asText();
    }
    List<String> items = new ArrayList<>();
    v.forEach(item -> items.add(item.asText()));
    return items.isEmpty() ? "none" : String.join(", ", items);
  }

  private static JsonNode readFile(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of("cannot read config file " + file + ": no such file"));
    } catch (AccessDeniedException e) {
      throw new ConfigException(List.of("cannot read config file " + file + ": permission denied"));
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read config file " + file + ": " + e.getMessage()));
    }
    try {
      JsonNode root = MAPPER.readTree(bytes);
      // an empty file (or comments only) sets nothing
      return root == null || root.isMissingNode() || root.isNull()
          ? MAPPER.createObjectNode()
          : root;
    } catch (JsonProcessingException e) {
      throw new ConfigException(List.of("config file " + file + ", " + syntaxError(e)));
    } catch (IOException e) {
      throw new ConfigException(List.of("cannot read config file " + file + ": " + e.getMessage()));
    }
  }

  /** Line, column and problem, without the source excerpt the parsers append. */
  private static String syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
      String context = y.getContext() == null ? "" : " (" + y.getContext() + ")";
      return "line "
          + (y.getProblemMark().getLine() + 1)
          + ", column "
          + (y.getProblemMark().getColumn() + 1)
          + ": "
          + y.getProblem()
          + context;
    }
    JsonLocation at = e.getLocation();
    return at == null
        ? e.getOriginalMessage()
        : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + e.getOriginalMessage();
  }

  private static ExporterConfig bind(
      ExporterConfig base,
      JsonNode overlay,
      Function<String, String> source,
      boolean crossKeyChecks) {
    List<String> problems = new ArrayList<>();
    if (!overlay.isObject()) {
      throw new ConfigException(
          List.of(
              "configuration: expected a mapping of keys at the top "
                  + "level, got "
                  + shown(overlay)));
    }
    checkSection(overlay, ExporterConfig.class, "", source, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    ObjectNode merged = MAPPER.valueToTree(base);
    merge(merged, (ObjectNode) overlay);
    ExporterConfig c;
    try {
      c = MAPPER.treeToValue(merged, ExporterConfig.class);
    } catch (JsonProcessingException e) {
      // the checks above accept only what binds; reaching here is a bug, not a user error
      throw new IllegalStateException("checked configuration did not bind", e);
    }
    if (crossKeyChecks) {
      crossKeyProblems(c, source, problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return c;
  }

  private static void crossKeyProblems(
      ExporterConfig c, Function<String, String> source, List<String> problems) {
    if (!c.externalAddress().isEmpty()) {
      try {
        HostPort.parse(c.externalAddress());
      } catch (IllegalArgumentException e) {
        problems.add(source.apply("web.external_address") + ": " + e.getMessage());
      }
    }
    Set<Cidr> matches = new HashSet<>();
    for (RouterName r : c.routers()) {
      if (!matches.add(r.match())) {
        problems.add(source.apply("routers") + ": " + r.match() + " is matched by two entries");
      }
    }
    ExporterConfig.Kafka kafka = c.kafka();
    if (!kafka.consume().topics().isEmpty() && kafka.bootstrapServers().isBlank()) {
      problems.add(
          source.apply("kafka.consume.topics")
              + ": topics to read, but no kafka.bootstrap_servers to read them from");
    }
    for (int partition : kafka.consume().partitions()) {
      if (partition < 0) {
        problems.add(
            source.apply("kafka.consume.partitions") + ": " + partition + " is not a partition");
      }
    }
    if (kafka.produce().enabled() && kafka.bootstrapServers().isBlank()) {
      problems.add(
          source.apply("kafka.produce.enabled")
              + ": publishing to Kafka, but no kafka.bootstrap_servers to publish to");
    }
    if (kafka.produce().enabled() && kafka.produce().topic().isBlank()) {
      problems.add(source.apply("kafka.produce.topic") + ": empty");
    }
    if (!kafka.consume().partitions().isEmpty() && kafka.consume().topics().isEmpty()) {
      problems.add(
          source.apply("kafka.consume.partitions") + ": partitions without kafka.consume.topics");
    }
    if (c.bmpListen().isEmpty() && c.connect().isEmpty() && kafka.consume().topics().isEmpty()) {
      problems.add(
          source.apply("bmp.listen")
              + ": no BMP listener, no bmp.connect target and no kafka.consume.topics");
    }
    if (c.bufferBudgetBytes() < c.maxMessageBytes()) {
      problems.add(
          source.apply("bmp.buffer_budget_bytes")
              + ": "
              + c.bufferBudgetBytes()
              + " is less than bmp.max_message_bytes ("
              + c.maxMessageBytes()
              + "): no message of the maximum size could be received");
    }
    Set<HostPort> destinations = new HashSet<>();
    for (HostPort d : c.forward()) {
      if (d.port() == 0 || d.host().isEmpty()) {
        problems.add(source.apply("bmp.forward") + ": " + d + " is not a destination HOST:PORT");
      } else if (!destinations.add(d)) {
        problems.add(source.apply("bmp.forward") + ": " + d + " is listed twice");
      }
    }
    if (c.forwardBufferTotalBytes() < c.forwardBufferBytes()) {
      problems.add(
          source.apply("bmp.forward_buffer_total_bytes")
              + ": "
              + c.forwardBufferTotalBytes()
              + " is less than bmp.forward_buffer_bytes ("
              + c.forwardBufferBytes()
              + ")");
    }
    watchProblems(c, source, problems);
    if (c.reconnectMin().compareTo(c.reconnectMax()) > 0) {
      problems.add(
          source.apply("bmp.reconnect_min")
              + ": "
              + Durations.format(c.reconnectMin())
              + " is greater than bmp.reconnect_max ("
              + Durations.format(c.reconnectMax())
              + ")");
    }
  }

  /** Names and (prefix, rd) once each, and no more entries than {@code watch_limits}. */
  private static void watchProblems(
      ExporterConfig c, Function<String, String> source, List<String> problems) {
    int max = c.watchLimits().maxEntries();
    if (c.watch().size() > max) {
      problems.add(
          source.apply("watch")
              + ": "
              + c.watch().size()
              + " entries, more than watch_limits.max_entries ("
              + max
              + ")");
    }
    Set<String> names = new HashSet<>();
    Map<String, String> targets = new LinkedHashMap<>();
    for (Watch w : c.watch()) {
      if (!names.add(w.name())) {
        problems.add(source.apply("watch") + ": name '" + w.name() + "' is used by two entries");
      }
      String target = w.prefix() + (w.rd().isEmpty() ? "" : " rd " + w.rd());
      String other = targets.putIfAbsent(target, w.name());
      if (other != null && !other.equals(w.name())) {
        problems.add(
            source.apply("watch")
                + ": entries '"
                + other
                + "' and '"
                + w.name()
                + "' both watch "
                + target);
      }
    }
  }

  /**
   * The {@code watch} list and {@code watch_limits} of {@code file} over the defaults, checked as
   * at start-up (for a reload: the other keys of the file are checked but not between each other,
   * and not applied).
   */
  public static ExporterConfig loadWatch(Path file) {
    ExporterConfig c =
        bind(
            ExporterConfig.defaults(),
            readFile(file),
            key -> "configuration key '" + key + "'",
            false);
    List<String> problems = new ArrayList<>();
    watchProblems(c, key -> "configuration key '" + key + "'", problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return c;
  }

  private static void checkSection(
      JsonNode section,
      Class<?> type,
      String prefix,
      Function<String, String> source,
      List<String> problems) {
    Map<String, RecordComponent> components = components(type);
    for (Map.Entry<String, JsonNode> e : section.properties()) {
      String key = prefix + e.getKey();
      RecordComponent c = components.get(e.getKey());
      JsonNode value = e.getValue();
      if (c == null) {
        problems.add(
            source.apply(key)
                + ": unknown key (known: "
                + String.join(", ", new TreeSet<>(components.keySet()))
                + ")");
      } else if (isSection(c.getType())) {
        if (value.isObject()) {
          checkSection(value, c.getType(), key + ".", source, problems);
        } else {
          problems.add(source.apply(key) + ": expected a mapping, got " + shown(value));
        }
      } else {
        String problem = checkValue(c, value);
        if (problem != null) {
          problems.add(source.apply(key) + ": " + problem);
        }
      }
    }
  }

  /** What is wrong with {@code value} for {@code c}, or null. */
  private static String checkValue(RecordComponent c, JsonNode value) {
    if (value.isNull()) {
      return "no value";
    }
    if (List.class.isAssignableFrom(c.getType()) && value.isObject()) {
      return c.getName().equals("routers")
          ? "expected a list of {match, name, labels} entries, got a mapping"
          : c.getName().equals("watch")
              ? "expected a list of {name, prefix, rd, origins, more_specifics} entries, got a"
                  + " mapping"
              : "expected a string or a list of strings, got a mapping";
    }
    Object v;
    try {
      v = MAPPER.treeToValue(value, MAPPER.constructType(c.getGenericType()));
    } catch (ConfigValues.Problem e) {
      return e.getOriginalMessage();
    } catch (JsonProcessingException e) {
      // not reached with the value types' own deserializers; Jackson's text still names the problem
      return e.getOriginalMessage();
    }
    Bounds bounds = c.getAnnotation(Bounds.class);
    if (bounds != null
        && v instanceof Number n
        && (n.longValue() < bounds.min() || n.longValue() > bounds.max())) {
      return n + " outside " + bounds.min() + "-" + bounds.max();
    }
    if (c.isAnnotationPresent(Positive.class)
        && v instanceof Duration d
        && (d.isZero() || d.isNegative())) {
      return "must be more than 0";
    }
    return null;
  }

  private static void merge(ObjectNode into, ObjectNode overlay) {
    for (Map.Entry<String, JsonNode> e : overlay.properties()) {
      if (into.get(e.getKey()) instanceof ObjectNode section && e.getValue().isObject()) {
        merge(section, (ObjectNode) e.getValue());
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  /** The sections are the records nested in ExporterConfig; other records are values. */
  private static boolean isSection(Class<?> type) {
    return type.isRecord() && type.getDeclaringClass() == ExporterConfig.class;
  }

  private static Map<String, RecordComponent> components(Class<?> type) {
    Map<String, RecordComponent> out = new LinkedHashMap<>();
    for (RecordComponent c : type.getRecordComponents()) {
      out.put(NAMING.translate(c.getName()), c);
    }
    return out;
  }

  private static void collectKeys(Class<?> type, String prefix, List<String> out) {
    components(type)
        .forEach(
            (name, c) -> {
              if (isSection(c.getType())) {
                collectKeys(c.getType(), prefix + name + ".", out);
              } else {
                out.add(prefix + name);
              }
            });
  }

  private static RecordComponent component(String key) {
    Class<?> type = ExporterConfig.class;
    RecordComponent c = null;
    for (String part : key.split("\\.")) {
      c = type == null ? null : components(type).get(part);
      if (c == null) {
        throw new IllegalArgumentException("no configuration key " + key);
      }
      type = isSection(c.getType()) ? c.getType() : null;
    }
    return c;
  }

  private static String shown(JsonNode n) {
    if (n.isObject()) {
      return "a mapping";
    }
    if (n.isArray()) {
      return "a list";
    }
    return n.isTextual() ? "'" + n.asText() + "'" : n.toString();
  }
}
