package io.cairn.server.auth;

import io.cairn.storage.users.Grant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/**
 * How Cairn reaches an LDAP directory and what its groups mean (the {@code ldap.*} keys of {@code
 * conf/cairn.properties}; docs/ldap.md). {@link #toString()} leaves the bind password out.
 *
 * @param url {@code ldap://HOST:PORT} or {@code ldaps://HOST:PORT}
 * @param bindDn the service account that searches, or null to search anonymously
 * @param bindPassword its password, or null
 * @param userBase where users are searched (subtree)
 * @param userFilter the user search; {@code {0}} is the login name, escaped (RFC 4515)
 * @param groupBase where groups are searched (subtree), or null for no groups
 * @param groupFilter the group search; {@code {0}} is the user's DN, {@code {1}} the login name,
 *     both escaped
 * @param adminGroup members of this group are Cairn admins: a DN, or a bare cn; null for none
 * @param grants shared namespaces granted to the members of a group
 * @param cache how long a verified LDAP login is trusted before the directory is asked again
 *     (password, admin flag, grants)
 */
public record LdapSettings(
    String url,
    String bindDn,
    String bindPassword,
    String userBase,
    String userFilter,
    String groupBase,
    String groupFilter,
    String adminGroup,
    List<GrantRule> grants,
    Duration cache) {

  public static final String DEFAULT_USER_FILTER = "(uid={0})";
  public static final String DEFAULT_GROUP_FILTER = "(member={0})";

  /** Members of {@code group} get {@code access} to the shared namespace {@code namespace}. */
  public record GrantRule(String namespace, LdapName group, Grant.Access access) {}

  /**
   * The grant rules of {@code ldap.grants}: entries separated by {@code ;}, each {@code
   * NAME=GROUP-DN:read} or {@code NAME=GROUP-DN:write}. The name ends at the first {@code =}, the
   * access follows the last {@code :}.
   *
   * @throws IllegalArgumentException naming the entry that cannot be read
   */
  public static List<GrantRule> parseGrants(String text) {
    List<GrantRule> rules = new ArrayList<>();
    if (text == null) {
      return rules;
    }
    for (String raw : text.split(";")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      int colon = entry.lastIndexOf(':');
      if (eq <= 0 || colon < eq) {
        throw new IllegalArgumentException("'" + entry + "' is not NAME=GROUP-DN:read|write");
      }
      String name = entry.substring(0, eq).trim();
      String access = entry.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      Grant.Access a = switch (access) {
        case "read" -> Grant.Access.READ;
        case "write" -> Grant.Access.WRITE;
        default -> throw new IllegalArgumentException("'" + entry + "': the access is read or write, not " + access);
      };
      rules.add(new GrantRule(name, dn(entry.substring(eq + 1, colon).trim()), a));
    }
    return rules;
  }

  /** {@code text} as a DN; IllegalArgumentException when it is none. */
  public static LdapName dn(String text) {
    try {
      LdapName n = new LdapName(text);
      if (n.isEmpty()) {
        throw new IllegalArgumentException("an empty DN");
      }
      return n;
    } catch (InvalidNameException e) {
      throw new IllegalArgumentException("'" + text + "' is not a DN: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "LdapSettings[" + url + ", bind " + (bindDn == null ? "anonymous" : bindDn) + ", users " + userBase
        + " " + userFilter + ", groups " + groupBase + " " + groupFilter + ", admin " + adminGroup + ", "
        + grants.size() + " grant rules, cache " + cache + "]";
  }
}
