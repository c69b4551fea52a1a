package io.cairn.storage.users;

import java.util.regex.Pattern;

/**
 * The rules for user names and the namespaces derived from them. Names are lower-case ASCII
 * ({@code [a-z0-9][a-z0-9._-]{0,63}}), so no two names differ only by case or Unicode
 * normalization and a name can be put in a namespace name as it is.
 */
public final class UserNames {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern SHARED = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Home namespaces are {@code home:<user>}; shared ones {@code shared:<name>}. */
  public static final String HOME_PREFIX = "home:";

  public static final String SHARED_PREFIX = "shared:";

  private UserNames() {}

  /** Whether {@code name} is a valid user name. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** The home namespace of user {@code name}. */
  public static String home(String name) {
    return HOME_PREFIX + name;
  }

  /** Whether {@code name} is valid as the short name of a shared namespace. */
  public static boolean isValidShared(String name) {
    return name != null && SHARED.matcher(name).matches();
  }

  /** The namespace of the shared folder {@code name}. */
  public static String shared(String name) {
    return SHARED_PREFIX + name;
  }

  /** Why {@code name} is not a valid user name, for error messages. */
  public static String rule() {
    return "a user name is 1 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";
  }
}
