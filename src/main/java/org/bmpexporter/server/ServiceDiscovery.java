package org.bmpexporter.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import org.bmpexporter.metrics.RouterLabels;
import org.bmpexporter.state.RouterRegistry;
import org.bmpexporter.state.RouterState;

/**
 * {@code GET /sd}: Prometheus HTTP service discovery ({@code http_sd_configs}) listing one target
 * per known router (connected, or closed within the retention), each scraped as {@code
 * /metrics?router=<label>} through {@code __param_router}. The {@code __meta_bmp_*} labels let
 * relabeling name, filter and shard the targets.
 */
final class ServiceDiscovery {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String META = "__meta_bmp_";

  private final RouterRegistry registry;
  private final Function<String, RouterLabels> inventory;
  private final String externalAddress;

  /**
   * @param externalAddress the {@code host:port} Prometheus reaches this exporter at; empty: the
   *     Host of each request
   */
  ServiceDiscovery(
      RouterRegistry registry, Function<String, RouterLabels> inventory, String externalAddress) {
    this.registry = registry;
    this.inventory = inventory;
    this.externalAddress = externalAddress;
  }

  void handle(RoutingContext ctx) {
    String target = externalAddress;
    if (target.isEmpty()) {
      target = ctx.request().getHeader("Host");
      if (target == null && ctx.request().authority() != null) {
        target = ctx.request().authority().toString(); // HTTP/2 has :authority, no Host
      }
      if (target == null || target.isBlank()) {
        ApiRoutes.error(ctx, 400, "no Host header: set web.external_address or send Host");
        return;
      }
    }
    WebRoutes.end(ctx, "application/json", targetGroups(target));
  }

  /** The target groups for routers scraped at {@code target}; {@code []} when none is known. */
  String targetGroups(String target) {
    List<RouterState> routers = registry.routers();
    routers.sort(Comparator.comparing(RouterState::label));
    ArrayNode groups = MAPPER.createArrayNode();
    for (RouterState r : routers) {
      ObjectNode group = groups.addObject();
      group.putArray("targets").add(target);
      ObjectNode labels = group.putObject("labels");
      labels.put("__param_router", r.label());
      labels.put(META + "router", r.label());
      // Read off the router's event loop: at worst a moment old, which discovery can afford
      // (a snapshot of every router per refresh could not be).
      labels.put(META + "sys_name", r.sysName());
      labels.put(META + "up", r.up() ? "1" : "0");
      RouterLabels named = inventory.apply(r.address());
      if (!named.name().isEmpty()) {
        labels.put(META + "name", named.name());
      }
      new TreeMap<>(named.labels())
          .forEach((name, value) -> labels.put(META + "label_" + name, value));
    }
    return groups.toString();
  }
}
