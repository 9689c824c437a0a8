package org.bmpexporter.state;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The watch list in force, shared by the routers of a registry and replaced whole by a reload. The
 * routers' event loops read it once per Route Monitoring message; a reload changes every router's
 * {@link RouterState#version()}, so no scrape serves a page built with the old list.
 */
public final class Watches {
  private volatile WatchList current;
  private final AtomicLong generation = new AtomicLong();

  public Watches(WatchList initial) {
    this.current = initial;
  }

  /** No watched prefixes. */
  public static Watches none() {
    return new Watches(WatchList.EMPTY);
  }

  public WatchList current() {
    return current;
  }

  /** Puts {@code next} in force; routers apply it from their next message or snapshot. */
  public void set(WatchList next) {
    current = next;
    generation.incrementAndGet();
  }

  /** Moves on with every {@link #set}. */
  long generation() {
    return generation.get();
  }
}
