package io.cairn.server.auth;

import io.cairn.files.Await;

import io.cairn.core.CairnException;
import io.cairn.storage.users.AppToken;
import io.cairn.storage.users.AppTokens;
import io.cairn.storage.users.PasswordHash;
import io.cairn.storage.users.User;
import io.cairn.files.Caller;
import io.cairn.server.auth.RequestAuthenticator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials against the user store: {@code Basic user:password}, {@code Basic
 * user:app-token} and {@code Bearer app-token}. Verified credentials are cached ({@link
 * CredentialCache}); failures are throttled ({@link LoginThrottle}) by user name and client
 * address, the address the edge resolved ({@link io.cairn.server.http.ClientAddress}). Neither
 * passwords nor tokens are ever logged: failures log the user name and address only.
 *
 * <p>With LDAP configured ({@link LdapLogins}), a password login whose name is no local user (or is
 * an LDAP user already known) is checked against the directory; a local user's name never is, so
 * the directory cannot take over a local account. An LDAP user's verified login, and every token
 * of theirs, is trusted for {@code ldap.cache.seconds} at most before the directory is asked
 * again. A directory that cannot be asked answers LDAP users 503, never 401; local users are not
 * affected.
 *
 * <p>Metrics: {@code cairn_auth_failures_total{kind}} counts credentials checked and found wrong
 * ({@code kind} {@code password} or {@code token}); {@code cairn_auth_throttled_total{action}}
 * counts requests the throttle answered 429 ({@code refused}) and failures it answered late
 * ({@code delayed}); {@code cairn_auth_throttled_addresses{action}} is how many client addresses it
 * acts on now, the same two ways ({@link LoginThrottle#throttledNow}).
 */
public final class StoreAuthenticator implements RequestAuthenticator {
  private static final Logger LOG = LoggerFactory.getLogger(StoreAuthenticator.class);
  // Checked when the user does not exist, so that an unknown name costs as much as a wrong password.
  private static final String DUMMY_HASH = PasswordHash.hash("no such user, no such password");

  private final Accounts accounts;
  private final Clock clock;
  private final CredentialCache cache;
  private final LoginThrottle throttle;
  private final LdapLogins ldap;
  private final Set<String> homesEnsured = ConcurrentHashMap.newKeySet();
  private final Counter passwordFailures;
  private final Counter tokenFailures;
  private final Counter refused;
  private final Counter delayed;

  StoreAuthenticator(
      Accounts accounts, Clock clock, CredentialCache cache, LoginThrottle throttle, LdapLogins ldap,
      MeterRegistry registry) {
    this.accounts = accounts;
    this.ldap = ldap;
    this.clock = clock;
    this.cache = cache;
    this.throttle = throttle;
    // Every series registered at once, so each exists (at 0) before the first failure.
    this.passwordFailures = failures(registry, "password");
    this.tokenFailures = failures(registry, "token");
    this.refused = throttled(registry, "refused");
    this.delayed = throttled(registry, "delayed");
    addressGauge(registry, throttle, "refused", LoginThrottle.Throttled::refused);
    addressGauge(registry, throttle, "delayed", LoginThrottle.Throttled::delayed);
  }

  private static void addressGauge(MeterRegistry registry, LoginThrottle throttle, String action,
      java.util.function.ToIntFunction<LoginThrottle.Throttled> count) {
    io.micrometer.core.instrument.Gauge.builder("cairn.auth.throttled.addresses", throttle,
            t -> count.applyAsInt(t.throttledNow()))
        .description("Client addresses the login throttle acts on now: refused (a user locked out from there)"
            + " or delayed (failed answers held back)")
        .tag("action", action)
        .strongReference(true)
        .register(registry);
  }

  private static Counter failures(MeterRegistry registry, String kind) {
    return Counter.builder("cairn.auth.failures")
        .description("Logins refused for wrong credentials, by kind (password or token)")
        .tag("kind", kind)
        .register(registry);
  }

  private static Counter throttled(MeterRegistry registry, String action) {
    return Counter.builder("cairn.auth.throttled")
        .description("Logins the failure throttle answered 429 (refused) or held back (delayed)")
        .tag("action", action)
        .register(registry);
  }

  /**
   * With the standard settings: verified credentials kept 5 minutes and confirmed against the
   * store at most every second (a revoked token or changed password is refused within a second,
   * also when changed by another process or node); the throttle of {@link LoginThrottle#standard}.
   *
   * @param registry where the authentication metrics go
   */
  public static StoreAuthenticator standard(Accounts accounts, Clock clock, MeterRegistry registry) {
    return standard(accounts, clock, registry, null);
  }

  /**
   * As {@link #standard(Accounts, Clock, MeterRegistry)}, with the users of the LDAP directory
   * {@code ldap} describes beside the local ones; none when {@code ldap} is null.
   */
  public static StoreAuthenticator standard(Accounts accounts, Clock clock, MeterRegistry registry, LdapSettings ldap) {
    LdapLogins logins = ldap == null ? null : new LdapLogins(new LdapDirectory(ldap), accounts);
    StoreAuthenticator a =
        new StoreAuthenticator(
            accounts, clock, new CredentialCache(5 * 60_000L, 1000L), LoginThrottle.standard(clock), logins, registry);
    accounts.onChange(a::forget);
    return a;
  }

  /** Drops what is cached for {@code user}: call after changing their password or tokens. */
  public void forget(String user) {
    cache.dropUser(user);
  }

  @Override
  public Verdict authenticate(String authorization, String clientAddress) {
    if (authorization == null || authorization.isBlank()) {
      return Verdict.unauthorized("credentials required");
    }
    String header = authorization.trim();
    int space = header.indexOf(' ');
    String scheme = space < 0 ? header : header.substring(0, space);
    String value = space < 0 ? "" : header.substring(space + 1).trim();
    String user;
    String secret;
    String kind;
    switch (scheme.toLowerCase(Locale.ROOT)) {
      case "basic" -> {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          return Verdict.unauthorized("malformed Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
          return Verdict.unauthorized("malformed Basic credentials");
        }
        user = decoded.substring(0, colon);
        secret = decoded.substring(colon + 1);
        kind = AppTokens.looksLikeToken(secret) ? "token" : "password";
      }
      case "bearer" -> {
        user = "";
        secret = value;
        kind = "token";
        if (!AppTokens.looksLikeToken(secret)) {
          return Verdict.unauthorized("malformed bearer token");
        }
      }
      default -> {
        return Verdict.unauthorized("unsupported authentication scheme");
      }
    }
    if (user.length() > 256 || secret.length() > 1024) {
      return Verdict.unauthorized("credentials too long");
    }
    try {
      return check(kind, user, secret, clientAddress);
    } catch (LdapDirectory.Unavailable e) {
      return Verdict.unavailable("the LDAP directory is unavailable"); // logged by the directory, once
    } catch (CairnException e) {
      LOG.warn("cannot check credentials: {}", e.getMessage());
      return Verdict.unavailable("the user store is unavailable");
    }
  }

  private Verdict check(String kind, String user, String secret, String address) {
    long now = clock.millis();
    // Before the cache: a locked-out pair must learn nothing, not even that a guess matched
    // credentials its user verified elsewhere a moment ago.
    String throttleUser = user.isEmpty() ? null : user;
    long wait = throttle.retryAfterSeconds(throttleUser, address);
    if (wait > 0) {
      refused.increment();
      return Verdict.tooManyAttempts(wait);
    }
    String key = cache.keyOf(kind, user, secret);
    CredentialCache.Entry hit = cache.get(key, now);
    if (hit != null) {
      if (now - hit.checkedAt() < cache.recheckMillis) {
        return Verdict.allow(hit.user());
      }
      CredentialCache.Entry fresh = recheck(hit, now);
      if (fresh != null) {
        cache.put(key, fresh);
        return Verdict.allow(fresh.user());
      }
      cache.remove(key);
    }
    CredentialCache.Entry verified = kind.equals("token") ? verifyToken(user, secret, now) : verifyPassword(user, secret, now);
    if (verified == null) {
      LOG.info("failed login for user '{}' from {}", printable(user), address);
      (kind.equals("token") ? tokenFailures : passwordFailures).increment();
      LoginThrottle.Failure f = throttle.failed(throttleUser, address);
      if (f.lockedOut()) {
        LOG.warn(
            "user '{}' refused from {} for {} s after repeated failed logins from there",
            printable(user), address, throttle.lockoutMillis / 1000);
      }
      if (f.delayMillis() > 0) {
        delayed.increment();
        sleep(f.delayMillis());
      }
      return Verdict.unauthorized("wrong credentials");
    }
    // The name as typed: the pair the failures were counted under.
    throttle.succeeded(throttleUser, address);
    if (homesEnsured.add(verified.user().home())) {
      accounts.ensureHome(verified.user().home());
    }
    cache.put(key, verified);
    return Verdict.allow(verified.user());
  }

  private CredentialCache.Entry verifyPassword(String name, String password, long now) {
    User u = Await.result(accounts.store().user(name));
    if (Accounts.disabled(u)) {
      PasswordHash.verify(password, DUMMY_HASH); // the same time as a wrong password takes
      return null;
    }
    if (ldap != null && (u == null || Accounts.fromLdap(u))) {
      User l = ldap.login(name, password);
      return l == null ? null : new CredentialCache.Entry(davUser(l), l.passwordHash(), null, now + ldapTtl(), now);
    }
    boolean ok = PasswordHash.verify(password, u == null ? DUMMY_HASH : u.passwordHash());
    if (u == null || !ok) {
      return null;
    }
    return new CredentialCache.Entry(davUser(u), u.passwordHash(), null, now + cache.ttlMillis, now);
  }

  private CredentialCache.Entry verifyToken(String name, String token, long now) {
    String hash = AppTokens.hash(token);
    AppToken t = Await.result(accounts.store().tokenByHash(hash));
    if (t == null || t.expiredAt(now) || (!name.isEmpty() && !name.equals(t.user()))) {
      return null;
    }
    User u = Await.result(accounts.store().user(t.user()));
    if (Accounts.disabled(u)) {
      return null;
    }
    long ttl = cache.ttlMillis;
    if (u != null && Accounts.fromLdap(u)) {
      if (ldap == null) {
        return null; // LDAP no longer configured: nobody checks whether the directory still has them
      }
      u = ldap.refresh(u);
      ttl = ldapTtl();
    }
    if (u == null) {
      return null;
    }
    long until = Math.min(now + ttl, t.expiresAtMillis());
    return new CredentialCache.Entry(davUser(u), hash, hash, until, now);
  }

  private long ldapTtl() {
    return Math.min(cache.ttlMillis, ldap.cacheMillis());
  }

  /** Confirms a cached credential against the store without hashing a password again. */
  private CredentialCache.Entry recheck(CredentialCache.Entry e, long now) {
    User u = Await.result(accounts.store().user(e.user().name()));
    if (u == null || Accounts.disabled(u)) {
      return null;
    }
    if (e.tokenHash() != null) {
      AppToken t = Await.result(accounts.store().tokenByHash(e.tokenHash()));
      if (t == null || t.expiredAt(now) || !t.user().equals(u.name())) {
        return null;
      }
    } else if (!u.passwordHash().equals(e.proof())) {
      return null;
    }
    return new CredentialCache.Entry(davUser(u), e.proof(), e.tokenHash(), e.expiresAt(), now);
  }

  private Caller davUser(User u) {
    return accounts.view(u);
  }

  private static String printable(String s) {
    String t = s.length() > 64 ? s.substring(0, 64) : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static void sleep(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
