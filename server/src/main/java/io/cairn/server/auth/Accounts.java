package io.cairn.server.auth;

import io.cairn.core.CairnException;
import io.cairn.files.Await;
import io.cairn.files.Caller;
import io.cairn.storage.Entry;
import io.cairn.storage.Journal;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.AppTokens;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.PasswordHash;
import io.cairn.storage.users.User;
import io.cairn.storage.users.UserNames;
import io.cairn.storage.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Administration of users and tokens over a {@link UserStore} and the {@link Journal}: the one
 * place a password is hashed and a token generated, shared by the server's first start, the CLI
 * and the tests. Blocking; failures are CairnExceptions whose message is fit for a person.
 */
public final class Accounts {
  /**
   * The password hash of a user whose password lives in an LDAP directory: no PHC string, so no
   * password ever verifies against it locally, and {@link #setPassword} refuses such users.
   */
  public static final String LDAP_PASSWORD = "!ldap";

  /**
   * What a disabled user's stored password hash starts with, followed by the hash it had (ADR
   * 0013 §11): no password verifies against it, and enabling the user takes the prefix off.
   */
  static final String DISABLED = "!disabled:";

  /** The shortest password accepted. */
  public static final int MIN_PASSWORD = 8;

  private final UserStore users;
  private final Journal journal;
  private final Clock clock;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  public Accounts(UserStore users, Journal journal, Clock clock) {
    this.users = users;
    this.journal = journal;
    this.clock = clock;
  }

  /**
   * Calls {@code listener} with a user's name after their password, quota, tokens or existence
   * changed through these accounts (the authenticator drops what it cached for them).
   */
  public void onChange(Consumer<String> listener) {
    listeners.add(listener);
  }

  private void changed(String user) {
    for (Consumer<String> l : listeners) {
      l.accept(user);
    }
  }

  public UserStore store() {
    return users;
  }

  /** Creates a user and their home namespace; INVALID for a bad name or a short password. */
  public User addUser(String name, String password, boolean admin) {
    checkPassword(password);
    User u = Await.result(users.createUser(name, PasswordHash.hash(password), admin));
    ensureHome(u.home());
    return u;
  }

  /**
   * Creates a user whose password the LDAP directory checks ({@link #LDAP_PASSWORD}), with their
   * home; ALREADY_EXISTS when the name is taken.
   */
  public User addLdapUser(String name, boolean admin) {
    User u = Await.result(users.createUser(name, LDAP_PASSWORD, admin));
    ensureHome(u.home());
    return u;
  }

  /** Whether {@code u}'s password lives in the LDAP directory. */
  public static boolean fromLdap(User u) {
    return u != null && LDAP_PASSWORD.equals(u.passwordHash());
  }

  /** Makes {@code name} an admin or takes it back; NOT_FOUND for an unknown user. */
  public void setAdmin(String name, boolean admin) {
    Await.result(users.setAdmin(name, admin));
    changed(name);
  }

  /** Creates the namespace {@code ns} unless it exists. */
  public void ensureHome(String ns) {
    try {
      Await.result(journal.createNamespace(ns));
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  /**
   * Sets a local user's password (a disabled user stays disabled); INVALID for an LDAP user, whose
   * password is the directory's.
   */
  public void setPassword(String name, String password) {
    User u = Await.result(users.user(name));
    if (fromLdap(u) || u != null && fromLdap(enabled(u))) {
      throw CairnException.invalid(name + " logs in through LDAP: change their password in the directory");
    }
    checkPassword(password);
    String hash = PasswordHash.hash(password);
    Await.result(users.setPasswordHash(name, disabled(u) ? DISABLED + hash : hash));
    changed(name);
  }

  /** Whether {@code u} is disabled: no password, token or session of theirs is accepted. */
  public static boolean disabled(User u) {
    return u != null && u.passwordHash().startsWith(DISABLED);
  }

  /** {@code u} as it is when enabled: its own password hash (or {@link #LDAP_PASSWORD}). */
  private static User enabled(User u) {
    return !disabled(u) ? u : new User(u.name(), u.passwordHash().substring(DISABLED.length()), u.admin(), u.home(),
        u.quotaBytes(), u.createdAtMillis());
  }

  /**
   * Disables a user (every node refuses their password, tokens and sessions within a second; their
   * browser sessions end, their files, tokens and grants stay) or enables them again with the
   * password they had. NOT_FOUND for an unknown user; nothing changes when they already are so.
   */
  public void setDisabled(String name, boolean disable) {
    User u = Await.result(users.user(name));
    if (u == null) {
      throw CairnException.notFound("no user " + name);
    }
    if (disable != disabled(u)) {
      Await.result(users.setPasswordHash(name, disable ? DISABLED + u.passwordHash() : enabled(u).passwordHash()));
    }
    if (disable) {
      endSessions(name, null);
    }
    changed(name);
  }

  /** The name of the app tokens that are browser sessions (the web interface's WebSessions). */
  public static final String SESSION_TOKEN_NAME = "web session";

  /**
   * Ends {@code user}'s browser sessions on every node, all but the one whose token id is {@code
   * keepId} (null: all): a password change must log out whoever used the old password.
   */
  public void endSessions(String user, String keepId) {
    for (AppToken t : listTokens(user)) {
      if (t.name().equals(SESSION_TOKEN_NAME) && !t.id().equals(keepId)) {
        try {
          revokeToken(user, t.id());
        } catch (CairnException e) {
          if (e.kind() != CairnException.Kind.NOT_FOUND) {
            throw e; // NOT_FOUND: ended meanwhile
          }
        }
      }
    }
  }

  public void removeUser(String name) {
    Await.result(users.removeUser(name));
    changed(name);
  }

  /** The user as requests see them: their home, with the shared namespaces granted to them now. */
  public Caller view(User u) {
    List<Caller.Share> shares = new ArrayList<>();
    for (Grant g : Await.result(users.grants(u.name()))) {
      if (g.ns().startsWith(UserNames.SHARED_PREFIX)) {
        shares.add(new Caller.Share(g.ns().substring(UserNames.SHARED_PREFIX.length()), g.ns(), g.access() == Grant.Access.WRITE));
      }
    }
    return new Caller(u.name(), u.home(), u.quotaBytes(), shares);
  }

  public List<User> listUsers() {
    return Await.result(users.users());
  }

  public User user(String name) {
    return Await.result(users.user(name));
  }

  public void setQuota(String name, long bytes) {
    Await.result(users.setQuota(name, bytes));
    changed(name);
  }

  /** A new token of {@code user} valid for {@code lifetime}; the returned secret is shown once. */
  public IssuedToken createToken(String user, String name, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw CairnException.invalid("a token's expiry must lie in the future");
    }
    if (name == null || name.isBlank() || name.length() > 100) {
      throw CairnException.invalid("a token needs a name of 1 to 100 characters");
    }
    String secret = AppTokens.generate();
    long now = clock.millis();
    AppToken t = new AppToken(AppTokens.idOf(secret), user, name, AppTokens.hash(secret), now, now + lifetime.toMillis());
    Await.result(users.createToken(t));
    return new IssuedToken(t, secret);
  }

  public List<AppToken> listTokens(String user) {
    if (Await.result(users.user(user)) == null) {
      throw CairnException.notFound("no user " + user);
    }
    return Await.result(users.tokens(user));
  }

  public void revokeToken(String user, String id) {
    Await.result(users.revokeToken(user, id));
    changed(user);
  }

  /** Creates the shared namespace {@code shared:<name>}; ALREADY_EXISTS when it exists. */
  public String createShared(String name) {
    if (!UserNames.isValidShared(name)) {
      throw CairnException.invalid("a shared namespace name is 1 to 64 characters of a-z, 0-9, '.', '_' or '-'");
    }
    String ns = UserNames.shared(name);
    try {
      Await.result(journal.createNamespace(ns));
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.ALREADY_EXISTS) {
        throw CairnException.alreadyExists("the shared namespace " + name + " exists already");
      }
      throw e;
    }
    return ns;
  }

