package io.cairn.server.auth;

import io.cairn.core.CairnException;
import io.cairn.storage.Journal;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.AppTokens;
import io.cairn.storage.users.Grant;
import io.cairn.storage.users.PasswordHash;
import io.cairn.storage.users.User;
import io.cairn.storage.users.UserNames;
import io.cairn.storage.users.UserStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Administration of users and tokens over a {@link UserStore} and the {@link Journal}: the one
 * place a password is hashed and a token generated, shared by the server's first start, the CLI
 * and the tests. Blocking; failures are CairnExceptions whose message is fit for a person.
 */
public final class Accounts {
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

  /** Creates a user and their home namespace; CONFLICT for a bad name or a short password. */
  public User addUser(String name, String password, boolean admin) {
    checkPassword(password);
    User u = await(users.createUser(name, PasswordHash.hash(password), admin));
    ensureHome(u.home());
    return u;
  }

  /** Creates the namespace {@code ns} unless it exists. */
  public void ensureHome(String ns) {
    try {
      await(journal.createNamespace(ns));
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.ALREADY_EXISTS) {
        throw e;
      }
    }
  }

  public void setPassword(String name, String password) {
    checkPassword(password);
    await(users.setPasswordHash(name, PasswordHash.hash(password)));
    changed(name);
  }

  public void removeUser(String name) {
    await(users.removeUser(name));
    changed(name);
  }

  public List<User> listUsers() {
    return await(users.users());
  }

  public User user(String name) {
    return await(users.user(name));
  }

  public void setQuota(String name, long bytes) {
    await(users.setQuota(name, bytes));
    changed(name);
  }

  /** A new token of {@code user} valid for {@code lifetime}; the returned secret is shown once. */
  public IssuedToken createToken(String user, String name, Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw CairnException.conflict("a token's expiry must lie in the future");
    }
    if (name == null || name.isBlank() || name.length() > 100) {
      throw CairnException.conflict("a token needs a name of 1 to 100 characters");
    }
    String secret = AppTokens.generate();
    long now = clock.millis();
    AppToken t = new AppToken(AppTokens.idOf(secret), user, name, AppTokens.hash(secret), now, now + lifetime.toMillis());
    await(users.createToken(t));
    return new IssuedToken(t, secret);
  }

  public List<AppToken> listTokens(String user) {
    if (await(users.user(user)) == null) {
      throw CairnException.notFound("no user " + user);
    }
    return await(users.tokens(user));
  }

  public void revokeToken(String user, String id) {
    await(users.revokeToken(user, id));
    changed(user);
  }

  /** Creates the shared namespace {@code shared:<name>}; ALREADY_EXISTS when it exists. */
  public String createShared(String name) {
    if (!UserNames.isValidShared(name)) {
      throw CairnException.conflict("a shared namespace name is 1 to 64 characters of a-z, 0-9, '.', '_' or '-'");
    }
    String ns = UserNames.shared(name);
    try {
      await(journal.createNamespace(ns));
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.ALREADY_EXISTS) {
        throw CairnException.alreadyExists("the shared namespace " + name + " exists already");
      }
      throw e;
    }
    return ns;
  }

  /** Grants {@code user} access to the shared namespace {@code name}; NOT_FOUND for either. */
  public void grant(String name, String user, Grant.Access access) {
    String ns = UserNames.shared(name);
    try {
      await(journal.namespace(ns));
    } catch (CairnException e) {
      if (e.kind() == CairnException.Kind.NOT_FOUND) {
        throw CairnException.notFound("no such namespace: " + name + " (create it with: ns create " + name + ")");
      }
      throw e;
    }
    await(users.grant(ns, user, access));
    changed(user);
  }

  /** Withdraws {@code user}'s access to the shared namespace {@code name}. */
  public void revokeGrant(String name, String user) {
    await(users.revokeGrant(UserNames.shared(name), user));
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
      throw CairnException.conflict("a password needs at least " + MIN_PASSWORD + " characters");
    }
    if (password.length() > 1024) {
      throw CairnException.conflict("a password may have at most 1024 characters");
    }
  }

  /** Waits for a future (never on an event loop) and unwraps its failure. */
  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new CairnException(CairnException.Kind.INTERNAL, String.valueOf(e.getCause()), e.getCause());
    }
  }
}
