package io.cairn.storage.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The tokens of share links: 32 random bytes (256 bits) in URL-safe base64, 43 characters, with no
 * prefix an app token has, so a link's token is never accepted as a credential and an app token
 * never opens a link. Only {@link #hash} of a token is stored; with that much entropy a plain
 * SHA-256 cannot be reversed by guessing, and a lookup by hash leaks nothing of the token by its
 * timing. {@link #matches} compares in constant time.
 */
public final class ShareTokens {
  /** The length of every token. */
  public static final int LENGTH = 43;

  private ShareTokens() {}

  /** A new random token; show it to its owner once, store only its hash. */
  public static String generate() {
    return AppTokens.random(32);
  }

  /** A new public id for a link (72 random bits, letters and digits only). */
  public static String newId() {
    return AppTokens.randomId();
  }

  /** Whether {@code s} has a token's shape (and may be looked up as one). */
  public static boolean looksLikeToken(String s) {
    if (s == null || s.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Hex SHA-256 of a token. */
  public static String hash(String token) {
    return AppTokens.hash(token);
  }

  /** Whether {@code token} hashes to {@code storedHash}, compared in constant time. */
  public static boolean matches(String token, String storedHash) {
    return storedHash != null && MessageDigest.isEqual(
        hash(token).getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
