package org.bmpexporter.reliability;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bmpexporter.interop.Await;
import org.bmpexporter.interop.ExporterProcess;
import org.bmpexporter.interop.Ports;
import org.bmpexporter.testing.Scrape;

/**
 * Finding 1 of issue 11 at full size, against the packaged exporter in a child JVM: {@code N}
 * connections (default 2,000) each stalling 1,048,575 bytes into a 1 MiB message, beside a clean
 * router, with {@code /healthz} asked every 100 ms. Prints fds, threads and used heap before,
 * during and after (after: 40 s after every attacking socket closed), the {@code /healthz}
 * latencies, the sessions closed for the buffer budget and whether the clean router's counts are
 * exact. Raise the open-file limit first ({@code ulimit -n 8192}): the driver holds N sockets too.
 *
 * <pre>
 * mvn -B -q package -DskipTests && mvn -B -q dependency:build-classpath -Dmdep.outputFile=cp.txt
 * ulimit -n 8192
 * java -cp target/test-classes:target/classes:$(cat cp.txt) \
 *     org.bmpexporter.reliability.StalledMessagesDriver 2000 -Xmx1g
 * </pre>
 *
 * Arguments: connections (2000), then JVM options for the exporter (default {@code -Xmx1g}); {@code
 * -XX:+ExitOnOutOfMemoryError} is always added, as every documented launch has it. {@code
 * -Dinterop.exporterJar=PATH} runs another build of the exporter.
 */
public final class StalledMessagesDriver {
  private StalledMessagesDriver() {}

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    List<String> jvm = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      jvm.add(args[i]);
    }
    if (jvm.isEmpty()) {
      jvm.add("-Xmx1g");
    }
    jvm.add("-XX:+ExitOnOutOfMemoryError");
    ExporterProcess.requireJar();
    int bmpPort = Ports.free();
    Path work = Path.of("target", "reliability", "driver", "exporter").toAbsolutePath();
    try (ExporterProcess exporter =
        new ExporterProcess(
                "exporter",
                work,
                new ExporterProcess.Config(
                    List.of(new ExporterProcess.Endpoint("127.0.0.1", bmpPort)),
                    new ExporterProcess.Endpoint("127.0.0.1", Ports.free()),
                    List.of()))
            .jvmOptions(jvm)
            .args(List.of("--no-warmup"))
            .start()) {
      long pid = exporter.proc().daemonPid().orElseThrow();
      InetSocketAddress bmp = new InetSocketAddress("127.0.0.1", bmpPort);
      System.out.printf(
          "exporter %s (pid %d, %s), log %s%n",
          ExporterProcess.jar(), pid, jvm, exporter.proc().log());
      ProcessFigures before = ProcessFigures.of(pid, exporter.scrape());
      System.out.println("before: " + before);
      HealthProbe health =
          new HealthProbe(exporter.webTarget(), Duration.ofMillis(100), Duration.ofSeconds(10));
      CleanRouter clean = new CleanRouter("127.0.0.2", bmp, 5_000, 50);
      StalledMessages attack = new StalledMessages(bmp, connections, 1 << 20, (1 << 20) - 1);
      long t0 = System.nanoTime();
      CompletableFuture<Void> attacking =
          CompletableFuture.runAsync(
              () -> {
                try {
                  attack.run(16, 600);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      int sent = 0;
      for (; sent < clean.batches() && !attacking.isDone(); sent++) {
        clean.send(sent);
        Thread.sleep(100);
      }
      int sentDuringAttack = sent;
      attacking.get(660, TimeUnit.SECONDS);
      System.out.printf("attack done in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, attack);
      boolean alive = exporter.proc().alive();
      System.out.println("exporter alive after the attack: " + alive);
      if (!alive) {
        System.out.println(exporter.proc().logTail(20));
        return;
      }
      for (; sent < clean.batches(); sent++) {
        clean.send(sent); // the rest, if the attack ended first
      }
      Scrape during = exporter.scrape();
      System.out.println("during (sockets held): " + ProcessFigures.of(pid, during));
      System.out.printf(
          "sessions open %.0f, closed for the buffer budget %.0f%n",
          during.value("bmp_sessions"),
          during.value("bmp_sessions_rejected_total", "reason", "buffer_budget"));
      Await.sleep(Duration.ofSeconds(10)); // the sockets held a while longer
      System.out.println(
          "10 s later, sockets still held: " + ProcessFigures.of(pid, exporter.scrape()));
      attack.closeAll();
      Await.sleep(Duration.ofSeconds(40));
      health.stop();
      Scrape after = exporter.scrape();
      System.out.println(
          "40 s after the attacking sockets closed: " + ProcessFigures.of(pid, after));
      System.out.printf("sessions open %.0f%n", after.value("bmp_sessions"));
      System.out.println("/healthz during the whole run: " + health);
      if (!health.failures().isEmpty()) {
        System.out.println(
            "first failures: "
                + health.failures().subList(0, Math.min(5, health.failures().size())));
      }
      double routes = after.sum("bmp_routes", "router", clean.router());
      double updates =
          after.value(
              "bmp_router_messages_total", "router", clean.router(), "type", "route_monitoring");
      System.out.printf(
          "clean router (%d of %d batches sent during the attack): bmp_routes %.0f of %d,"
              + " route monitoring messages %.0f of %d, decode errors %.0f: %s%n",
          sentDuringAttack,
          clean.batches(),
          routes,
          clean.expectedRoutes(),
          updates,
          clean.expectedUpdates(),
          after.sum("bmp_router_decode_errors_total", "router", clean.router()),
          routes == clean.expectedRoutes() && updates == clean.expectedUpdates()
              ? "exact"
              : "NOT exact");
      clean.close();
    }
  }
}
