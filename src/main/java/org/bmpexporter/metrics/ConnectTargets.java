package org.bmpexporter.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Active mode's configured targets and how connecting to each goes: without it a router that never
 * answers is invisible, since a router appears in the state only once a session opens.
 */
public final class ConnectTargets {
  private final List<Target> targets = new CopyOnWriteArrayList<>();

  /** Adds a configured target ({@code host:port} as configured), down until it connects. */
  public Target add(String target) {
    Target t = new Target(target);
    targets.add(t);
    return t;
  }

  /** Every target's state now, in configuration order. */
  public List<Status> statuses() {
    List<Status> out = new ArrayList<>(targets.size());
    for (Target t : targets) {
      out.add(t.status());
    }
    return out;
  }

  /**
   * One target's connection state as a scrape or the API sees it.
   *
   * @param upSinceSeconds when the open connection was made (0 while down), epoch seconds
   * @param lastErrorSeconds when the last attempt failed or connection ended (0 never)
   */
  public record Status(
      String target,
      boolean up,
      long attempts,
      long connects,
      double upSinceSeconds,
      String lastError,
      double lastErrorSeconds) {}

  /** Updated by the target's connector on its event loop; read by scrapes on other threads. */
  public static final class Target {
    private final String target;
    private boolean up;
    private long attempts;
    private long connects;
    private double upSinceSeconds;
    private String lastError = "";
    private double lastErrorSeconds;

    private Target(String target) {
      this.target = target;
    }

    public synchronized void attempt() {
      attempts++;
    }

    public synchronized void connected(double nowSeconds) {
      up = true;
      connects++;
      upSinceSeconds = nowSeconds;
    }

    /** The attempt failed ({@code up} stays false) or the open connection ended. */
    public synchronized void down(String error, double nowSeconds) {
      up = false;
      upSinceSeconds = 0;
      lastError = error;
      lastErrorSeconds = nowSeconds;
    }

    synchronized Status status() {
      return new Status(
          target, up, attempts, connects, upSinceSeconds, lastError, lastErrorSeconds);
    }
  }
}
