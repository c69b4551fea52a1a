package io.cairn.server.auth;

import java.util.HashSet;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An LDAP directory reached with the JDK's JNDI client: finds a user by a search filter as the
 * service account, verifies their password by binding as the DN found, and lists the groups they
 * belong to. Blocking (a few network round trips); thread-safe; each call opens its own
 * connections, so there is nothing to close.
 *
 * <p>When the directory cannot be reached, or refuses the service account, or rejects a search,
 * calls throw {@link Unavailable}: that is the directory's fault, never the user's, and the edge
 * answers 503 so that clients retry instead of asking for a password. One WARN line is logged when
 * the directory goes away and one INFO line when it is back; no stack traces.
 */
public final class LdapDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(LdapDirectory.class);
  private static final String CONNECT_TIMEOUT_MS = "5000";
  private static final String READ_TIMEOUT_MS = "10000";

  private final LdapSettings settings;
  private final AtomicBoolean down = new AtomicBoolean();

  public LdapDirectory(LdapSettings settings) {
    this.settings = settings;
  }

  public LdapSettings settings() {
    return settings;
  }

  /** The directory could not answer; the message is fit for a log line. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A user found in the directory.
   *
   * @param dn their entry's DN
   * @param groups the DNs of the groups that list them
   * @param groupNames the {@code cn} values of those groups, lower-case
   */
  public record Account(LdapName dn, Set<LdapName> groups, Set<String> groupNames) {
    /** Whether the account is in {@code group}: a DN, or a bare cn (case-insensitive). */
    public boolean memberOf(String group) {
      if (group == null || group.isBlank()) {
        return false;
      }
      if (group.indexOf('=') < 0) {
        return groupNames.contains(group.trim().toLowerCase(Locale.ROOT));
      }
      return groups.contains(LdapSettings.dn(group));
    }
  }

  /**
   * The account of {@code login} if {@code password} is theirs. An empty password is refused here,
   * before any bind: LDAP servers take a simple bind with a DN and no password as an anonymous bind
   * and answer it with success (RFC 4513 §5.1.2).
   *
   * @return null when no single entry matches or the directory refuses the password
   * @throws Unavailable when the directory cannot be asked
   */
  public Account authenticate(String login, String password) {
    if (password == null || password.isEmpty()) {
      return null;
    }
    Account a = find(login);
    if (a == null || !bind(a.dn(), password)) {
      return null;
    }
    return a;
  }

  /**
   * The account of {@code login}, found by the service account with the user filter, and its
   * groups; null when no entry or more than one matches (the latter is logged: the filter is too
   * loose).
   *
   * @throws Unavailable when the directory cannot be asked
   */
  public Account find(String login) {
    return call(() -> {
      DirContext ctx = new InitialDirContext(environment(settings.bindDn(), settings.bindPassword()));
      try {
        LdapName dn = findUser(ctx, login);
        if (dn == null) {
          return null;
        }
        Set<LdapName> groups = new HashSet<>();
        Set<String> names = new HashSet<>();
        findGroups(ctx, dn, login, groups, names);
        return new Account(dn, Set.copyOf(groups), Set.copyOf(names));
      } finally {
        ctx.close();
      }
    });
  }

  private LdapName findUser(DirContext ctx, String login) throws NamingException {
    SearchControls sc = new SearchControls();
    sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
    sc.setCountLimit(2);
    sc.setReturningAttributes(new String[0]);
    String filter = LdapFilters.format(settings.userFilter(), login);
    LdapName found = null;
    NamingEnumeration<SearchResult> results = ctx.search(LdapSettings.dn(settings.userBase()), filter, sc);
    try {
      while (results.hasMore()) {
        LdapName dn = new LdapName(results.next().getNameInNamespace());
        if (found != null) {
          LOG.warn("LDAP: more than one entry matches {} under {}; refusing the login", filter, settings.userBase());
          return null;
        }
        found = dn;
      }
    } catch (javax.naming.SizeLimitExceededException e) {
      LOG.warn("LDAP: more than one entry matches {} under {}; refusing the login", filter, settings.userBase());
      return null;
    } finally {
      results.close();
    }
    return found;
  }

  private void findGroups(DirContext ctx, LdapName user, String login, Set<LdapName> groups, Set<String> names)
      throws NamingException {
    if (settings.groupBase() == null) {
      return;
    }
    SearchControls sc = new SearchControls();
    sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
    sc.setReturningAttributes(new String[] {"cn"});
    String filter = LdapFilters.format(settings.groupFilter(), user.toString(), login);
    NamingEnumeration<SearchResult> results = ctx.search(LdapSettings.dn(settings.groupBase()), filter, sc);
    try {
      while (results.hasMore()) {
        SearchResult r = results.next();
        LdapName dn = new LdapName(r.getNameInNamespace());
        groups.add(dn);
        Attribute cn = r.getAttributes().get("cn");
        if (cn != null) {
          for (int i = 0; i < cn.size(); i++) {
            names.add(String.valueOf(cn.get(i)).toLowerCase(Locale.ROOT));
          }
        } else {
          Rdn last = dn.getRdn(dn.size() - 1);
          names.add(String.valueOf(last.getValue()).toLowerCase(Locale.ROOT));
        }
      }
    } finally {
      results.close();
    }
  }

  /** Whether a simple bind as {@code dn} with {@code password} succeeds. */
  private boolean bind(LdapName dn, String password) {
    return call(() -> {
      try {
        new InitialDirContext(environment(dn.toString(), password)).close();
        return true;
      } catch (AuthenticationException e) {
        return false;
      }
    });
  }

  private interface DirectoryCall<T> {
    T run() throws NamingException;
  }

  private <T> T call(DirectoryCall<T> c) {
    try {
      T result = c.run();
      if (down.compareAndSet(true, false)) {
        LOG.info("LDAP directory {} answers again", settings.url());
      }
      return result;
    } catch (AuthenticationException e) {
      throw unavailable("the service account " + settings.bindDn() + " was refused: " + e.getMessage());
    } catch (NamingException e) {
      throw unavailable(describe(e));
    } catch (IllegalArgumentException e) { // a base DN that is none: a configuration mistake
      throw unavailable(e.getMessage());
    }
  }

  private Unavailable unavailable(String why) {
    if (down.compareAndSet(false, true)) {
      LOG.warn("LDAP directory {} cannot be used ({}); LDAP users are answered 503 until it can", settings.url(), why);
    } else {
      LOG.debug("LDAP directory {} still cannot be used: {}", settings.url(), why);
    }
    return new Unavailable("LDAP directory " + settings.url() + ": " + why);
  }

  private static String describe(NamingException e) {
    Throwable root = e.getRootCause() != null ? e.getRootCause() : e;
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return e.getClass().getSimpleName() + ": " + m;
  }

  private Hashtable<String, Object> environment(String principal, String password) {
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    env.put(Context.PROVIDER_URL, settings.url());
    env.put(Context.REFERRAL, "ignore");
    env.put("com.sun.jndi.ldap.connect.timeout", CONNECT_TIMEOUT_MS);
    env.put("com.sun.jndi.ldap.read.timeout", READ_TIMEOUT_MS);
    if (principal == null) {
      env.put(Context.SECURITY_AUTHENTICATION, "none");
    } else {
      env.put(Context.SECURITY_AUTHENTICATION, "simple");
      env.put(Context.SECURITY_PRINCIPAL, principal);
      env.put(Context.SECURITY_CREDENTIALS, password == null ? "" : password);
    }
    return env;
  }
}
