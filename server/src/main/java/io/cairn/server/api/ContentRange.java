package io.cairn.server.api;

import io.cairn.core.ContentHash;
import io.cairn.server.http.JsonRoutes;
import io.cairn.storage.Entry;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Sends a file's content with HTTP range support (RFC 9110 §14): one {@code bytes=} range gets
 * 206 and {@code Content-Range}; several ranges get the whole file (allowed); a range that cannot
 * be satisfied gets 416 with the size.
 */
public final class ContentRange {
  private ContentRange() {}

  /** Writes {@code length} bytes from {@code offset} to {@code out}. */
  @FunctionalInterface
  public interface Source {
    void write(long offset, long length, OutputStream out) throws IOException;
  }

  /** Sends {@code file}'s content from {@code source}: the whole of it, or the one range asked for. */
  public static void send(JsonRoutes.Call call, Entry file, Source source) throws IOException {
    HttpServerResponse r = call.response();
    long size = file.size();
    String etag = ContentHash.etag(file.contentHash());
    String ifRange = call.request().getHeader("If-Range");
    // RFC 9110 §13.1.5: a Range whose If-Range no longer matches gets the whole (new) content.
    long[] range = ifRange != null && !ifRange.equals(etag) ? null : parse(call.request().getHeader("Range"), size);
    r.putHeader("Accept-Ranges", "bytes").putHeader("ETag", etag)
        .putHeader("Content-Type", "application/octet-stream");
    if (range == UNSATISFIABLE) {
      r.setStatusCode(416).putHeader("Content-Range", "bytes */" + size).end();
      return;
    }
    long offset = range == null ? 0 : range[0];
    long length = range == null ? size : range[1] - range[0] + 1;
    if (range != null) {
      r.setStatusCode(206).putHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    }
    r.putHeader("Content-Length", Long.toString(length));
    ResponseStream out = new ResponseStream(r);
    try {
      if (length > 0) {
        source.write(offset, length, out);
      }
      out.close();
    } catch (IOException | RuntimeException e) {
      if (r.headWritten()) {
        // The head promised length bytes: a short body must not look complete. Close.
        call.request().connection().close();
      } else {
        // Nothing went out (damaged content is refused before its first byte): the error's
        // answer replaces this one, without the content's length and range.
        r.headers().remove("Content-Length").remove("Content-Range").remove("ETag").remove("Accept-Ranges");
        r.setStatusCode(200);
      }
      throw e;
    }
  }

  private static final long[] UNSATISFIABLE = new long[0];

  /** Decimal digits as a number, saturating at Long.MAX_VALUE (a position past any file). */
  private static long digits(String d) {
    try {
      return Long.parseLong(d);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  /** {first, last} of a single satisfiable range; null for none (or several); UNSATISFIABLE. */
  static long[] parse(String header, long size) {
    if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
      return null;
    }
    String spec = header.substring(6).trim();
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    if (!a.chars().allMatch(Character::isDigit) || !b.chars().allMatch(Character::isDigit) || (a.isEmpty() && b.isEmpty())) {
      return null; // not a byte range: ignored (RFC 9110 §14.2)
    }
    if (a.isEmpty()) {
      long suffix = digits(b);
      return suffix <= 0 || size == 0 ? UNSATISFIABLE : new long[] {Math.max(0, size - suffix), size - 1};
    }
    long first = digits(a);
    long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
    if (last < first) {
      return null; // invalid: ignored
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    return new long[] {first, Math.min(last, size - 1)};
  }
}
