package org.bmpexporter.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ExternalToolsTest {
  private static final String FAKE = "bmp-exporter-test-tool";
  private static final String ABSENT = "bmp-exporter-no-such-program";

  @AfterEach
  void clearProperties() {
    System.clearProperty(FAKE);
    System.clearProperty("tools.required");
  }

  @Test
  void anExplicitPathInTheSystemPropertyWins(@TempDir Path dir) throws IOException {
    Path tool = executable(dir.resolve("anything"));
    System.setProperty(FAKE, tool.toString());
    assertThat(ExternalTools.find(FAKE)).contains(tool);
  }

  @Test
  void anExplicitPathThatIsNotExecutableFindsNothingEvenIfPathHasOne(@TempDir Path dir)
      throws IOException {
    Path notExecutable = Files.writeString(dir.resolve("plain"), "text");
    System.setProperty(FAKE, notExecutable.toString());
    assertThat(ExternalTools.find(FAKE, "sh")).isEmpty();
  }

  @Test
  void theFirstNameFoundOnThePathIsTaken() {
    assertThat(ExternalTools.find(ABSENT, "sh"))
        .hasValueSatisfying(p -> assertThat(p.getFileName()).hasToString("sh"));
    assertThat(ExternalTools.find(ABSENT)).isEmpty();
  }

  @Test
  void aMissingToolFailsWhenToolsAreRequired() {
    System.setProperty("tools.required", "true");
    assertThatThrownBy(() -> ExternalTools.require("some-package", ABSENT))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("apt-get install some-package")
        .hasMessageContaining("fails the build instead of skipping");
  }

  @Test
  void aMissingToolSkipsOutsideCi() {
    assumeFalse(ExternalTools.mustNotSkip(), "CI=true: missing tools fail here");
    assertThatThrownBy(() -> ExternalTools.require("some-package", ABSENT))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining(ABSENT + " not found");
  }

  @Test
  void aPresentToolIsReturnedWhateverThePolicy() {
    System.setProperty("tools.required", "true");
    assertThat(ExternalTools.require("dash", "sh")).isNotNull();
  }

  private static Path executable(Path file) throws IOException {
    Files.writeString(file, "#!/bin/sh\n");
    assertThat(file.toFile().setExecutable(true)).isTrue();
    return file;
  }
}
