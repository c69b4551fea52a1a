package io.cairn.files;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The authenticated user a request runs as.
 *
 * @param name the user's name, recorded as the author of the changes they make
 * @param home the namespace the server's URL space shows them
 * @param quotaBytes bytes their home may hold, -1 for the site's default
 * @param shares the shared namespaces granted to them, each shown as a top-level folder
 */
public record Caller(String name, String home, long quotaBytes, List<Share> shares) {
  // Each request runs on a virtual thread of its own, so a thread-local lives exactly as long as
  // the request; nothing on another thread (chunk workers) needs it.
  private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

  /**
   * A shared namespace as one user sees it.
   *
   * @param folder the name of the top-level folder it appears as
   * @param ns the namespace
   * @param writable whether the grant is read-write
   */
  public record Share(String folder, String ns, boolean writable) {}

  public Caller {
    if (name == null || home == null || home.isEmpty()) {
      throw new IllegalArgumentException("a user needs a name and a home namespace");
    }
    shares = List.copyOf(shares);
  }

  /** A user with no shared namespaces. */
  public Caller(String name, String home, long quotaBytes) {
    this(name, home, quotaBytes, List.of());
  }

  /** The share shown as top-level folder {@code folder}, or null. */
  public Share shareByFolder(String folder) {
    for (Share s : shares) {
      if (s.folder().equals(folder)) {
        return s;
      }
    }
    return null;
  }

  /** The share of namespace {@code ns}, or null. */
  public Share shareOf(String ns) {
    for (Share s : shares) {
      if (s.ns().equals(ns)) {
        return s;
      }
    }
    return null;
  }

  /** Whether the user may change namespace {@code ns}: their home, or a read-write share. */
  public boolean canWrite(String ns) {
    if (home.equals(ns)) {
      return true;
    }
    Share s = shareOf(ns);
    return s != null && s.writable();
  }

  /** The user of the request this thread serves, or null (no authentication configured, OPTIONS). */
  public static Caller current() {
    return CURRENT.get();
  }

  /** Runs {@code work} on this thread as {@code user} (null: anonymously). */
  public static <T> T callAs(Caller user, Callable<T> work) throws Exception {
    Caller before = CURRENT.get();
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
