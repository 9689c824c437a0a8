package org.bmpexporter.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The three CPU gauges the dashboards use ({@code process_cpu_usage}, {@code system_cpu_usage},
 * {@code system_load_average_1m}), under Micrometer's names. Micrometer's own ProcessorMetrics also
 * registers {@code process.cpu.time} and {@code system.cpu.count}, whose Prometheus names promtool
 * rejects (an abbreviated unit; {@code _count} on a gauge); binding only these three needs no
 * filter.
 */
final class CpuMetrics implements MeterBinder {
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();

  @Override
  public void bindTo(MeterRegistry registry) {
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      Gauge.builder("process.cpu.usage", sun, b -> b.getProcessCpuLoad())
          .description("The recent CPU usage of the exporter's process (0-1)")
          .register(registry);
      Gauge.builder("system.cpu.usage", sun, b -> b.getCpuLoad())
          .description("The recent CPU usage of the whole machine (0-1)")
          .register(registry);
    }
    if (os.getSystemLoadAverage() >= 0) { // -1 where the platform has no load average
      Gauge.builder("system.load.average.1m", os, OperatingSystemMXBean::getSystemLoadAverage)
          .description("The number of runnable tasks, averaged over a minute")
          .register(registry);
    }
  }
}
