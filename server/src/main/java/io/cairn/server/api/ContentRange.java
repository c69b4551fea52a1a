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
final class ContentRange {
  private ContentRange() {}

  /** Writes {@code length} bytes from {@code offset} to {@code out}. */
  @FunctionalInterface
  interface Source {
    void write(long offset, long length, OutputStream out) throws IOException;
  }

  static void send(JsonRoutes.Call call, Entry file, Source source) throws IOException {
    HttpServerResponse r = call.response();
    long size = file.size();
    long[] range = parse(call.request().getHeader("Range"), size);
    r.putHeader("Accept-Ranges", "bytes").putHeader("ETag", ContentHash.etag(file.contentHash()))
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
    try (ResponseStream out = new ResponseStream(r)) {
      if (length > 0) {
        source.write(offset, length, out);
      }
    }
  }

  private static final long[] UNSATISFIABLE = new long[0];

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
    try {
      String a = spec.substring(0, dash).trim();
      String b = spec.substring(dash + 1).trim();
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        return suffix <= 0 || size == 0 ? UNSATISFIABLE : new long[] {Math.max(0, size - suffix), size - 1};
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
      if (first >= size || first > last) {
        return UNSATISFIABLE;
      }
      return new long[] {first, last};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
