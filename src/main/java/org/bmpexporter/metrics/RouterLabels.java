package org.bmpexporter.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the operator's inventory says about a router: a name and static labels (site, role, ...),
 * shown as extra labels of {@code bmp_router_info} only, so that every other series keeps its
 * identity and PromQL joins on {@code router} bring them in.
 *
 * @param name empty when the inventory names no router
 * @param labels label name to value; names are valid Prometheus label names, none reserved
 */
public record RouterLabels(String name, Map<String, String> labels) {
  public static final RouterLabels NONE = new RouterLabels("", Map.of());

  /** The label that carries {@link #name()} on {@code bmp_router_info}. */
  public static final String NAME_LABEL = "name";

  public RouterLabels {
    labels = Map.copyOf(labels);
  }

  /** The extra labels of {@code bmp_router_info}: the name (when set) and the static labels. */
  Labels infoLabels() {
    if (name.isEmpty() && labels.isEmpty()) {
      return Labels.EMPTY;
    }
    Map<String, String> all = new TreeMap<>(labels);
    if (!name.isEmpty()) {
      all.put(NAME_LABEL, name);
    }
    return Labels.of(all.keySet().toArray(String[]::new), all.values().toArray(String[]::new));
  }
}
