package org.bmpexporter.capture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Warnings with repeats folded into a count, in first-seen order. */
final class Notes {
  private final Map<String, long[]> counts = new LinkedHashMap<>();

  void add(String message) {
    counts.computeIfAbsent(message, k -> new long[1])[0]++;
  }

  boolean isEmpty() {
    return counts.isEmpty();
  }

  List<String> render() {
    List<String> out = new ArrayList<>(counts.size());
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      long n = e.getValue()[0];
      out.add(n == 1 ? e.getKey() : e.getKey() + " (x" + n + ")");
    }
    return out;
  }
}
