package org.bmpexporter.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) started as a child JVM from
 * the test classpath's kafka_2.13 jars, on loopback ports that were free, with a fresh log
 * directory. The Kafka tools call System.exit, so they never run in the test JVM.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path dir;
  private Process process;
  private final int port;

  private KafkaBroker(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /** Formats a log directory under {@code dir} and starts the broker; returns once it serves. */
  public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
    return start(dir, freePort());
  }

  /** As {@link #start(Path)}, on a chosen loopback port (a client may be pointed at it before). */
  public static KafkaBroker start(Path dir, int port) throws IOException, InterruptedException {
    int controller = freePort();
    Path logs = dir.resolve("kafka-logs");
    Path props = dir.resolve("server.properties");
    Files.writeString(
        props,
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.bootstrap.servers=127.0.0.1:" + controller,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + logs,
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=false",
            ""),
        StandardCharsets.UTF_8);
    String uuid = "q1Sh-9_ISia_zwGINzRvyQ"; // any base64 UUID: one cluster per directory
    Process format =
        java(
                dir,
                "format.log",
                "kafka.tools.StorageTool",
                "format",
                "--config",
                props.toString(),
                "--cluster-id",
                uuid,
                "--standalone")
            .start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IOException(
          "kafka storage format failed: " + Files.readString(dir.resolve("format.log")));
    }
    KafkaBroker b = new KafkaBroker(dir, null, port);
    b.launch();
    return b;
  }

  /** Starts the broker process on the formatted directory and waits until it serves. */
  private void launch() throws IOException, InterruptedException {
    Path props = dir.resolve("server.properties");
    process = java(dir, "broker.log", "-Xmx512m", "kafka.Kafka", props.toString()).start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (serves()) {
        return;
      }
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String log = Files.readString(dir.resolve("broker.log"), StandardCharsets.UTF_8);
        close();
        throw new IOException("kafka broker did not start: " + tail(log));
      }
      Thread.sleep(500);
    }
  }

  /**
   * Stops the broker (a clean shutdown) and keeps its log directory: {@link #restart} brings it
   * back on the same ports with the same topics and records.
   */
  public void stop() {
    close();
  }

  /** Starts the stopped broker again on the same ports and log directory. */
  public void restart() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the broker is running");
    }
    launch();
  }

  /** Whether the broker answers a cluster description (within a few seconds). */
  private boolean serves() {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
      return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  private static ProcessBuilder java(Path dir, String logName, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (!args[0].startsWith("-X")) {
      cmd.add("-Xmx256m");
    }
    // the test classpath's logging settings quiet org.apache.kafka; the broker's log says more
    cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=info");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile()));
  }

  private static String tail(String log) {
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }

  /** A loopback port that was free just now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** Creates {@code topic} with {@code partitions} partitions. */
  public void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  /** A producer of raw bytes that waits for every record to be written. */
  public KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Writes {@code values} to one partition, in order, and waits until all are stored. */
  public void produce(String topic, int partition, List<byte[]> values) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (byte[] v : values) {
        sent.add(producer.send(new ProducerRecord<>(topic, partition, null, v)));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(60, TimeUnit.SECONDS); // fails here when a record was not stored
      }
    }
  }

  @Override
  public void close() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The broker's log so far, for failure messages. */
  public String log() throws IOException {
    return tail(Files.readString(dir.resolve("broker.log"), StandardCharsets.UTF_8));
  }
}
