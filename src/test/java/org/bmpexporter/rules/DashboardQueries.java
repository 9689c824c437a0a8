package org.bmpexporter.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the PromQL of a Grafana dashboard: every panel target's {@code expr} (rows and their
 * collapsed panels included) and every query template variable's query, with Grafana's template
 * variables replaced by sample values.
 *
 * <p>Reusable: the interop suite runs each extracted query against a live Prometheus.
 *
 * <p>Variables: {@code $name}, {@code ${name}}, {@code ${name:format}} and {@code [[name]]}. The
 * values come from the map passed in; Grafana's built-ins ({@code $__range}, {@code
 * $__rate_interval}, {@code $__interval}, ...) have defaults that the map may override. With the
 * format {@code regex} the value is regex-escaped the way Grafana's Prometheus data source does it
 * (a backslash doubled for the PromQL string); every other format inserts the value as given, so
 * pass multi-value samples already formatted, e.g. {@code "(192\\\\.0\\\\.2\\\\.1|...)"}. A
 * variable with no value is an error.
 *
 * <p>Variable queries: {@code label_values(selector, label)} becomes {@code selector}, {@code
 * query_result(expr)} becomes {@code expr}; {@code label_values(label)}, {@code label_names()} and
 * {@code metrics(...)} are not PromQL and are left out.
 */
public final class DashboardQueries {

  /** One PromQL expression of a dashboard; panelTitle is "variable NAME" for a variable. */
  public record Query(String dashboard, String panelTitle, String expr) {}

  /** Grafana's built-in variables and the sample values used for them. */
  public static final Map<String, String> BUILT_INS =
      Map.of(
          "__range", "1h",
          "__range_s", "3600",
          "__range_ms", "3600000",
          "__rate_interval", "2m",
          "__interval", "30s",
          "__interval_ms", "30000");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VARIABLE =
      Pattern.compile(
          "\\$\\{([A-Za-z0-9_]+)(?::([A-Za-z0-9_]+))?\\}"
              + "|\\[\\[([A-Za-z0-9_]+)(?::([A-Za-z0-9_]+))?\\]\\]"
              + "|\\$([A-Za-z0-9_]+)");
  private static final Pattern LABEL_VALUES =
      Pattern.compile(
          "^\\s*label_values\\s*\\((.*),\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$", Pattern.DOTALL);
  private static final Pattern QUERY_RESULT =
      Pattern.compile("^\\s*query_result\\s*\\((.*)\\)\\s*$", Pattern.DOTALL);

  private DashboardQueries() {}

  /** The dashboard's queries with variables replaced (built-ins default, {@code vars} win). */
  public static List<Query> extract(Path dashboardJson, Map<String, String> vars) {
    Map<String, String> values = new HashMap<>(BUILT_INS);
    values.putAll(vars);
    List<Query> out = new ArrayList<>();
    for (Query q : extractRaw(dashboardJson)) {
      out.add(new Query(q.dashboard(), q.panelTitle(), substitute(q.expr(), values, q)));
    }
    return out;
  }

  /** The dashboard's queries as written, variables not replaced. */
  public static List<Query> extractRaw(Path dashboardJson) {
    JsonNode root = read(dashboardJson);
    String dashboard = root.path("title").asText(dashboardJson.getFileName().toString());
    List<Query> out = new ArrayList<>();
    collectPanels(dashboard, root.path("panels"), out);
    for (JsonNode variable : root.path("templating").path("list")) {
      if (!"query".equals(variable.path("type").asText())) {
        continue;
      }
      JsonNode q = variable.path("query");
      String text = q.isObject() ? q.path("query").asText("") : q.asText("");
      if (text.isBlank()) {
        text = variable.path("definition").asText("");
      }
      String expr = variableQueryToPromql(text);
      if (expr != null) {
        out.add(new Query(dashboard, "variable " + variable.path("name").asText(), expr));
      }
    }
    return out;
  }

  /** Names of the variables an expression references (without "$", braces or format). */
  public static Set<String> variableNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(expr);
    while (m.find()) {
      names.add(m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5));
    }
    return Collections.unmodifiableSet(names);
  }

  /** The PromQL of a query variable's query, or null when it is not PromQL. */
  static String variableQueryToPromql(String query) {
    Matcher lv = LABEL_VALUES.matcher(query);
    if (lv.matches()) {
      return lv.group(1).strip();
    }
    Matcher qr = QUERY_RESULT.matcher(query);
    if (qr.matches()) {
      return qr.group(1).strip();
    }
    return null;
  }

  static String substitute(String expr, Map<String, String> values, Query where) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(3) != null ? m.group(3) : m.group(5);
      String format = m.group(1) != null ? m.group(2) : m.group(3) != null ? m.group(4) : null;
      String value = values.get(name);
      if (value == null) {
        throw new IllegalArgumentException(
            "no value for variable $"
                + name
                + " in dashboard '"
                + where.dashboard()
                + "', "
                + where.panelTitle()
                + ": "
                + expr);
      }
      if ("regex".equals(format)) {
        value = regexEscape(value);
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  /** Grafana's prometheusSpecialRegexEscape: regex metacharacters escaped for a PromQL string. */
  public static String regexEscape(String value) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\') {
        sb.append("\\\\\\\\");
      } else if ("$^*{}[]'+?.()|".indexOf(c) >= 0) {
        sb.append("\\\\").append(c);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static void collectPanels(String dashboard, JsonNode panels, List<Query> out) {
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText("");
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText("");
        if (!expr.isBlank() && !target.path("hide").asBoolean(false)) {
          out.add(new Query(dashboard, title, expr));
        }
      }
      // rows keep their collapsed panels in "panels"
      collectPanels(dashboard, panel.path("panels"), out);
    }
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dashboard " + file, e);
    }
  }
}
