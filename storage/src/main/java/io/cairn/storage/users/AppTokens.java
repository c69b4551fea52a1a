package io.cairn.storage.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The shape of app tokens: {@code cairn_<id>_<secret>}, where the id (12 characters) names the
 * token in listings and the secret carries 256 random bits. Only {@link #hash} of the whole string
 * is stored; with that much entropy a plain SHA-256 cannot be reversed by guessing.
 */
public final class AppTokens {
  public static final String PREFIX = "cairn_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private AppTokens() {}

  /** A new random token string; show it to its owner once, store only its hash. */
  public static String generate() {
    return PREFIX + randomId() + "_" + random(32);
  }

  /** The id part of a token string, or null when it does not have the token's shape. */
  public static String idOf(String token) {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 128) {
      return null;
    }
    int sep = token.indexOf('_', PREFIX.length());
    return sep == PREFIX.length() + 12 ? token.substring(PREFIX.length(), sep) : null;
  }

  /** Whether {@code s} looks like a token (and may be looked up as one). */
  public static boolean looksLikeToken(String s) {
    return idOf(s) != null;
  }

  /** Hex SHA-256 of a token string. */
  public static String hash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** 72 random bits as 12 letters and digits: a token's or a link's public id. */
  public static String randomId() {
    String s = random(9);
    return s.replace('-', 'x').replace('_', 'y');
  }

  /** {@code bytes} random bytes in URL-safe base64 without padding. */
  public static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return B64.encodeToString(b);
  }
}
