package io.cairn.storage.users;

import io.vertx.core.Future;
import java.util.List;

/**
 * Users, their app tokens, their share links, their grants of shared namespaces and their quotas, stored beside the
 * journal (same database, same migrations). Holds hashes only: callers hash passwords with {@link
 * PasswordHash} and tokens with {@link AppTokens#hash} before they get here.
 *
 * <p>Failures are {@link io.cairn.core.CairnException}s: NOT_FOUND for an unknown user,
 * token, link or grant; ALREADY_EXISTS for a user name taken; INVALID for an invalid name or value;
 * TRANSIENT when the database cannot be reached. Thread-safe. The SQLite implementation completes
 * its futures before returning (call it off event loops); the PostgreSQL one on the pool's
 * event loops.
 */
public interface UserStore extends AutoCloseable {

  /**
   * Creates a user with home namespace {@link UserNames#home}(name) and no quota. Does not create
   * the namespace in the journal: the caller does.
   *
   * @param passwordHash a {@link PasswordHash} string
   * @return the stored user; ALREADY_EXISTS when the name is taken, INVALID when it is invalid
   */
  Future<User> createUser(String name, String passwordHash, boolean admin);

  /** The user called {@code name}, or null when there is none. */
  Future<User> user(String name);

  /** Every user, by name. */
  Future<List<User>> users();

  /** Replaces a user's password hash; NOT_FOUND for an unknown user. */
  Future<Void> setPasswordHash(String name, String passwordHash);

  /**
   * Makes a user an admin or takes it back (the directory's groups decide it for LDAP users at each
   * login); NOT_FOUND for an unknown user.
   */
  Future<Void> setAdmin(String name, boolean admin);

  /** Sets a user's quota in bytes, -1 for none; NOT_FOUND for an unknown user. */
  Future<Void> setQuota(String name, long quotaBytes);

  /**
   * Removes a user with their tokens, share links and grants (their home namespace's content stays in the
   * journal); NOT_FOUND for an unknown user.
   */
  Future<Void> removeUser(String name);

  /** Stores a new app token; NOT_FOUND when its owner does not exist. */
  Future<Void> createToken(AppToken token);

  /** The token whose {@link AppToken#tokenHash} is {@code tokenHash}, or null (expired ones too). */
  Future<AppToken> tokenByHash(String tokenHash);

  /** A user's tokens, expired ones included, oldest first. */
  Future<List<AppToken>> tokens(String user);

  /** Deletes token {@code id} of {@code user}; NOT_FOUND when that user has no such token. */
  Future<Void> revokeToken(String user, String id);

  /** Stores a new share link; NOT_FOUND when its owner does not exist. */
  Future<Void> createShareLink(ShareLink link);

  /** The link whose {@link ShareLink#linkHash} is {@code linkHash}, or null (expired ones too). */
  Future<ShareLink> shareLinkByHash(String linkHash);

  /** A user's share links, expired ones included, oldest first. */
  Future<List<ShareLink>> shareLinks(String user);

  /** Deletes link {@code id} of {@code user}; NOT_FOUND when that user has no such link. */
  Future<Void> revokeShareLink(String user, String id);

  /** Counts one more download through link {@code id}; NOT_FOUND when it is gone. */
  Future<Void> countShareDownload(String id);

  /** Grants (or changes) {@code access} to namespace {@code ns}; NOT_FOUND for an unknown user. */
  Future<Void> grant(String ns, String user, Grant.Access access);

  /** Withdraws a grant; NOT_FOUND when there was none. */
  Future<Void> revokeGrant(String ns, String user);

  /** The grants a user holds, by namespace. */
  Future<List<Grant>> grants(String user);

  /** Releases the connections. */
  @Override
  void close();
}
