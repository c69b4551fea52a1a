package io.cairn.webdav.xml;

/** Escaping for XML 1.0 text and attribute values. */
public final class Xml {
  private Xml() {}

  /** {@code s} escaped for element content. */
  public static String text(String s) {
    if (plain(s)) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    escape(s, out, false);
    return out.toString();
  }

  /** True when {@code s} has nothing to escape in text: the common case, returned as it is. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!plain(s.charAt(i), false)) {
        return false;
      }
    }
    return true;
  }

  /** True when {@link #escape} writes {@code c} as it is whatever follows it (false may be too strict). */
  private static boolean plain(char c, boolean attribute) {
    return c >= 0x20 && c != '&' && c != '<' && c != '>' && c < 0xD800 && !(attribute && c == '"');
  }

  /** {@code s} escaped for a double-quoted attribute value. */
  public static String attr(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    escape(s, out, true);
    return out.toString();
  }

  /**
   * Appends {@code s} escaped. Characters XML 1.0 cannot carry at all (most C0 controls, lone
   * surrogates) become U+FFFD; carriage returns are written as references so they survive parsing.
   */
  public static void escape(String s, StringBuilder out, boolean attribute) {
    // The plain part before the first character to escape goes in one append: an href or a name
    // usually has none, and a PROPFIND escapes one of each per child.
    int first = 0;
    while (first < s.length() && plain(s.charAt(first), attribute)) {
      first++;
    }
    if (first == s.length()) {
      out.append(s);
      return;
    }
    out.append(s, 0, first);
    for (int i = first; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append(attribute ? "&quot;" : "\"");
        case '\r' -> out.append("&#13;");
        case '\t', '\n' -> {
          if (attribute) {
            out.append(c == '\t' ? "&#9;" : "&#10;");
          } else {
            out.append(c);
          }
        }
        default -> {
          if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
            out.append('\uFFFD');
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