  /**
   * Grants {@code user} access to the shared namespace {@code name}; NOT_FOUND for either.
   * ALREADY_EXISTS when the user's home holds something at {@code /name}: the share's folder would
   * hide it (their files would answer 404 until the grant is withdrawn), so nothing is granted.
   */
  public void grant(String name, String user, Grant.Access access) {
    String ns = UserNames.shared(name);
    try {
      Await.result(journal.namespace(ns));
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.NOT_FOUND) {
        throw CairnException.notFound("no such namespace: " + name + " (create it with: ns create " + name + ")");
      }
      throw e;
    }
    Entry hidden = null;
    try {
      hidden = Await.result(journal.entry(UserNames.home(user), "/" + name));
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.NOT_FOUND) { // no home yet: nothing to hide
        throw e;
      }
    }
    if (hidden != null) {
      throw CairnException.alreadyExists(user + " has a " + (hidden.isDirectory() ? "folder" : "file") + " /" + name
          + " in their home, which the share's folder would hide; rename or move it first, then grant");
    }
    Await.result(users.grant(ns, user, access));
    changed(user);
  }

  /**
   * Every shared namespace by name (without {@code shared:}), with the grants on it: one read of
   * the namespaces, one of each user's grants (an admin page's worth, not a hot path).
   */
  public java.util.SortedMap<String, List<Grant>> sharedNamespaces() {
    java.util.SortedMap<String, List<Grant>> out = new java.util.TreeMap<>();
    String after = UserNames.SHARED_PREFIX; // names sort by code point: the shared ones follow it
    for (int pages = 0; pages < 100_000; pages++) {
      List<String> names = Await.result(journal.namespaces(after, NAMESPACE_PAGE));
      for (String ns : names) {
        if (!ns.startsWith(UserNames.SHARED_PREFIX)) {
          return withGrants(out);
        }
        out.put(ns.substring(UserNames.SHARED_PREFIX.length()), new ArrayList<>());
      }
      if (names.size() < NAMESPACE_PAGE) {
        break;
      }
      after = names.getLast();
    }
    return withGrants(out);
  }

  private static final int NAMESPACE_PAGE = 1000;

  private java.util.SortedMap<String, List<Grant>> withGrants(java.util.SortedMap<String, List<Grant>> shared) {
    for (User u : listUsers()) {
      for (Grant g : Await.result(users.grants(u.name()))) {
        List<Grant> on = g.ns().startsWith(UserNames.SHARED_PREFIX)
            ? shared.get(g.ns().substring(UserNames.SHARED_PREFIX.length())) : null;
        if (on != null) {
          on.add(g);
        }
      }
    }
    return shared;
  }

  /** Withdraws {@code user}'s access to the shared namespace {@code name}. */
  public void revokeGrant(String name, String user) {
    Await.result(users.revokeGrant(UserNames.shared(name), user));
    changed(user);
  }

  /** A token just made: its record and the secret, which is not stored anywhere. */
  public record IssuedToken(AppToken token, String secret) {
    @Override
    public String toString() {
      return "IssuedToken[" + token + "]";
    }
  }

  private static void checkPassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD) {
      throw CairnException.invalid("a password needs at least " + MIN_PASSWORD + " characters");
    }
    if (password.length() > 1024) {
      throw CairnException.invalid("a password may have at most 1024 characters");
    }
  }
}
