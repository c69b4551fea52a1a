package io.cairn.storage.users;

/**
 * A user as stored. {@link #toString()} leaves the password hash out, so that no log line can
 * carry it.
 *
 * @param name the login name, see {@link UserNames}
 * @param passwordHash an Argon2id PHC string ({@link PasswordHash}); never the password
 * @param admin whether the user may administer other users, tokens, grants and quotas
 * @param home the user's home namespace ({@link UserNames#home})
 * @param quotaBytes bytes the user's home may hold; -1 for no quota of its own
 * @param createdAtMillis when the user was created, epoch milliseconds
 */
public record User(
    String name, String passwordHash, boolean admin, String home, long quotaBytes, long createdAtMillis) {

  @Override
  public String toString() {
    return "User[" + name + (admin ? ", admin" : "") + ", home " + home + ", quota " + quotaBytes + "]";
  }
}
