package io.cairn.webdav.lock;

import io.cairn.cluster.lock.ActiveLock;
import io.cairn.cluster.lock.LockDepth;
import io.cairn.cluster.lock.LockScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The XML the lock support writes: {@code DAV:activelock} (RFC 4918 §14.1), {@code
 * DAV:supportedlock} (§15.10) and the href content of the {@code DAV:error} bodies of §16,
 * written by hand into strings with a caller-chosen prefix for the {@code DAV:} namespace: the
 * multistatus and LOCK's own answer bind it ({@code D}).
 */
final class LockXml {
  static final String DAV = "DAV:";

  private LockXml() {}

  /** One {@code activelock} element; {@code rootHref} is the lock root's href, already encoded. */
  static void activeLock(
      StringBuilder out, String p, ActiveLock lock, String rootHref, Instant now) {
    out.append('<').append(p).append(":activelock>");
    out.append('<').append(p).append(":locktype><").append(p).append(":write/></");
    out.append(p).append(":locktype>");
    out.append('<').append(p).append(":lockscope><").append(p).append(':');
    out.append(lock.scope() == LockScope.EXCLUSIVE ? "exclusive" : "shared");
    out.append("/></").append(p).append(":lockscope>");
    element(out, p, "depth", lock.depth() == LockDepth.INFINITY ? "infinity" : "0");
    if (lock.owner() != null) {
      // Verbatim XML, as the client sent it inside DAV:owner (RFC 4918 §14.17).
      out.append('<').append(p).append(":owner>").append(lock.owner());
      out.append("</").append(p).append(":owner>");
    }
    element(out, p, "timeout", timeout(lock.remaining(now)));
    out.append('<').append(p).append(":locktoken>");
    element(out, p, "href", escape(lock.token()));
    out.append("</").append(p).append(":locktoken>");
    out.append('<').append(p).append(":lockroot>");
    element(out, p, "href", escape(rootHref));
    out.append("</").append(p).append(":lockroot>");
    out.append("</").append(p).append(":activelock>");
  }

  /** The two {@code lockentry} elements of {@code supportedlock}: exclusive and shared write. */
  static String supportedLockEntries(String p) {
    StringBuilder out = new StringBuilder();
    for (String scope : List.of("exclusive", "shared")) {
      out.append('<').append(p).append(":lockentry>");
      out.append('<').append(p).append(":lockscope><").append(p).append(':').append(scope);
      out.append("/></").append(p).append(":lockscope>");
      out.append('<').append(p).append(":locktype><").append(p).append(":write/></");
      out.append(p).append(":locktype>");
      out.append("</").append(p).append(":lockentry>");
    }
    return out.toString();
  }

  /**
   * The body of a LOCK response (RFC 4918 §9.10.1): a {@code prop} holding {@code lockdiscovery}
   * with the given locks; {@code rootHrefs} holds each lock's root href, in the same order.
   */
  static String lockDiscoveryDocument(List<ActiveLock> locks, List<String> rootHrefs, Instant now) {
    StringBuilder out = new StringBuilder(prolog());
    out.append("<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>");
    for (int i = 0; i < locks.size(); i++) {
      activeLock(out, "D", locks.get(i), rootHrefs.get(i), now);
    }
    out.append("</D:lockdiscovery></D:prop>");
    return out.toString();
  }

  /** The href elements inside a precondition element, such as {@code lock-token-submitted}. */
  static String hrefs(List<String> hrefs) {
    StringBuilder out = new StringBuilder();
    hrefs.forEach(h -> element(out, "D", "href", escape(h)));
    return out.toString();
  }

  /** {@code Second-n} with n the remaining whole seconds, rounded up (RFC 4918 §10.7). */
  static String timeout(Duration remaining) {
    long seconds = remaining.getSeconds() + (remaining.getNano() > 0 ? 1 : 0);
    return "Second-" + Math.max(1, seconds);
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String prolog() {
    return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  }

  private static void element(StringBuilder out, String p, String name, String text) {
    out.append('<').append(p).append(':').append(name).append('>').append(text);
    out.append("</").append(p).append(':').append(name).append('>');
  }
}
