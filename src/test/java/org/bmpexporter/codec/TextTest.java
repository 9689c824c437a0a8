package org.bmpexporter.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void asciiControlsBecomeSpaces() {
    assertThat(Text.printable("Cisco IOS XR\r\nVersion 7.5\tbuild\u0000", 256))
        .isEqualTo("Cisco IOS XR  Version 7.5 build");
    assertThat(Text.printable("esc\u001b[31mred\u007f", 256)).isEqualTo("esc [31mred");
  }

  @Test
  void unicodeSeparatorsBidiControlsAndOtherControlsAreEscapedVisibly() {
    // U+2028/2029 would start a new log line in many viewers; U+202E/U+2066 reorder what follows
    assertThat(Text.printable("a\u2028b\u2029c", 256)).isEqualTo("a\\u2028b\\u2029c");
    assertThat(Text.printable("evil\u202Egnp.exe", 256)).isEqualTo("evil\\u202Egnp.exe");
    assertThat(Text.printable("x\u2066y\u2069", 256)).isEqualTo("x\\u2066y\\u2069");
    assertThat(Text.printable("c1\u0085 csi\u009b", 256)).isEqualTo("c1\\u0085 csi\\u009B");
    assertThat(Text.printable("zw\u200Bj\uFEFF", 256)).isEqualTo("zw\\u200Bj\\uFEFF");
    // a tag character outside the BMP (Cf), and a lone surrogate
    assertThat(Text.printable("t\uDB40\uDC01", 256)).isEqualTo("t\\U000E0001");
    assertThat(Text.printable("s\uD800", 256)).isEqualTo("s\\uD800");
  }

  @Test
  void ordinaryTextOfAnyScriptIsKept() {
    String s = "rtr-1.example — Zürich 東京 \uD83D\uDE80 ﷺ";
    assertThat(Text.printable(s, 256)).isEqualTo(s);
  }

  @Test
  void cutToTheLengthNeverInsideAnEscapeOrASurrogatePair() {
    assertThat(Text.printable("abcdefgh", 5)).isEqualTo("abcde");
    assertThat(Text.printable("ab\u202Ecd", 5)).isEqualTo("ab");
    assertThat(Text.printable("ab\u202Ecd", 8)).isEqualTo("ab\\u202E");
    assertThat(Text.printable("abcd\uD83D\uDE80", 5)).isEqualTo("abcd");
    assertThat(Text.printable("  padded  ", 256)).isEqualTo("padded");
  }
}
