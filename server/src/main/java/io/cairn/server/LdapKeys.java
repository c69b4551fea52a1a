package io.cairn.server;

import io.cairn.server.auth.LdapSettings;
import io.cairn.storage.users.UserNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code ldap.*} configuration keys (see {@code conf/cairn.properties} and docs/ldap.md). LDAP
 * is on when {@code ldap.url} is set; then {@code ldap.user.base} is required, and every DN is
 * checked at start, so a mistake is one line at start rather than a 503 at the first login.
 */
final class LdapKeys {
  static final Set<String> KEYS =
      Set.of(
          "ldap.url",
          "ldap.bind.dn",
          "ldap.bind.password",
          "ldap.user.base",
          "ldap.user.filter",
          "ldap.group.base",
          "ldap.group.filter",
          "ldap.admin.group",
          "ldap.grants",
          "ldap.cache.seconds");

  private LdapKeys() {}

  /** The LDAP settings, or null when {@code ldap.url} is not set. */
  static LdapSettings parse(Map<String, String> values) {
    String url = blankToNull(values.get("ldap.url"));
    if (url == null) {
      for (String key : KEYS) {
        if (blankToNull(values.get(key)) != null) {
          throw new ServerConfig.InvalidConfig(key + " is set but ldap.url is not: set ldap.url = ldap://HOST:389");
        }
      }
      return null;
    }
    String scheme;
    try {
      scheme = new URI(url).getScheme();
    } catch (URISyntaxException e) {
      scheme = null;
    }
    if (scheme == null || !Set.of("ldap", "ldaps").contains(scheme.toLowerCase(Locale.ROOT))) {
      throw new ServerConfig.InvalidConfig("ldap.url must be ldap://HOST:PORT or ldaps://HOST:PORT, not " + url);
    }
    String bindDn = blankToNull(values.get("ldap.bind.dn"));
    String bindPassword = values.get("ldap.bind.password");
    if (bindDn != null && (bindPassword == null || bindPassword.isEmpty())) {
      // A bind with a DN and no password is an anonymous bind (RFC 4513 §5.1.2): say so now.
      throw new ServerConfig.InvalidConfig("ldap.bind.dn is set, so ldap.bind.password must be too");
    }
    String userBase = blankToNull(values.get("ldap.user.base"));
    if (userBase == null) {
      throw new ServerConfig.InvalidConfig("ldap.url is set, so ldap.user.base must be too (where users are searched)");
    }
    String groupBase = blankToNull(values.get("ldap.group.base"));
    String userFilter = filter(values, "ldap.user.filter", LdapSettings.DEFAULT_USER_FILTER, "{0}");
    String groupFilter = filter(values, "ldap.group.filter", LdapSettings.DEFAULT_GROUP_FILTER, null);
    String admin = blankToNull(values.get("ldap.admin.group"));
    try {
      dn("ldap.bind.dn", bindDn);
      dn("ldap.user.base", userBase);
      dn("ldap.group.base", groupBase);
      if (admin != null && admin.indexOf('=') >= 0) {
        dn("ldap.admin.group", admin);
      }
      List<LdapSettings.GrantRule> grants = LdapSettings.parseGrants(values.get("ldap.grants"));
      for (LdapSettings.GrantRule g : grants) {
        if (!UserNames.isValidShared(g.namespace())) {
          throw new ServerConfig.InvalidConfig("ldap.grants: " + g.namespace() + " is no shared namespace name ("
              + "1 to 64 characters of a-z, 0-9, '.', '_' or '-')");
        }
      }
      if ((admin != null || !grants.isEmpty()) && groupBase == null) {
        throw new ServerConfig.InvalidConfig("ldap.admin.group and ldap.grants need ldap.group.base (where groups are searched)");
      }
      Duration cache = Duration.ofSeconds(ServerConfig.number(values, "ldap.cache.seconds", 300, 1, 86400));
      return new LdapSettings(url, bindDn, bindDn == null ? null : bindPassword, userBase, userFilter, groupBase,
          groupFilter, admin, grants, cache);
    } catch (IllegalArgumentException e) {
      throw new ServerConfig.InvalidConfig("ldap.grants: " + e.getMessage());
    }
  }

  private static void dn(String key, String value) {
    if (value == null) {
      return;
    }
    try {
      LdapSettings.dn(value);
    } catch (IllegalArgumentException e) {
      throw new ServerConfig.InvalidConfig(key + ": " + e.getMessage());
    }
  }

  private static String filter(Map<String, String> values, String key, String dflt, String needs) {
    String f = blankToNull(values.get(key));
    if (f == null) {
      return dflt;
    }
    if (!f.startsWith("(") || !f.endsWith(")") || (needs != null && !f.contains(needs))) {
      throw new ServerConfig.InvalidConfig(key + " must be a filter in parentheses" + (needs == null ? "" : " with " + needs)
          + ", such as " + dflt + ", not " + f);
    }
    return f;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
