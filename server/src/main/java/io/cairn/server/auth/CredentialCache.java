package io.cairn.server.auth;

import io.cairn.files.Caller;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials verified recently, so that a client sending Basic credentials with every request
 * pays for Argon2id once per {@link #ttlMillis}, not per request. Entries are keyed by
 * HMAC-SHA256 of the credentials under a random key made at start and never stored, so the map
 * holds nothing from which a password could be recovered or tested offline.
 *
 * <p>An entry records what it was verified against (the user's password hash, or the token's
 * hash); the authenticator compares that with the store at most every {@link #recheckMillis} and
 * drops the entry when it changed (password changed, token revoked, user removed), also when the
 * change was made by another process. {@link #dropUser} drops a user's entries at once.
 */
final class CredentialCache {
  /** Most entries kept; beyond it the cache starts over (a flood cannot grow memory). */
  static final int MAX_ENTRIES = 10_000;

  /**
   * A verified credential.
   *
   * @param user who it authenticates as
   * @param proof the password hash or token hash it was verified against
   * @param tokenHash the token's hash when it is a token, else null
   * @param expiresAt when the entry must be verified in full again (epoch ms)
   * @param checkedAt when the store last confirmed {@code proof} (epoch ms)
   */
  record Entry(Caller user, String proof, String tokenHash, long expiresAt, long checkedAt) {}

  // Initialised once and cloned per key: Mac.getInstance and init cost far more than the HMAC.
  private final Mac prototype;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  final long ttlMillis;
  final long recheckMillis;

  CredentialCache(long ttlMillis, long recheckMillis) {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    try {
      this.prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(k, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
    this.ttlMillis = ttlMillis;
    this.recheckMillis = recheckMillis;
  }

  /** The cache key of a credential: HMAC-SHA256 of its kind, user and secret. */
  String keyOf(String kind, String user, String secret) {
    try {
      Mac mac = (Mac) prototype.clone();
      mac.update(kind.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      mac.update(user.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return Base64.getEncoder().encodeToString(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 cannot be cloned", e);
    }
  }

  /** The entry for {@code key} if it has not expired at {@code now}; expired ones are dropped. */
  Entry get(String key, long now) {
    Entry e = entries.get(key);
    if (e != null && now >= e.expiresAt()) {
      entries.remove(key, e);
      return null;
    }
    return e;
  }

  void put(String key, Entry entry) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(key, entry);
  }

  void remove(String key) {
    entries.remove(key);
  }

  /** Drops every entry of {@code user} (password change, removal, token revocation). */
  void dropUser(String user) {
    entries.values().removeIf(e -> e.user().name().equals(user));
  }

  /** Drops the entries of one token. */
  void dropToken(String tokenHash) {
    entries.values().removeIf(e -> tokenHash.equals(e.tokenHash()));
  }

  int size() {
    return entries.size();
  }
}
