package org.bmpexporter.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.bmpexporter.config.RouterName;
import org.bmpexporter.metrics.RouterLabels;

/**
 * The {@code routers} configuration as a lookup: a router address to the name and static labels of
 * the most specific entry that matches it.
 */
final class RouterInventory implements Function<String, RouterLabels> {
  private final List<RouterName> mostSpecificFirst;

  RouterInventory(List<RouterName> entries) {
    this.mostSpecificFirst =
        entries.stream()
            .sorted(Comparator.comparingInt((RouterName r) -> r.match().bits()).reversed())
            .toList();
  }

  /** The name and labels of {@code address} (an IP literal), or {@link RouterLabels#NONE}. */
  @Override
  public RouterLabels apply(String address) {
    if (mostSpecificFirst.isEmpty()) {
      return RouterLabels.NONE;
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(address); // router addresses are literals: no DNS lookup
    } catch (UnknownHostException e) {
      return RouterLabels.NONE;
    }
    for (RouterName r : mostSpecificFirst) {
      if (r.match().contains(a)) {
        return new RouterLabels(r.name(), r.labels());
      }
    }
    return RouterLabels.NONE;
  }
}
