package io.cairn.webdav.auth;

import java.util.concurrent.Callable;

/**
 * The authenticated user a request runs as.
 *
 * @param name the user's name, recorded as the author of the changes they make
 * @param home the namespace the server's URL space shows them
 * @param quotaBytes bytes their home may hold, -1 for the site's default
 */
public record DavUser(String name, String home, long quotaBytes) {
  // Each request runs on a virtual thread of its own, so a thread-local lives exactly as long as
  // the request; nothing on another thread (chunk workers) needs it.
  private static final ThreadLocal<DavUser> CURRENT = new ThreadLocal<>();

  public DavUser {
    if (name == null || home == null || home.isEmpty()) {
      throw new IllegalArgumentException("a user needs a name and a home namespace");
    }
  }

  /** The user of the request this thread serves, or null (no authentication configured, OPTIONS). */
  public static DavUser current() {
    return CURRENT.get();
  }

  /** Runs {@code work} on this thread as {@code user} (null: anonymously). */
  public static <T> T callAs(DavUser user, Callable<T> work) throws Exception {
    DavUser before = CURRENT.get();
    CURRENT.set(user);
    try {
      return work.call();
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }
}
