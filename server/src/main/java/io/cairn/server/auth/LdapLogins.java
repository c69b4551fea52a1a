package io.cairn.server.auth;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.User;
import io.cairn.storage.users.UserNames;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LDAP users as Cairn users: a login the directory accepts becomes a Cairn user (created at the
 * first login with their home, password {@link Accounts#LDAP_PASSWORD}), whose admin flag and
 * directory-managed grants are set from their groups each time the directory is asked. Grants of
 * shared namespaces that {@code ldap.grants} does not name are left alone (an admin's {@code ns
 * grant} stays); those it names follow the groups: given, changed or withdrawn. A namespace that
 * {@code ldap.grants} names is created when first granted.
 */
public final class LdapLogins {
  private static final Logger LOG = LoggerFactory.getLogger(LdapLogins.class);

  private final LdapDirectory directory;
  private final Accounts accounts;

  public LdapLogins(LdapDirectory directory, Accounts accounts) {
    this.directory = directory;
    this.accounts = accounts;
  }

  /** How long a login the directory verified is trusted, in milliseconds. */
  long cacheMillis() {
    return directory.settings().cache().toMillis();
  }

  /**
   * The Cairn user for {@code name} if the directory accepts {@code password}, with admin flag and
   * grants brought up to date; null when it does not, when {@code name} is no valid Cairn user name,
   * or when a local user holds that name (a local account is never taken over by the directory).
   *
   * @throws LdapDirectory.Unavailable when the directory cannot be asked
   */
  public User login(String name, String password) {
    if (password == null || password.isEmpty() || !UserNames.isValid(name)) {
      return null;
    }
    LdapDirectory.Account a = directory.authenticate(name, password);
    return a == null ? null : sync(name, a);
  }

  /**
   * For an app token of LDAP user {@code u}: their admin flag and grants from the directory as it
   * is now, found by the service account; null when the directory no longer has them.
   *
   * @throws LdapDirectory.Unavailable when the directory cannot be asked
   */
  public User refresh(User u) {
    LdapDirectory.Account a = directory.find(u.name());
    return a == null ? null : sync(u.name(), a);
  }

  private User sync(String name, LdapDirectory.Account a) {
    LdapSettings s = directory.settings();
    boolean admin = a.memberOf(s.adminGroup());
    User u = accounts.user(name);
    if (u == null) {
      try {
        u = accounts.addLdapUser(name, admin);
        LOG.info("LDAP user {} ({}) logged in for the first time{}", name, a.dn(), admin ? ", as an admin" : "");
      } catch (CairnException e) {
        if (e.kind() != CairnException.Kind.ALREADY_EXISTS) {
          throw e;
        }
        u = accounts.user(name); // created by a concurrent first login
      }
    }
    if (!Accounts.fromLdap(u)) {
      return null;
    }
    if (u.admin() != admin) {
      accounts.setAdmin(name, admin);
      LOG.info("LDAP user {} {} admin, as the directory's groups say", name, admin ? "is now an" : "is no longer an");
    }
    syncGrants(name, a, s);
    return accounts.user(name);
  }

  private void syncGrants(String user, LdapDirectory.Account a, LdapSettings s) {
    Set<String> managed = new HashSet<>();
    Map<String, Grant.Access> wanted = new HashMap<>();
    for (LdapSettings.GrantRule r : s.grants()) {
      managed.add(r.namespace());
      if (a.groups().contains(r.group())) {
        wanted.merge(r.namespace(), r.access(), (x, y) -> x == Grant.Access.WRITE ? x : y);
      }
    }
    Map<String, Grant.Access> held = new HashMap<>();
    for (Grant g : Await.result(accounts.store().grants(user))) {
      if (g.ns().startsWith(UserNames.SHARED_PREFIX)) {
        held.put(g.ns().substring(UserNames.SHARED_PREFIX.length()), g.access());
      }
    }
    for (String ns : managed) {
      Grant.Access want = wanted.get(ns);
      Grant.Access has = held.get(ns);
      if (want == has) {
        continue;
      }
      if (want == null) {
        accounts.revokeGrant(ns, user);
        continue;
      }
      try {
        ensureShared(ns);
        accounts.grant(ns, user, want);
      } catch (CairnException e) {
        // The share's folder would hide one of the user's own: nothing is granted, and the user
        // still logs in.
        LOG.warn("LDAP user {} not granted {}: {}", user, ns, e.getMessage());
      }
    }
  }

  private void ensureShared(String ns) {
    try {
      accounts.createShared(ns);
      LOG.info("created shared namespace {} for the LDAP grants", ns);
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.ALREADY_EXISTS) {
        throw e;
      }
    }
  }
}
