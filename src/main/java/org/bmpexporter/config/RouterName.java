package org.bmpexporter.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry of the {@code routers} inventory: the routers whose address is in {@code match} get
 * this name and these static labels (the most specific match wins).
 *
 * @param name empty when the entry only adds labels
 */
public record RouterName(Cidr match, String name, Map<String, String> labels) {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /**
   * Label names the exporter or Prometheus already use: the labels of {@code bmp_router_info}, the
   * label that carries the name, and the target labels Prometheus attaches to every series.
   */
  public static final List<String> RESERVED_LABELS =
      List.of(
          "router", "sys_name", "sys_descr", "source", "bmp_version", "name", "job", "instance");

  public RouterName {
    labels = Map.copyOf(labels);
  }

  /** What is wrong with {@code label} as a static label name, or null. */
  static String labelNameProblem(String label) {
    if (!LABEL_NAME.matcher(label).matches()) {
      return "label name '" + label + "' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)";
    }
    if (label.startsWith("__")) {
      return "label name '" + label + "' starts with __, which Prometheus reserves";
    }
    if (RESERVED_LABELS.contains(label)) {
      return "label name '" + label + "' is reserved (" + String.join(", ", RESERVED_LABELS) + ")";
    }
    return null;
  }
}
