package org.bmpexporter.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.net.SocketOption;
import jdk.net.ExtendedSocketOptions;
import org.bmpexporter.config.ExporterConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP keepalive on a BMP connection, with the idle time, probe interval and probe count of the
 * configuration (JDK extended socket options TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT on Linux
 * and macOS; elsewhere the system's timers apply). A router that vanished without closing its
 * connection is then noticed after idle + interval × count, and its session ends.
 */
final class TcpKeepalive {
  private static final Logger LOG = LoggerFactory.getLogger(TcpKeepalive.class);
  private static volatile boolean timersUnsupportedLogged;

  private TcpKeepalive() {}

  static void apply(NetSocket socket, ExporterConfig.Keepalive keepalive) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return;
    }
    Channel channel = internal.channelHandlerContext().channel();
    channel.config().setOption(ChannelOption.SO_KEEPALIVE, keepalive.enabled());
    if (!keepalive.enabled()) {
      return;
    }
    boolean timers =
        set(channel, ExtendedSocketOptions.TCP_KEEPIDLE, seconds(keepalive.idle().toSeconds()))
            && set(
                channel,
                ExtendedSocketOptions.TCP_KEEPINTERVAL,
                seconds(keepalive.interval().toSeconds()))
            && set(channel, ExtendedSocketOptions.TCP_KEEPCOUNT, keepalive.count());
    if (!timers && !timersUnsupportedLogged) {
      timersUnsupportedLogged = true;
      LOG.info(
          "TCP keepalive is on, but its timers cannot be set on this system: "
              + "the system's keepalive timers apply");
    }
  }

  /** At least a second: the socket option counts whole seconds. */
  private static int seconds(long s) {
    return (int) Math.max(1, Math.min(s, Integer.MAX_VALUE));
  }

  private static boolean set(Channel channel, SocketOption<Integer> option, int value) {
    try {
      return channel.config().setOption(NioChannelOption.of(option), value);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }
}
