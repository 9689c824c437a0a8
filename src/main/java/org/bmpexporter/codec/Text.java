package org.bmpexporter.codec;

/**
 * Makes text received from the network safe for labels and log lines. Routers name themselves
 * (sysName, sysDescr, VRF names, shutdown communications) with strings anyone who can open a BMP
 * session can choose: a line separator would forge a log line, a bidi override would make a log or
 * a dashboard show other text than it holds.
 */
public final class Text {
  private Text() {}

  /**
   * {@code s} with ASCII control characters as spaces (a multi-line sysDescr reads on one line, a C
   * string's NUL terminator disappears, a terminal escape sequence loses its ESC), and every other
   * control, format (bidi overrides and isolates, zero-width characters), line or paragraph
   * separator code point, or lone surrogate, as a visible {@code \}{@code uXXXX} escape; leading
   * and trailing spaces stripped, cut to {@code maxLength} chars (never inside an escape or a
   * surrogate pair).
   */
  public static String printable(String s, int maxLength) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), maxLength) + 8);
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp < 0x20 || cp == 0x7f) {
        out.append(' ');
      } else if (unsafe(cp)) {
        out.append(cp > 0xffff ? String.format("\\U%08X", cp) : String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
    }
    String stripped = out.toString().strip();
    return stripped.length() <= maxLength ? stripped : cut(stripped, maxLength);
  }

  /** Controls (Cc), format characters (Cf: bidi overrides and isolates), separators, surrogates. */
  static boolean unsafe(int cp) {
    switch (Character.getType(cp)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SURROGATE:
      case Character.PRIVATE_USE:
      case Character.UNASSIGNED:
        return true;
      default:
        return false;
    }
  }

  private static String cut(String s, int maxLength) {
    int end = maxLength;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    // an escape cut short would read as other text: drop its start
    int escape = s.lastIndexOf('\\', end - 1);
    if (escape >= 0 && escape > end - 10) {
      int full = s.charAt(escape + 1) == 'U' ? 10 : 6;
      if (escape + 1 < s.length()
          && (s.charAt(escape + 1) == 'u' || s.charAt(escape + 1) == 'U')
          && escape + full > end) {
        end = escape;
      }
    }
    return s.substring(0, end);
  }
}
