package org.bmpexporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.forward.RouterStream;
import org.bmpexporter.metrics.ForwardCounts;
import org.bmpexporter.testing.Bmp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link KafkaForwarder} with no broker at all (a loopback port nobody listens on): the messages
 * wait for Kafka on the producer thread instead of being dropped, those beyond the buffer are
 * dropped at once and counted, and a shutdown does not wait for Kafka longer than its bound.
 */
@Timeout(60)
class KafkaForwarderTest {
  @Test
  void withoutABrokerMessagesWaitWithinTheBufferAndCloseIsBounded() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nobody listens there
    }
    ExporterConfig config =
        ExporterConfig.defaults()
            .with("kafka.bootstrap_servers", "127.0.0.1:" + port)
            .with("kafka.produce.enabled", true)
            .with("kafka.produce.heartbeat_interval", "1h")
            .with("kafka.produce.buffer_bytes", 1L << 20);
    ForwardCounts counts = new ForwardCounts();
    KafkaForwarder forwarder = new KafkaForwarder(config.kafka(), counts);
    ForwardCounts.Destination d = counts.destinations().get(0);
    byte[] message = Bmp.initiation("router", "a router");
    long handOff = (1L << 20) - (1L << 20) / KafkaForwarder.PRODUCER_SHARE;
    RouterStream stream = forwarder.open("r", "192.0.2.1");
    // a few messages: they wait, none is dropped while the producer waits for the metadata
    for (int i = 0; i < 10; i++) {
      stream.frame(message, 0, message.length);
    }
    Thread.sleep(2 * KafkaForwarder.SEND_BLOCK.toMillis() + 500);
    assertThat(d.droppedMessages()).isZero();
    assertThat(d.forwardedMessages()).isZero();
    // far more than the hand-off holds: the rest is dropped at once, on the calling thread
    int more = (int) (2 * handOff / message.length);
    for (int i = 0; i < more; i++) {
      stream.frame(message, 0, message.length);
    }
    long dropped = d.droppedMessages();
    assertThat(dropped).isPositive().isLessThan(more);
    long waitingAtMost = handOff / (message.length + KafkaForwarder.PENDING_OVERHEAD);
    assertThat(10 + more - dropped).isLessThanOrEqualTo(waitingAtMost + 1);
    // Kafka never comes: close gives what waits 5 s, then abandons it, then closes the producer
    long t0 = System.nanoTime();
    stream.close();
    forwarder.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    assertThat(d.forwardedMessages()).isZero();
  }
}
