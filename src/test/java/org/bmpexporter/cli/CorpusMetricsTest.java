package org.bmpexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bmpexporter.capture.CaptureReader;
import org.bmpexporter.capture.TcpFlow;
import org.bmpexporter.metrics.BmpCollector;
import org.bmpexporter.session.BmpSession;
import org.bmpexporter.state.RouterState;
import org.bmpexporter.state.Snapshots;
import org.bmpexporter.testing.ComponentTest;
import org.bmpexporter.testing.Promtool;
import org.bmpexporter.testing.Scrape;
import org.junit.jupiter.api.Test;

/**
 * The metrics of every corpus capture at once, as if each flow were a router of one exporter: a
 * valid exposition (promtool), and no two series with the same name and labels, whatever peer
 * types, distinguishers and all-zero addresses the real routers sent.
 */
@ComponentTest
class CorpusMetricsTest {

  @Test
  void allCorpusRoutersTogetherMakeAValidExposition() throws Exception {
    List<Snapshots.Router> routers = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(CorpusInspectTest.CORPUS)) {
      s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
          .sorted()
          .forEach(files::add);
    }
    int n = 0;
    for (Path f : files) {
      for (TcpFlow flow : CaptureReader.readFlows(f)) {
        if (!InspectCommand.looksLikeBmp(flow.payload())) {
          continue;
        }
        n++;
        String label = "10.255." + (n / 250) + "." + (n % 250 + 1);
        RouterState r = new RouterState(label, label, Runnable::run);
        BmpSession session = new BmpSession(r, 1 << 20, () -> 1.0);
        session.open();
        try {
          session.feed(flow.payload(), 0, flow.payload().length);
        } catch (RuntimeException e) {
          // framing errors are counted; the router still has series
        }
        routers.add(r.snapshot());
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create()
        .write(out, BmpCollector.collect(routers), EscapingScheme.ALLOW_UTF8);
    String text = out.toString(StandardCharsets.UTF_8);
    List<String> series = new ArrayList<>();
    for (Scrape.Sample s : Scrape.of(text).samples()) {
      series.add(s.name() + s.labels());
    }
    assertThat(series).doesNotHaveDuplicates();
    assertThat(Scrape.of(text).sum("bmp_routes")).isGreaterThan(4000);
    Promtool.checkMetrics(text);
  }
}
