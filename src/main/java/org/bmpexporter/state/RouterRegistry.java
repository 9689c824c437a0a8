package org.bmpexporter.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All routers known now, keyed by their {@code router} label. A router is its BMP session's source
 * address; a second session from an address whose session is still open is tracked apart, labelled
 * {@code <address>#2} (then #3, ...), so two live sessions never clobber each other, up to {@code
 * sessions_per_address} live sessions per address. A router whose session ended stays (router up 0,
 * counters kept) for the retention, and a new session from it continues its series.
 */
public final class RouterRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(RouterRegistry.class);

  private final Map<String, RouterState> routers = new ConcurrentHashMap<>();
  private final double retentionSeconds;
  private final StateLimits limits;
  private final Watches watches;
  // Routers whose snapshot failed once: logged with the cause once, at debug level after that.
  private final Set<String> snapshotFailureLogged = ConcurrentHashMap.newKeySet();
  private final LongAdder snapshotFailures = new LongAdder();
  private final LongAdder snapshotTimeouts = new LongAdder();

  /** A registry without limits on state (64 sessions per address). */
  public RouterRegistry(double retentionSeconds) {
    this(retentionSeconds, StateLimits.unlimited());
  }

  public RouterRegistry(double retentionSeconds, StateLimits limits) {
    this(retentionSeconds, limits, Watches.none());
  }

  public RouterRegistry(double retentionSeconds, StateLimits limits, Watches watches) {
    this.retentionSeconds = retentionSeconds;
    this.limits = limits;
    this.watches = watches;
  }

  public StateLimits limits() {
    return limits;
  }

  /** The watch list of every router of the registry. */
  public Watches watches() {
    return watches;
  }

  /**
   * Returns the state for a new session from {@code address}, owned from now by {@code owner}.
   * Returns null if the address already has {@code sessions_per_address} live sessions; the refusal
   * is counted on the address's first router ({@code router="<address>"}).
   */
  public synchronized RouterState attach(String address, Executor owner) {
    for (int n = 1; n <= limits.sessionsPerAddress; n++) {
      String label = n == 1 ? address : address + "#" + n;
      RouterState state = routers.get(label);
      if (state == null) {
        state = new RouterState(label, address, owner, limits, watches);
        routers.put(label, state);
        return state;
      }
      if (!state.sessionActive) {
        state.owner(owner);
        state.sessionActive = true;
        return state;
      }
    }
    routers.get(address).sessionRefused();
    return null;
  }

  /**
   * The routers whose session from {@code address} is open now ({@code address}, {@code address#2},
   * ...): the candidates a new session from that address may take over (see the README's takeover
   * rule; the server decides and closes the old session before it attaches).
   */
  public synchronized List<RouterState> liveSessions(String address) {
    List<RouterState> out = new ArrayList<>();
    for (RouterState s : routers.values()) {
      if (s.sessionActive && s.address().equals(address)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The session of {@code state} ended (call after the session closed the router state). */
  public synchronized void detach(RouterState state) {
    state.sessionActive = false;
    RouterState first = routers.get(state.address);
    if (first != null) {
      first.sessionSlotFreed();
    }
  }

  /** Snapshots that failed (the router was left out of that scrape or API answer). */
  public long snapshotFailures() {
    return snapshotFailures.sum();
  }

  /** Forgets routers whose session ended more than the retention ago. */
  public synchronized int expire(double nowSeconds) {
    int removed = 0;
    for (RouterState s : new ArrayList<>(routers.values())) {
      if (!s.sessionActive && !s.up && nowSeconds - s.downSince >= retentionSeconds) {
        routers.remove(s.label);
        snapshotFailureLogged.remove(s.label);
        removed++;
        LOG.info("router {} forgotten: no session for {} s", s.label, (long) retentionSeconds);
      }
    }
    return removed;
  }

  /** Snapshots that missed their deadline since start (the router was left out). */
  public long snapshotTimeouts() {
    return snapshotTimeouts.sum();
  }

  public List<RouterState> routers() {
    return new ArrayList<>(routers.values());
  }

  /** How many routers are known now. */
  public int size() {
    return routers.size();
  }

  public RouterState get(String label) {
    return routers.get(label);
  }

  /**
   * The snapshot of one router, built on its event loop; empty if no router has that label or it
   * does not answer within the timeout.
   */
  public Optional<Snapshots.Router> snapshot(String label, long timeoutMillis) {
    RouterState s = routers.get(label);
    return s == null ? Optional.empty() : snapshot(s, timeoutMillis);
  }

  /**
   * The snapshot of {@code s}, built on its event loop; empty if it does not answer within the
   * timeout.
   */
  public Optional<Snapshots.Router> snapshot(RouterState s, long timeoutMillis) {
    String label = s.label;
    try {
      return Optional.of(requestSnapshot(s).get(timeoutMillis, TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      snapshotTimeouts.increment();
      LOG.warn("router {}: no snapshot within {} ms", label, timeoutMillis);
    } catch (ExecutionException e) {
      snapshotFailed(s, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /** The snapshot of {@code s} built on its owner; failed if the owner refuses the task. */
  private static CompletableFuture<Snapshots.Router> requestSnapshot(RouterState s) {
    try {
      return CompletableFuture.supplyAsync(s::snapshot, s.owner());
    } catch (RuntimeException e) { // e.g. the owning event loop is shutting down
      return CompletableFuture.failedFuture(e);
    }
  }

  /** One router's snapshot failed: it alone is left out; logged in full once per router. */
  private void snapshotFailed(RouterState s, Throwable cause) {
    snapshotFailures.increment();
    if (snapshotFailureLogged.add(s.label)) {
      LOG.error(
          "router {}: snapshot failed, the router is left out of scrapes while it fails"
              + " (logged once)",
          s.label,
          cause);
    } else {
      LOG.debug("router {}: snapshot failed again: {}", s.label, cause.toString());
    }
  }

  /**
   * Snapshots of every router, each built on the router's own event loop so that ingestion and
   * scrapes share no lock. A router that does not answer within the timeout is left out.
   */
  public List<Snapshots.Router> snapshots(long timeoutMillis) {
    List<RouterState> states = routers();
    List<CompletableFuture<Snapshots.Router>> futures = new ArrayList<>(states.size());
    for (RouterState s : states) {
      futures.add(requestSnapshot(s));
    }
    List<Snapshots.Router> result = new ArrayList<>(states.size());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (int i = 0; i < futures.size(); i++) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        result.add(futures.get(i).get(left, TimeUnit.NANOSECONDS));
      } catch (TimeoutException e) {
        snapshotTimeouts.increment();
        LOG.warn(
            "router {}: no snapshot within {} ms, left out of this scrape",
            states.get(i).label,
            timeoutMillis);
      } catch (ExecutionException e) {
        snapshotFailed(states.get(i), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    result.sort((a, b) -> a.router().compareTo(b.router()));
    return result;
  }
}
