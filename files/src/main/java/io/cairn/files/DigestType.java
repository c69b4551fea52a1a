package io.cairn.files;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A whole-file digest that WebDAV sync clients compare ({@link ContentDigests}), by its name in
 * ownCloud's {@code OC-Checksum} and {@code oc:checksums} ({@code SHA1}, {@code MD5}).
 */
public enum DigestType {
  SHA1("SHA-1"),
  MD5("MD5");

  /** What Nextcloud computes, and the server's default ({@code upload.digests}, ADR 0008). */
  public static final Set<DigestType> DEFAULT = Set.of(SHA1);

  private final String algorithm;
  DigestType(String algorithm) {
    this.algorithm = algorithm;
  }

  /** The JDK's name of the algorithm ({@code java.security.MessageDigest}). */
  String algorithm() {
    return algorithm;
  }

  /** The type an ownCloud client names {@code name} (any case); null for one not computed here (ADLER32). */
  public static DigestType named(String name) {
    return switch (name.toUpperCase(Locale.ROOT)) {
      case "SHA1" -> SHA1;
      case "MD5" -> MD5;
      default -> null;
    };
  }

  /** {@code a} and {@code b} together. */
  static Set<DigestType> union(Set<DigestType> a, Set<DigestType> b) {
    if (b.isEmpty() || a.containsAll(b)) {
      return a;
    }
    EnumSet<DigestType> all = EnumSet.noneOf(DigestType.class);
    all.addAll(a);
    all.addAll(b);
    return all;
  }
}
