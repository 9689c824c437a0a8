package org.bmpexporter.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Jackson helpers for the routers' and Prometheus' JSON. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static JsonNode parse(String text, String what) {
    try {
      return MAPPER.readTree(text.isBlank() ? "{}" : text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot parse JSON from "
              + what
              + ": "
              + e.getOriginalMessage()
              + "\n"
              + (text.length() > 500 ? text.substring(0, 500) + "..." : text),
          e);
    }
  }
}
