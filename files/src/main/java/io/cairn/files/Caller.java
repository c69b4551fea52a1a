package io.cairn.files;

import io.cairn.core.TreePaths;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Who a request runs as, and their view: their home namespace at the root, each shared namespace
 * granted to them as a top-level folder (which shadows a home folder of the same name; a folder
 * name with no grant is an ordinary path in their home, ADR 0003). The namespace comes from who
 * the caller is, never from a path, so no path can name another namespace. Every front door
 * resolves paths through {@link #locate} and shows them back through {@link #viewPath}.
 *
 * @param name the user's name, recorded as the author of the changes they make; null for a site
 *     without authentication
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
    if (home == null || home.isEmpty()) {
      throw new IllegalArgumentException("a caller needs a home namespace");
    }
    shares = List.copyOf(shares);
  }

  /** A site without authentication: everyone is this caller, in namespace {@code ns}. */
  public static Caller anonymous(String ns) {
    return new Caller(null, ns, -1, List.of());
  }

  /**
   * The namespace path a view path names: a path inside a granted share's folder lands in that
   * namespace, anything else in the home.
   *
   * @param viewPath a path that passes {@link TreePaths#isValid}
   */
  public FilePath locate(String viewPath) {
    if (!shares.isEmpty() && !viewPath.equals(TreePaths.ROOT)) {
      int slash = viewPath.indexOf('/', 1);
      String first = slash < 0 ? viewPath.substring(1) : viewPath.substring(1, slash);
      Share share = shareByFolder(first);
      if (share != null) {
        return new FilePath(share.ns(), slash < 0 ? TreePaths.ROOT : viewPath.substring(slash));
      }
    }
    return new FilePath(home, viewPath);
  }

  /** Where {@code p} appears in this caller's view; null when it is outside it. */
  public String viewPath(FilePath p) {
    if (p.ns().equals(home)) {
      return p.path();
    }
    Share share = shareOf(p.ns());
    if (share == null) {
      return null;
    }
    return p.isRoot() ? "/" + share.folder() : "/" + share.folder() + p.path();
  }

  /** The shares shown as folders inside {@code dir}: all of them in the home's root, else none. */
  public List<Share> sharesIn(FilePath dir) {
    return dir.isRoot() && dir.ns().equals(home) ? shares : List.of();
  }

  /** Every namespace the caller may read: their home first, then each share's. */
  public List<String> namespaces() {
    List<String> out = new java.util.ArrayList<>(1 + shares.size());
    out.add(home);
    for (Share s : shares) {
      out.add(s.ns());
    }
    return out;
  }

  /** Whether the caller may read namespace {@code ns}: their home, or any share. */
  public boolean canRead(String ns) {
    return home.equals(ns) || shareOf(ns) != null;
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
