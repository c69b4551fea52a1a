package io.cairn.storage.users;

/**
 * A share link as stored: who made it, the file or folder it opens, and only the SHA-256 of its
 * token ({@link ShareTokens#hash}); the token itself is shown to its owner once and kept nowhere.
 *
 * @param id the link's public identifier, for listing and revoking
 * @param user the owner's name: the link reads (or drops into) what this user may, while they may
 * @param ns the namespace of what it shares
 * @param path the shared file or folder in {@code ns}
 * @param mode what the link lets anyone holding it do
 * @param linkHash hex SHA-256 of the token
 * @param passwordHash a {@link PasswordHash} string the visitor must match; null for none
 * @param createdAtMillis epoch milliseconds
 * @param expiresAtMillis epoch milliseconds from which the link answers 410; -1 for never
 * @param downloads how many files were downloaded through it (or dropped into it)
 */
public record ShareLink(
    String id, String user, String ns, String path, Mode mode, String linkHash, String passwordHash,
    long createdAtMillis, long expiresAtMillis, long downloads) {

  /** What a link allows. */
  public enum Mode {
    /** List the folder (and its subfolders) and download; or download the file. */
    READ,
    /** Upload new files into the folder, and nothing else: no listing, no download. */
    DROP
  }

  /** Whether the link is expired at {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return expiresAtMillis >= 0 && nowMillis >= expiresAtMillis;
  }

  /** Whether a visitor must give a password first. */
  public boolean hasPassword() {
    return passwordHash != null;
  }

  @Override
  public String toString() {
    return "ShareLink[" + id + " of " + user + " " + mode + " " + ns + ":" + path + "]";
  }
}
