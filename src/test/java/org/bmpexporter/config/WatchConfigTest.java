package org.bmpexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code watch} list and {@code watch_limits}: what loads, and what is refused and why. */
class WatchConfigTest {
  @TempDir Path dir;

  private ExporterConfig load(String yaml) throws Exception {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, ExporterConfig.defaults());
  }

  private List<String> problems(String yaml) {
    try {
      load(yaml);
    } catch (ConfigException e) {
      return e.problems();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("loaded: " + yaml);
  }

  @Test
  void entriesLoadWithTheirDefaults() throws Exception {
    ExporterConfig c =
        load(
            """
            watch:
              - name: docs-prefix
                prefix: 192.0.2.0/24
                origins: [64500, 4200000000]
                more_specifics: true
              - name: v6
                prefix: "2001:db8::/32"
                rd: "65000:100"
            """);
    assertThat(c.watch()).hasSize(2);
    Watch docs = c.watch().get(0);
    assertThat(docs.prefix()).isEqualTo(Cidr.parse("192.0.2.0/24"));
    assertThat(docs.origins()).containsExactly(64500L, 4200000000L);
    assertThat(docs.moreSpecifics()).isTrue();
    assertThat(docs.rd()).isEmpty();
    Watch v6 = c.watch().get(1);
    assertThat(v6.rd()).isEqualTo("65000:100");
    assertThat(v6.origins()).isEmpty();
    assertThat(v6.moreSpecifics()).isFalse();
    assertThat(c.watchLimits().maxEntries()).isEqualTo(10_000);
    // the list survives the configuration's own round trip (flags are merged over it)
    assertThat(c.with("warmup", false).watch()).isEqualTo(c.watch());
  }

  @Test
  void hostBitsAreRefusedWithTheIntendedPrefix() {
    assertThat(problems("watch: [{name: a, prefix: 192.0.2.1/24}]"))
        .singleElement()
        .asString()
        .contains("watch entry 'a'")
        .contains("host bits set")
        .contains("192.0.2.0/24");
  }

  @Test
  void badValuesAreNamed() {
    assertThat(problems("watch: [{name: a, prefix: 192.0.2.0/33}]"))
        .singleElement()
        .asString()
        .contains("out of range");
    assertThat(problems("watch: [{name: a, prefix: not-a-prefix/8}]"))
        .singleElement()
        .asString()
        .contains("not an IP address or CIDR");
    assertThat(problems("watch: [{name: a, prefix: 192.0.2.0}]"))
        .singleElement()
        .asString()
        .contains("needs prefix: a CIDR");
    assertThat(problems("watch: [{prefix: 192.0.2.0/24}]"))
        .singleElement()
        .asString()
        .contains("needs name");
    assertThat(problems("watch: [{name: a, prefix: 192.0.2.0/24, origin: [1]}]"))
        .singleElement()
        .asString()
        .contains("unknown key 'origin'");
    assertThat(problems("watch: [{name: a, prefix: 192.0.2.0/24, origins: [-1]}]"))
        .singleElement()
        .asString()
        .contains("not an AS number");
    assertThat(problems("watch: [{name: a, prefix: 192.0.2.0/24, rd: '70000:70000'}]"))
        .singleElement()
        .asString()
        .contains("not a route distinguisher");
    assertThat(problems("watch: {name: a, prefix: 192.0.2.0/24}"))
        .singleElement()
        .asString()
        .contains("expected a list of {name, prefix, rd, origins, more_specifics}");
  }

  @Test
  void routeDistinguishersAsTheRdLabelWritesThem() {
    assertThat(ConfigValues.rdProblem("65000:100")).isNull();
    assertThat(ConfigValues.rdProblem("4200000000:7")).isNull();
    assertThat(ConfigValues.rdProblem("192.0.2.1:7")).isNull();
    assertThat(ConfigValues.rdProblem("0:0")).isNull();
    assertThat(ConfigValues.rdProblem("192.0.2.256:7")).isNotNull();
    assertThat(ConfigValues.rdProblem("65000")).isNotNull();
    assertThat(ConfigValues.rdProblem("4200000000:70000")).isNotNull();
  }

  @Test
  void duplicatesAreRefused() {
    assertThat(
            problems(
                """
                watch:
                  - {name: a, prefix: 192.0.2.0/24}
                  - {name: a, prefix: 198.51.100.0/24}
                  - {name: b, prefix: 192.0.2.0/24}
                  - {name: c, prefix: 192.0.2.0/24, rd: "65000:1"}
                """))
        .containsExactly(
            "configuration key 'watch': name 'a' is used by two entries",
            "configuration key 'watch': entries 'a' and 'b' both watch 192.0.2.0/24");
  }

  @Test
  void theListIsBounded() {
    assertThat(
            problems(
                """
                watch_limits: {max_entries: 1}
                watch:
                  - {name: a, prefix: 192.0.2.0/24}
                  - {name: b, prefix: 198.51.100.0/24}
                """))
        .containsExactly(
            "configuration key 'watch': 2 entries, more than watch_limits.max_entries (1)");
  }

  @Test
  void aReloadReadsOnlyTheWatchKeys() throws Exception {
    Path file = dir.resolve("reload.yml");
    // no listener at all would stop a start; a reload does not judge the other keys together
    Files.writeString(file, "bmp: {listen: []}\nwatch: [{name: a, prefix: 192.0.2.0/24}]\n");
    assertThat(ConfigLoader.loadWatch(file).watch()).extracting(Watch::name).containsExactly("a");
    Files.writeString(
        file, "watch: [{name: a, prefix: 192.0.2.0/24}, {name: a, prefix: '::/0'}]\n");
    assertThatThrownBy(() -> ConfigLoader.loadWatch(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("used by two entries");
  }
}
