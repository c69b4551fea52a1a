package io.cairn.storage.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code
 * $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH}, unpadded base64), with the OWASP parameters: 19 MiB of
 * memory, 2 passes, one lane; 16 bytes of salt, 32 bytes of hash. Verification reads the
 * parameters from the stored string, so raising them later keeps old hashes working. Costs tens of
 * milliseconds by design: callers cache verified credentials rather than verify every request.
 */
public final class PasswordHash {
  public static final int MEMORY_KIB = 19 * 1024;
  public static final int ITERATIONS = 2;
  public static final int PARALLELISM = 1;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private PasswordHash() {}

  /** A new PHC string for {@code password} with a fresh random salt. */
  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] out = argon2(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
        + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /**
   * Whether {@code password} matches the PHC string {@code phc}; false for anything that is not
   * an Argon2id PHC string (never throws on bad input).
   */
  public static boolean verify(String password, String phc) {
    if (password == null || phc == null) {
      return false;
    }
    String[] parts = phc.split("\\$");
    // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
    if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
      return false;
    }
    try {
      int m = 0;
      int t = 0;
      int p = 0;
      for (String kv : parts[3].split(",")) {
        int v = Integer.parseInt(kv.substring(2));
        switch (kv.substring(0, 2)) {
          case "m=" -> m = v;
          case "t=" -> t = v;
          case "p=" -> p = v;
          default -> {
            return false;
          }
        }
      }
      if (m < 8 || m > 1 << 22 || t < 1 || t > 100 || p < 1 || p > 16) {
        return false;
      }
      byte[] salt = B64D.decode(parts[4]);
      byte[] expected = B64D.decode(parts[5]);
      if (expected.length < 16 || expected.length > 64) {
        return false;
      }
      byte[] actual = argon2(password, salt, m, t, p, expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      return false;
    }
  }

  private static byte[] argon2(String password, byte[] salt, int m, int t, int p, int length) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(m)
            .withIterations(t)
            .withParallelism(p)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
