package io.cairn.server.auth;

/**
 * LDAP search filters built from a configured template and user input, escaped as RFC 4515 §3
 * requires, so that a login name such as {@code a*)(uid=*} matches only an entry of that very
 * name.
 */
public final class LdapFilters {
  private LdapFilters() {}

  /**
   * {@code value} as an assertion value: {@code *}, {@code (}, {@code )}, {@code \} and NUL as
   * {@code \2a}, {@code \28}, {@code \29}, {@code \5c}, {@code \00}; everything else as it is
   * (JNDI sends the filter as UTF-8).
   */
  public static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '*' -> b.append("\\2a");
        case '(' -> b.append("\\28");
        case ')' -> b.append("\\29");
        case '\\' -> b.append("\\5c");
        case '\0' -> b.append("\\00");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * {@code template} with each {@code {i}} replaced by the escaped {@code args[i]}, in one pass (a
   * value that itself reads {@code {1}} stays as it is).
   */
  public static String format(String template, String... args) {
    StringBuilder b = new StringBuilder(template.length() + 32);
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      if (c == '{' && i + 2 < template.length() && template.charAt(i + 2) == '}') {
        int n = template.charAt(i + 1) - '0';
        if (n >= 0 && n < args.length) {
          b.append(escape(args[n]));
          i += 2;
          continue;
        }
      }
      b.append(c);
    }
    return b.toString();
  }
}
