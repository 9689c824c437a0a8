package org.bmpexporter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bmpexporter.config.ConfigLoader;
import org.bmpexporter.config.ExporterConfig;
import org.bmpexporter.state.WatchList;
import org.bmpexporter.state.Watches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed file's watch list is applied; a broken one keeps the previous list and is counted. */
class WatchReloaderTest {
  @TempDir Path dir;

  @Test
  void goodChangesApplyBrokenOnesKeepThePreviousList() throws Exception {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, "watch: [{name: a, prefix: 192.0.2.0/24, origins: [64500]}]\n");
    ExporterConfig start = ConfigLoader.load(file, ExporterConfig.defaults());
    Watches watches = new Watches(WatchReloader.compile(start));
    WatchReloader reloader = new WatchReloader(Optional.of(file), watches);
    assertThat(reloader.reloadIfChanged()).as("unchanged").isFalse();

    Files.writeString(
        file,
        """
        watch:
          - {name: a, prefix: 192.0.2.0/24, origins: [64500]}
          - {name: b, prefix: "2001:db8::/32", more_specifics: true}
        """);
    assertThat(reloader.reloadIfChanged()).isTrue();
    WatchList now = watches.current();
    assertThat(now.names()).containsExactly("a", "b");
    assertThat(now.entries().get(1).prefix()).isEqualTo("2001:db8:0:0:0:0:0:0/32");
    assertThat(reloader.successes()).isEqualTo(1);

    Files.writeString(file, "watch: [{name: a, prefix: 192.0.2.1/24}]\n");
    assertThat(reloader.reloadIfChanged()).isFalse();
    assertThat(watches.current()).isSameAs(now);
    assertThat(reloader.failures()).isEqualTo(1);
    assertThat(reloader.reloadIfChanged())
        .as("the same broken file is not counted again")
        .isFalse();
    assertThat(reloader.failures()).isEqualTo(1);

    Files.writeString(file, "watch: [: broken yaml\n");
    assertThat(reloader.reloadIfChanged()).isFalse();
    assertThat(reloader.failures()).isEqualTo(2);

    Files.delete(file);
    assertThat(reloader.reloadIfChanged()).isFalse();
    assertThat(reloader.failures()).isEqualTo(3);
    assertThat(watches.current()).isSameAs(now);

    Files.writeString(file, "watch: []\n");
    assertThat(reloader.reloadIfChanged()).isTrue();
    assertThat(watches.current().isEmpty()).isTrue();
    assertThat(reloader.successes()).isEqualTo(2);
  }
}
