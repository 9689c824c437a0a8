package org.bmpexporter.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression selects, and reads the list of known names in
 * docs/metrics.txt.
 *
 * <p>A light lexer, not a parser (promtool checks the syntax): it drops string literals, label
 * matchers, range and subquery brackets and the label lists of by/without/on/ignoring/group_*; what
 * remains as an identifier not followed by "(" and not a keyword is a metric name. A selector
 * written only as {__name__="x"} is reported as the name x when the matcher is an equality.
 */
final class PromqlNames {
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "offset",
          "atan2",
          "inf",
          "nan",
          "start",
          "end");
  private static final Pattern STRING =
      Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern NAME_MATCHER =
      Pattern.compile("__name__\\s*=\\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");
  private static final Pattern BRACES = Pattern.compile("\\{[^{}]*\\}");
  private static final Pattern BRACKETS = Pattern.compile("\\[[^\\[\\]]*\\]");
  private static final Pattern LABEL_LISTS =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");

  private PromqlNames() {}

  static Set<String> metricNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    var byName = NAME_MATCHER.matcher(expr);
    while (byName.find()) {
      names.add(byName.group(1));
    }
    String s = STRING.matcher(expr).replaceAll("\"\"");
    s = BRACES.matcher(s).replaceAll(" ");
    s = BRACKETS.matcher(s).replaceAll(" ");
    s = LABEL_LISTS.matcher(s).replaceAll(" ");
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
        // number, duration (5m, 1h30m) or hex literal
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(s.charAt(i))
                || s.charAt(i) == '_'
                || s.charAt(i) == ':')) {
          i++;
        }
        String word = s.substring(start, i);
        int j = i;
        while (j < n && Character.isWhitespace(s.charAt(j))) {
          j++;
        }
        boolean call = j < n && s.charAt(j) == '(';
        if (!call && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
          names.add(word);
        }
      } else {
        i++;
      }
    }
    return names;
  }

  /** docs/metrics.txt: section name to the names listed in it, in file order. */
  static Map<String, Set<String>> knownMetrics(Path file) {
    Map<String, Set<String>> sections = new LinkedHashMap<>();
    String section = "";
    try {
      for (String raw : Files.readAllLines(file)) {
        String line = raw.replaceFirst("#.*", "").strip();
        if (line.isEmpty()) {
          continue;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
          section = line.substring(1, line.length() - 1);
          sections.putIfAbsent(section, new LinkedHashSet<>());
          continue;
        }
        if (!line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
          throw new IllegalArgumentException(file + ": not a metric name: " + raw);
        }
        sections.computeIfAbsent(section, k -> new LinkedHashSet<>()).add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sections;
  }

  static Set<String> allKnownMetrics(Path file) {
    Set<String> all = new LinkedHashSet<>();
    knownMetrics(file).values().forEach(all::addAll);
    return all;
  }
}
