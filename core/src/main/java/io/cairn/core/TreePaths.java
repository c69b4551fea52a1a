package io.cairn.core;

/**
 * Paths inside a namespace. A path is absolute and normalized: {@code "/"} for the root, otherwise
 * {@code "/a/b"} with no trailing slash, no empty, {@code "."} or {@code ".."} segments, no NUL, and
 * no segment longer than {@link #MAX_SEGMENT} characters nor a whole path longer than {@link
 * #MAX_PATH}. The protocol layer decodes and validates what clients send; the storage layer only
 * ever sees paths that pass {@link #isValid}.
 */
public final class TreePaths {
  public static final String ROOT = "/";
  public static final int MAX_SEGMENT = 255;
  public static final int MAX_PATH = 4096;

  private TreePaths() {}

  public static boolean isValid(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/' || path.length() > MAX_PATH) {
      return false;
    }
    if (path.equals(ROOT)) {
      return true;
    }
    if (path.endsWith("/")) {
      return false;
    }
    if (path.indexOf('\0') >= 0) {
      return false;
    }
    int start = 1;
    while (start <= path.length()) {
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = path.length();
      }
      // Read in place, not as a substring: a PROPFIND checks the path of every child it lists.
      int length = end - start;
      if (length == 0
          || length > MAX_SEGMENT
          || (path.charAt(start) == '.' && (length == 1 || (length == 2 && path.charAt(start + 1) == '.')))) {
        return false;
      }
      start = end + 1;
    }
    return true;
  }

  /** Fails with a CONFLICT CairnException when {@code path} is not valid; returns it otherwise. */
  public static String require(String path) {
    if (!isValid(path)) {
      throw CairnException.conflict("not a valid path: " + path);
    }
    return path;
  }

  /** The parent of a non-root path: {@code "/a"} for {@code "/a/b"}, {@code "/"} for {@code "/a"}. */
  public static String parent(String path) {
    if (path.equals(ROOT)) {
      throw new IllegalArgumentException("the root has no parent");
    }
    int slash = path.lastIndexOf('/');
    return slash == 0 ? ROOT : path.substring(0, slash);
  }

  /** The last segment of a non-root path; the empty string for the root. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public static String child(String parent, String name) {
    return parent.equals(ROOT) ? ROOT + name : parent + "/" + name;
  }

  /** True when {@code path} is {@code ancestor} itself or lies beneath it. */
  public static boolean isSameOrBelow(String path, String ancestor) {
    if (ancestor.equals(ROOT)) {
      return true;
    }
    return path.equals(ancestor)
        || (path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/');
  }

  /** {@code path}, which is at or below {@code from}, moved to lie at or below {@code to}. */
  public static String rebase(String path, String from, String to) {
    if (!isSameOrBelow(path, from)) {
      throw new IllegalArgumentException(path + " is not below " + from);
    }
    String rest = from.equals(ROOT) ? path.substring(1) : path.substring(from.length());
    if (rest.isEmpty()) {
      return to;
    }
    if (rest.charAt(0) == '/') {
      rest = rest.substring(1);
    }
    return child(to, rest);
  }

  /**
   * The normalized path a client named in a JSON body or a query (not URL-encoded): a leading
   * {@code /}, segments brought to Unicode NFC (macOS sends decomposed names), a trailing slash
   * dropped. INVALID for an empty segment, a dot segment, a control character (C0, DEL, C1) or a
   * segment or path over the limits.
   */
  public static String fromClient(String path) {
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      throw CairnException.invalid("a path starts with /");
    }
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
        throw CairnException.invalid("control character in a path");
      }
      if (c >= 0x300) {
        path = java.text.Normalizer.normalize(path, java.text.Normalizer.Form.NFC);
        break;
      }
    }
    if (!isValid(path)) {
      throw CairnException.invalid("not a valid path: empty or dot segments, or too long");
    }
    return path;
  }
}
