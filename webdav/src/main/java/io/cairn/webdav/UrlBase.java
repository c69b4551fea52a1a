package io.cairn.webdav;

import io.cairn.core.TreePaths;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The URL prefix a WebDAV request's tree hangs under: none for the plain mount at {@code /}, or
 * the Nextcloud and ownCloud clients' {@code /remote.php/dav/files/<user>} and {@code
 * /remote.php/webdav}, which show the same view (ADR 0010). Set for the length of one request, on
 * its thread, by the front that routed it ({@link #serve}); while set, the request's own path, the
 * {@code Destination} and {@code If} URLs ({@link LocalUrls}) are read below it, a URL outside it
 * is not this server's, and every href written ({@link DavMount#href}) starts with it.
 */
public final class UrlBase {
  private static final ThreadLocal<UrlBase> CURRENT = new ThreadLocal<>();

  /** What lies below a base. */
  public enum Kind {
    /** The caller's view, as at the plain mount. */
    FILES,
    /** The caller's staged chunked uploads ({@code io.cairn.files.StagedUploads}). */
    UPLOADS,
    /** The versions of the caller's files, by file id. */
    VERSIONS,
    /** The caller's trash bin. */
    TRASHBIN
  }

  private final Kind kind;
  private final String user;
  /** The decoded segments, such as {@code remote.php}, {@code dav}, {@code files}, {@code alice}. */
  private final List<String> segments;
  private final String href;

  /**
   * A base of the decoded {@code segments}.
   *
   * @param user the user the URL names (its last segment), or null when it names none
   */
  public UrlBase(Kind kind, String user, List<String> segments) {
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a base has at least one segment");
    }
    this.kind = kind;
    this.user = user;
    this.segments = List.copyOf(segments);
    StringBuilder b = new StringBuilder();
    for (String s : segments) {
      b.append(PathCodec.encode(TreePaths.ROOT + s, false));
    }
    this.href = b.toString();
  }

  public Kind kind() {
    return kind;
  }

  /** The user the URL names, or null. */
  public String user() {
    return user;
  }

  /** The Nextcloud clients' base of {@code user}'s files: {@code /remote.php/dav/files/<user>}. */
  public static UrlBase files(String user) {
    return new UrlBase(Kind.FILES, user, List.of("remote.php", "dav", "files", user));
  }

  /** The base of the request this thread serves, or null for the plain mount. */
  public static UrlBase current() {
    return CURRENT.get();
  }

  /** Runs {@code work} (a request being served) on this thread under {@code base}. */
  public static <T> T serve(UrlBase base, Callable<T> work) throws Exception {
    UrlBase before = CURRENT.get();
    CURRENT.set(base);
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

  /** As {@link #serve}, for work that throws no checked exception. */
  public static <T> T within(UrlBase base, java.util.function.Supplier<T> work) {
    try {
      return serve(base, work::get);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e); // Supplier.get throws nothing checked
    }
  }

  /**
   * The raw path below this base ({@code /} for the base itself), or null when {@code rawPath}
   * does not lie under it. The base's own segments are compared decoded, so {@code alice%40x}
   * and {@code alice@x} are one user; what follows is returned as it was sent.
   *
   * @throws DavException 400 for a base segment that does not decode
   */
  public String below(String rawPath) {
    int at = 0;
    for (String expected : segments) {
      while (at < rawPath.length() && rawPath.charAt(at) == '/') {
        at++;
      }
      if (at == 0 || at >= rawPath.length()) {
        return null;
      }
      int end = rawPath.indexOf('/', at);
      end = end < 0 ? rawPath.length() : end;
      if (!PathCodec.decode("/" + rawPath.substring(at, end)).equals(TreePaths.ROOT + expected)) {
        return null;
      }
      at = end;
    }
    return at >= rawPath.length() ? TreePaths.ROOT : rawPath.substring(at);
  }

  /** An href of the plain mount ({@code /a/b}) moved under this base. */
  public String href(String plainHref) {
    return href + plainHref;
  }

  /** An href under the base of the request this thread serves, if any. */
  public static String currentHref(String plainHref) {
    UrlBase base = CURRENT.get();
    return base == null ? plainHref : base.href(plainHref);
  }

  @Override
  public String toString() {
    return href + "/";
  }
}
