package org.bmpexporter.state;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the state of the routers of one registry may grow, and the route count they share. A
 * router that reaches a limit keeps its session and what it holds; what the limit keeps out is
 * counted per router ({@link RouterState#dropped}).
 */
public final class StateLimits {

  /** The limits, as the {@code limit} label names them. */
  public enum Limit {
    PEERS("peers", "bmp.limits.peers_per_router", "messages about further peers are ignored"),
    TABLES(
        "tables",
        "bmp.limits.tables_per_peer",
        "routes and End-of-RIB markers of further RIB/AFI-SAFI tables of a peer are ignored"),
    STAT_TYPES(
        "stat_types",
        "bmp.limits.stat_types_per_peer",
        "further statistics types of a peer are ignored"),
    ROUTES("routes", "bmp.limits.routes_per_router", "further routes are not added"),
    ROUTES_TOTAL(
        "routes_total",
        "bmp.limits.routes_total",
        "further routes are not added (the limit is shared by all routers)"),
    SESSIONS_PER_ADDRESS(
        "sessions_per_address",
        "bmp.limits.sessions_per_address",
        "further sessions from the address are refused"),
    WATCH_MORE_SPECIFICS(
        "watch_more_specifics",
        "watch_limits.more_specifics_per_table",
        "further more-specifics of a watched prefix in a table are not tracked");

    private final String label;
    private final String key;
    private final String effect;

    Limit(String label, String key, String effect) {
      this.label = label;
      this.key = key;
      this.effect = effect;
    }

    /** The {@code limit} label value. */
    public String label() {
      return label;
    }

    /** The configuration key that sets it, for log lines. */
    public String key() {
      return key;
    }

    String effect() {
      return effect;
    }
  }

  /** As many sessions per address as before the limit was configurable. */
  static final int UNLIMITED_SESSIONS_PER_ADDRESS = 64;

  final int peersPerRouter;
  final int tablesPerPeer;
  final int statTypesPerPeer;
  final long routesPerRouter;
  final long routesTotal;
  final int sessionsPerAddress;
  private final AtomicLong routes = new AtomicLong();

  public StateLimits(
      int peersPerRouter,
      int tablesPerPeer,
      int statTypesPerPeer,
      long routesPerRouter,
      long routesTotal,
      int sessionsPerAddress) {
    if (peersPerRouter < 1
        || tablesPerPeer < 1
        || statTypesPerPeer < 1
        || routesPerRouter < 1
        || routesTotal < 1
        || sessionsPerAddress < 1) {
      throw new IllegalArgumentException("every limit must be at least 1");
    }
    this.peersPerRouter = peersPerRouter;
    this.tablesPerPeer = tablesPerPeer;
    this.statTypesPerPeer = statTypesPerPeer;
    this.routesPerRouter = routesPerRouter;
    this.routesTotal = routesTotal;
    this.sessionsPerAddress = sessionsPerAddress;
  }

  /** No limit on state (captures, tests, benchmarks); 64 sessions per address. */
  public static StateLimits unlimited() {
    return new StateLimits(
        Integer.MAX_VALUE,
        Integer.MAX_VALUE,
        Integer.MAX_VALUE,
        Long.MAX_VALUE,
        Long.MAX_VALUE,
        UNLIMITED_SESSIONS_PER_ADDRESS);
  }

  /** The configured value of {@code limit}. */
  public long value(Limit limit) {
    return switch (limit) {
      case PEERS -> peersPerRouter;
      case TABLES -> tablesPerPeer;
      case STAT_TYPES -> statTypesPerPeer;
      case ROUTES -> routesPerRouter;
      case ROUTES_TOTAL -> routesTotal;
      case SESSIONS_PER_ADDRESS -> sessionsPerAddress;
      case WATCH_MORE_SPECIFICS -> -1; // in the watch list, which a reload may change
    };
  }

  /** Routes held now by all routers sharing these limits. */
  public long routes() {
    return routes.get();
  }

  /** Takes one route of the shared total; false when the total is reached. */
  boolean takeRoute() {
    // read first: once the total is reached, refusals cost no write to the shared line
    if (routes.get() >= routesTotal) {
      return false;
    }
    if (routes.incrementAndGet() > routesTotal) {
      routes.decrementAndGet(); // another router took the last one
      return false;
    }
    return true;
  }

  void releaseRoutes(long n) {
    if (n != 0) {
      routes.addAndGet(-n);
    }
  }
}
