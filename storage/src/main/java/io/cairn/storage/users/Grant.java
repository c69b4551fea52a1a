package io.cairn.storage.users;

/**
 * A user's access to a shared namespace.
 *
 * @param ns the namespace
 * @param user the grantee
 * @param access what the grantee may do there
 */
public record Grant(String ns, String user, Access access) {

  /** Read-only or read-write. */
  public enum Access {
    READ,
    WRITE
  }
}
