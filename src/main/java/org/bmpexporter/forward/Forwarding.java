package org.bmpexporter.forward;

import java.util.ArrayList;
import java.util.List;

/**
 * Every configured forwarder. {@link #open} is null when there is none, so that a session without
 * forwarding has no forwarding step at all.
 */
public final class Forwarding implements AutoCloseable {
  private static final Forwarding NONE = new Forwarding(List.of());

  private final List<Forwarder> forwarders;

  public Forwarding(List<Forwarder> forwarders) {
    this.forwarders = List.copyOf(forwarders);
  }

  public static Forwarding none() {
    return NONE;
  }

  public boolean enabled() {
    return !forwarders.isEmpty();
  }

  /** The stream of a router session that opened (on its event loop), or null: nothing to do. */
  public RouterStream open(String router, String address) {
    if (forwarders.isEmpty()) {
      return null;
    }
    if (forwarders.size() == 1) {
      return forwarders.get(0).open(router, address);
    }
    List<RouterStream> streams = new ArrayList<>(forwarders.size());
    for (Forwarder f : forwarders) {
      streams.add(f.open(router, address));
    }
    RouterStream[] all = streams.toArray(RouterStream[]::new);
    return new RouterStream() {
      @Override
      public void frame(byte[] b, int off, int len) {
        for (RouterStream s : all) {
          s.frame(b, off, len);
        }
      }

      @Override
      public void endOfRead() {
        for (RouterStream s : all) {
          s.endOfRead();
        }
      }

      @Override
      public void close() {
        for (RouterStream s : all) {
          s.close();
        }
      }
    };
  }

  /** A router session's outbound sessions now, of every forwarder (for the status page). */
  public List<Forwarder.LinkStatus> links(String router) {
    if (forwarders.isEmpty()) {
      return List.of();
    }
    List<Forwarder.LinkStatus> out = new ArrayList<>();
    for (Forwarder f : forwarders) {
      out.addAll(f.links(router));
    }
    return out;
  }

  @Override
  public void close() {
    for (Forwarder f : forwarders) {
      f.close();
    }
  }
}
