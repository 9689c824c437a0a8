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
