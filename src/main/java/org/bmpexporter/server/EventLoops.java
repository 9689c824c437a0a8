package org.bmpexporter.server;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import java.util.ArrayList;
import java.util.List;

/**
 * One Vert.x context per event loop, so that listeners and connectors are spread over all of them.
 * Vert.x 5 gives every context created from a thread outside Vert.x (the main thread, the
 * warm-up's) the same "sticky" event loop: servers created there one per loop all ran on one loop,
 * and so did every router's session, on one core however many the machine has.
 */
final class EventLoops {
  private EventLoops() {}

  /** A context on each of {@code vertx}'s event loops, in the loops' order. */
  static List<ContextInternal> contexts(Vertx vertx) {
    VertxInternal internal = (VertxInternal) vertx;
    List<ContextInternal> contexts = new ArrayList<>();
    for (EventExecutor loop : internal.nettyEventLoopGroup()) {
      contexts.add(internal.contextBuilder().withEventLoop((EventLoop) loop).build());
    }
    return contexts;
  }

  /**
   * Starts {@code server} listening on {@code context}'s event loop: the connections it accepts are
   * handled there (with a shared port, Vert.x hands each new connection to the next server). Called
   * on that loop, listen() takes the loop's context as the server's.
   */
  static Future<NetServer> listen(NetServer server, ContextInternal context) {
    Promise<NetServer> listening = Promise.promise();
    context.runOnContext(v -> server.listen().onComplete(listening));
    return listening.future();
  }
}
