package io.cairn.storage.users;

/**
 * An app token as stored: only the SHA-256 of the secret ({@link AppTokens#hash}).
 *
 * @param id the token's public identifier, for listing and revoking
 * @param user the owner's name
 * @param name what the owner called it ("laptop davfs2")
 * @param tokenHash hex SHA-256 of the whole token string
 * @param createdAtMillis epoch milliseconds
 * @param expiresAtMillis epoch milliseconds after which the token is refused
 */
public record AppToken(
    String id, String user, String name, String tokenHash, long createdAtMillis, long expiresAtMillis) {

  /** Whether the token is expired at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }

  @Override
  public String toString() {
    return "AppToken[" + id + " of " + user + " '" + name + "', expires " + expiresAtMillis + "]";
  }
}
