package io.cairn.server.http;

/**
 * What the edge knows of one request while a {@link Front} answers it: the client's address
 * (resolved once, through the trusted proxies) and, once the front has authenticated it, the user.
 * Thread-safe: the front names the user from whichever thread authenticated.
 */
public final class Exchange {
  private final String remote;
  private volatile String user;

  Exchange(String remote) {
    this.remote = remote;
  }

  /** The client's address: the peer, or the client a trusted proxy names. */
  public String remote() {
    return remote;
  }

  /** Names the authenticated user, for the access line. */
  public void user(String name) {
    this.user = name;
  }

  /** The authenticated user; null while anonymous or refused. */
  public String user() {
    return user;
  }
}
