package org.bmpexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bmpexporter.cli.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * README's Configuration table, {@code --help} and {@link ExporterConfig#DEFAULTS} agree: the same
 * keys, and the same default for each key and flag. Values are compared as the configuration reads
 * them ({@code 60s} is {@code 1m}), by setting the documented value on the defaults and expecting
 * no change.
 */
class ConfigDocsTest {
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");
  private static final Pattern OPTION_LINE = Pattern.compile("^ {2}(?:-\\w, | {4})(--[\\w.-]+)");

  /** One row of README's Configuration table. */
  record Row(List<String> keys, List<String> flags, String defaultCell, String meaning) {}

  static List<Row> rows;
  static Map<String, String> helpDefaults;
  static String help;

  @BeforeAll
  static void read() throws Exception {
    rows = configurationTable(Files.readString(Path.of("README.md")));
    help = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF);
    helpDefaults = defaultsShownByHelp(help);
  }

  /**
   * The Configuration section's example YAML loads as written, and does not list an IPv4 and an
   * IPv6 wildcard listener on one port (on Linux the IPv6 one takes both: the second bind fails).
   */
  @Test
  void theReadmeExampleConfigurationLoads(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("## Configuration"));
    Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(m.find()).as("a yaml example in README's Configuration section").isTrue();
    Path file = dir.resolve("example.yml");
    Files.writeString(file, m.group(1));
    ExporterConfig config = ConfigLoader.load(file, ExporterConfig.defaults());
    assertThat(config.bmpListen()).isNotEmpty();
    Map<Integer, List<String>> wildcardsByPort = new LinkedHashMap<>();
    for (HostPort listen : config.bmpListen()) {
      if (listen.host().equals("0.0.0.0") || listen.host().equals("::")) {
        wildcardsByPort.computeIfAbsent(listen.port(), k -> new ArrayList<>()).add(listen.host());
      }
    }
    wildcardsByPort.forEach(
        (port, hosts) -> assertThat(hosts).as("wildcards on " + port).hasSize(1));
  }

  @Test
  void theReadmeTableListsExactlyTheKeysOfTheCode() {
    List<String> documented = new ArrayList<>();
    rows.forEach(r -> documented.addAll(r.keys()));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(ConfigLoader.keys());
  }

  @Test
  void theReadmeDefaultOfEveryKeyIsTheCodeDefault() throws Exception {
    for (Row r : rows) {
      if (r.keys().isEmpty()) {
        continue;
      }
      List<String> values = backticked(r.defaultCell());
      if (values.isEmpty()) {
        // a machine-dependent default, stated in words in code and README
        assertThat(r.keys()).hasSize(1);
        assertThat(r.defaultCell())
            .as(r.keys().get(0))
            .isEqualTo(ConfigLoader.defaultText(r.keys().get(0)));
        continue;
      }
      assertThat(values).as("one default per key in " + r.keys()).hasSameSizeAs(r.keys());
      for (int i = 0; i < values.size(); i++) {
        JsonNode value = ConfigLoader.MAPPER.readTree(values.get(i));
        assertUnchangedBy(r.keys().get(i), value, "README default " + values.get(i));
      }
    }
  }

  @Test
  void helpShowsADefaultForEveryFlag() {
    for (String flag : flagsOf(help)) {
      if (!flag.equals("--help") && !flag.equals("--version")) {
        assertThat(helpDefaults).as("--help shows a default for " + flag).containsKey(flag);
      }
    }
  }

  @Test
  void everyFlagIsInTheReadmeTable() {
    List<String> documented = new ArrayList<>(List.of("--config")); // described above the table
    rows.forEach(r -> documented.addAll(r.flags()));
    List<String> flags = new ArrayList<>(flagsOf(help));
    flags.removeAll(List.of("--help", "--version"));
    assertThat(documented).containsAll(flags);
  }

  @Test
  void helpShowsTheCodeDefaultOfTheKeyEachFlagSets() {
    int checked = 0;
    for (Row r : rows) {
      if (r.keys().isEmpty()) {
        continue;
      }
      assertThat(r.flags()).as("flags of " + r.keys()).hasSizeBetween(0, r.keys().size());
      if (r.flags().isEmpty()) {
        continue;
      }
      assertThat(r.flags()).as("one flag per key in " + r.keys()).hasSameSizeAs(r.keys());
      for (int i = 0; i < r.keys().size(); i++) {
        String key = r.keys().get(i);
        String flag = r.flags().get(i);
        String shown = helpDefaults.get(flag);
        assertThat(shown).as("--help default of " + flag).isNotNull();
        Object value;
        if (flag.startsWith("--no-")) {
          // a switch that turns the key off: off by default exactly when the key defaults on
          assertThat(shown).isIn("true", "false");
          value = !Boolean.parseBoolean(shown);
        } else if (shown.equals("none")) {
          value = List.of();
        } else {
          String[] items = shown.split(", ");
          value = items.length == 1 ? items[0] : List.of(items);
        }
        assertUnchangedBy(key, value, "--help default of " + flag + " (" + shown + ")");
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(7);
  }

  @Test
  void helpAndReadmeStateTheWarmUpCostAlike() {
    Row warmup =
        rows.stream().filter(r -> r.keys().equals(List.of("warmup"))).findFirst().orElseThrow();
    assertThat(warmup.meaning()).contains(Main.WARMUP_COST);
    assertThat(help.replaceAll("\\s+", " ")).contains(Main.WARMUP_COST);
  }

  /** Setting {@code value} on the defaults changes nothing: it is the default. */
  private static void assertUnchangedBy(String key, Object value, String what) {
    ExporterConfig set;
    try {
      set = ExporterConfig.DEFAULTS.with(key, value);
    } catch (ConfigException e) {
      throw new AssertionError(what + " for " + key + " does not read: " + e.getMessage(), e);
    }
    assertThat(set).as(what + " for " + key).isEqualTo(ExporterConfig.DEFAULTS);
  }

  static List<Row> configurationTable(String readme) {
    int section = readme.indexOf("\n## Configuration\n");
    assertThat(section).as("README has a Configuration section").isPositive();
    List<Row> out = new ArrayList<>();
    boolean inTable = false;
    for (String line : readme.substring(section).split("\n")) {
      if (!line.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      inTable = true;
      String[] cells = line.split("\\|", -1);
      // | key | flag | default | meaning |: cells[0] and cells[5] are the empty outsides
      assertThat(cells).as(line).hasSize(6);
      if (cells[1].strip().equals("YAML key") || cells[1].startsWith("---")) {
        continue;
      }
      List<String> flags = new ArrayList<>();
      for (String f : backticked(cells[2])) {
        flags.add(f.split(" ")[0]);
      }
      out.add(new Row(backticked(cells[1]), flags, cells[3].strip(), cells[4].strip()));
    }
    assertThat(out).as("rows of README's Configuration table").isNotEmpty();
    return out;
  }

  private static List<String> backticked(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static List<String> flagsOf(String usage) {
    List<String> out = new ArrayList<>();
    for (String line : usage.split("\n")) {
      Matcher m = OPTION_LINE.matcher(line);
      if (m.find()) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** Each option's "Default: x" line, by the option's long name. */
  static Map<String, String> defaultsShownByHelp(String usage) {
    Map<String, String> out = new LinkedHashMap<>();
    String option = null;
    for (String line : usage.split("\n")) {
      Matcher m = OPTION_LINE.matcher(line);
      if (m.find()) {
        option = m.group(1);
      } else if (!line.startsWith(" ")) {
        option = null; // "Commands:" and the like end the options
      }
      int at = line.indexOf("Default: ");
      if (option != null && at >= 0) {
        out.put(option, line.substring(at + "Default: ".length()).strip());
      }
    }
    return out;
  }
}
