package org.bmpexporter.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Jackson (de)serializers for the configuration's value types. Strict where Jackson is lenient (no
 * {@code "12"} or {@code 1.5} for a number, no {@code 1} for a boolean), and every problem is a
 * {@link Problem} whose message is meant for the user.
 */
final class ConfigValues {
  private ConfigValues() {}

  /** A value the configuration refuses; its original message names the problem. */
  static final class Problem extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    Problem(JsonParser p, String problem) {
      super(p, problem);
    }
  }

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("bmp-exporter-config");
    m.addSerializer(HostPort.class, ToStringSerializer.instance);
    m.addSerializer(Cidr.class, ToStringSerializer.instance);
    m.addSerializer(
        Duration.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(Duration d, JsonGenerator g, SerializerProvider s)
              throws IOException {
            g.writeString(Durations.format(d));
          }
        });
    m.addDeserializer(HostPort.class, fromText("a string HOST:PORT", HostPort::parse));
    m.addDeserializer(Cidr.class, fromText("an address or CIDR string", Cidr::parse));
    m.addDeserializer(
        Duration.class,
        new JsonDeserializer<>() {
          @Override
          public Duration deserialize(JsonParser p, DeserializationContext ctxt)
              throws IOException {
            // a bare number is seconds, as before durations had units
            String text =
                p.currentToken() == JsonToken.VALUE_NUMBER_INT
                    ? p.getText() + "s"
                    : textOf(p, "a duration like 500ms, 30s, 15m, 1h");
            return parse(p, text, Durations::parse);
          }
        });
    m.addDeserializer(RouterName.class, new RouterNameDeserializer());
    m.addDeserializer(Watch.class, new WatchDeserializer());
    JsonDeserializer<Integer> integer =
        new JsonDeserializer<>() {
          @Override
          public Integer deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
              throw new Problem(p, "expected a whole number, got " + shown(p));
            }
            if (p.getNumberType() != JsonParser.NumberType.INT) {
              throw new Problem(p, p.getText() + " is out of range");
            }
            return p.getIntValue();
          }
        };
    m.addDeserializer(int.class, integer);
    m.addDeserializer(Integer.class, integer);
    JsonDeserializer<Boolean> bool =
        new JsonDeserializer<>() {
          @Override
          public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isBoolean()) {
              throw new Problem(p, "expected true or false, got " + shown(p));
            }
            return p.getBooleanValue();
          }
        };
    m.addDeserializer(boolean.class, bool);
    m.addDeserializer(Boolean.class, bool);
    return m;
  }

  /** A {@code routers} entry: {@code {match: CIDR, name: TEXT, labels: {NAME: VALUE}}}. */
  private static final class RouterNameDeserializer extends JsonDeserializer<RouterName> {
    private static final List<String> KEYS = List.of("match", "name", "labels");

    @Override
    public RouterName deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new Problem(p, "expected a mapping {match, name, labels}, got " + shown(p));
      }
      JsonNode entry = p.readValueAsTree();
      for (Map.Entry<String, JsonNode> e : entry.properties()) {
        if (!KEYS.contains(e.getKey())) {
          throw new Problem(
              p,
              "unknown key '" + e.getKey() + "' in a routers entry (known: match, name, labels)");
        }
      }
      JsonNode match = entry.get("match");
      if (match == null || !match.isTextual()) {
        throw new Problem(p, "a routers entry needs match: an address or CIDR string");
      }
      Cidr cidr;
      try {
        cidr = Cidr.parse(match.asText());
      } catch (IllegalArgumentException e) {
        throw new Problem(p, e.getMessage());
      }
      JsonNode name = entry.get("name");
      if (name != null && !name.isTextual()) {
        throw new Problem(p, "name of routers entry " + cidr + " must be a string");
      }
      Map<String, String> labels = new LinkedHashMap<>();
      JsonNode given = entry.get("labels");
      if (given != null) {
        if (!given.isObject()) {
          throw new Problem(p, "labels of routers entry " + cidr + " must be a mapping");
        }
        for (Map.Entry<String, JsonNode> l : given.properties()) {
          String problem = RouterName.labelNameProblem(l.getKey());
          if (problem != null) {
            throw new Problem(p, "routers entry " + cidr + ": " + problem);
          }
          if (!l.getValue().isValueNode() || l.getValue().isNull()) {
            throw new Problem(
                p, "routers entry " + cidr + ": label " + l.getKey() + " needs a plain value");
          }
          labels.put(l.getKey(), l.getValue().asText());
        }
      }
      return new RouterName(cidr, name == null ? "" : name.asText(), labels);
    }
  }

  /**
   * A {@code watch} entry: {@code {name, prefix, rd, origins, more_specifics}}; name and prefix
   * required.
   */
  private static final class WatchDeserializer extends JsonDeserializer<Watch> {
    private static final List<String> KEYS =
        List.of("name", "prefix", "rd", "origins", "more_specifics");

    @Override
    public Watch deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw new Problem(
            p, "expected a mapping {name, prefix, rd, origins, more_specifics}, got " + shown(p));
      }
      JsonNode entry = p.readValueAsTree();
      JsonNode name = entry.get("name");
      if (name == null || !name.isTextual() || name.asText().isBlank()) {
        throw new Problem(p, "a watch entry needs name: a non-empty string");
      }
      String what = "watch entry '" + name.asText() + "'";
      for (Map.Entry<String, JsonNode> e : entry.properties()) {
        if (!KEYS.contains(e.getKey())) {
          throw new Problem(
              p,
              what
                  + ": unknown key '"
                  + e.getKey()
                  + "' (known: name, prefix, rd, origins, more_specifics)");
        }
      }
      JsonNode prefix = entry.get("prefix");
      if (prefix == null || !prefix.isTextual() || !prefix.asText().contains("/")) {
        throw new Problem(p, what + ": needs prefix: a CIDR string such as 192.0.2.0/24");
      }
      Cidr cidr;
      try {
        cidr = Cidr.parse(prefix.asText());
      } catch (IllegalArgumentException e) {
        throw new Problem(p, what + ": " + e.getMessage());
      }
      if (!cidr.hostBitsClear()) {
        throw new Problem(
            p,
            what
                + ": prefix '"
                + prefix.asText()
                + "' has host bits set (did you mean "
                + cidr.masked()
                + "?)");
      }
      String rd = "";
      JsonNode rdNode = entry.get("rd");
      if (rdNode != null && !(rdNode.isTextual() && rdNode.asText().isEmpty())) { // "": any
        if (!rdNode.isTextual()) {
          throw new Problem(p, what + ": rd must be a string such as \"65000:100\"");
        }
        String problem = rdProblem(rdNode.asText());
        if (problem != null) {
          throw new Problem(p, what + ": " + problem);
        }
        rd = rdNode.asText();
      }
      List<Long> origins = new java.util.ArrayList<>();
      JsonNode given = entry.get("origins");
      if (given != null) {
        if (!given.isArray()) {
          throw new Problem(p, what + ": origins must be a list of AS numbers");
        }
        for (JsonNode as : given) {
          if (!as.isIntegralNumber() || as.asLong() < 0 || as.asLong() > Watch.MAX_AS) {
            throw new Problem(
                p, what + ": origin " + as + " is not an AS number (0-" + Watch.MAX_AS + ")");
          }
          origins.add(as.asLong());
        }
      }
      JsonNode more = entry.get("more_specifics");
      if (more != null && !more.isBoolean()) {
        throw new Problem(p, what + ": more_specifics must be true or false");
      }
      return new Watch(name.asText(), cidr, rd, origins, more != null && more.asBoolean());
    }
  }

  /**
   * What is wrong with {@code rd} as the {@code rd} label writes a route distinguisher ({@code
   * AS:N}, {@code IPV4:N}), or null.
   */
  static String rdProblem(String rd) {
    int colon = rd.lastIndexOf(':');
    String bad = "rd '" + rd + "' is not a route distinguisher such as 65000:100 or 192.0.2.1:7";
    if (colon <= 0 || colon == rd.length() - 1) {
      return bad;
    }
    String admin = rd.substring(0, colon);
    String number = rd.substring(colon + 1);
    if (!number.matches("[0-9]{1,10}") || Long.parseLong(number) > Watch.MAX_AS) {
      return bad;
    }
    if (admin.matches("[0-9]{1,10}")) {
      long as = Long.parseLong(admin);
      long n = Long.parseLong(number);
      // type 0: 2-octet AS and 4-octet number; type 2: 4-octet AS and 2-octet number
      return as <= 0xffff || (as <= Watch.MAX_AS && n <= 0xffff) ? null : bad;
    }
    if (admin.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") && Long.parseLong(number) <= 0xffff) {
      for (String octet : admin.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return bad;
        }
      }
      return null;
    }
    return bad;
  }

  private static <T> JsonDeserializer<T> fromText(String expected, Function<String, T> parse) {
    return new JsonDeserializer<>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return parse(p, textOf(p, expected), parse);
      }
    };
  }

  private static String textOf(JsonParser p, String expected) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new Problem(p, "expected " + expected + ", got " + shown(p));
    }
    return p.getText();
  }

  private static <T> T parse(JsonParser p, String text, Function<String, T> parse) throws Problem {
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      throw new Problem(p, e.getMessage());
    }
  }

  /** The offending value as the user wrote it, or its shape. */
  private static String shown(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      return "a mapping";
    }
    if (t == JsonToken.START_ARRAY) {
      return "a list";
    }
    return t == JsonToken.VALUE_STRING ? "'" + p.getText() + "'" : p.getText();
  }
}
