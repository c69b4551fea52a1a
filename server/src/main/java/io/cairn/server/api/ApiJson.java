package io.cairn.server.api;

import io.cairn.core.BlockRef;
import io.cairn.core.Blocklist;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.storage.Entry;
import io.cairn.storage.JournalRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The JSON of the sync API's answers, in one place so every route names a thing the same way:
 * paths as the caller's view shows them, times as milliseconds since the epoch, {@code version}
 * the journal id of the commit that made it (the {@code base} of a later commit).
 */
final class ApiJson {
  private ApiJson() {}

  /** A live entry at {@code viewPath}. */
  static JsonObject entry(String viewPath, Entry e) {
    return entry(viewPath, e, false);
  }

  /** A live entry at {@code viewPath}, with a file's blocklist when {@code blocklists}. */
  static JsonObject entry(String viewPath, Entry e, boolean blocklists) {
    JsonObject o = new JsonObject().put("path", viewPath).put("kind", e.isDirectory() ? "folder" : "file");
    if (!e.isDirectory()) {
      o.put("size", e.size()).put("hash", e.contentHash());
    }
    o.put("mtime", millis(e.mtime())).put("version", e.version());
    if (blocklists && !e.isDirectory()) {
      o.put("blocklist", blocklist(e.blocklist()));
    }
    return o;
  }

  /**
   * One journal row as a change of the caller's view; null when its path is not in the view (a
   * home folder hidden behind a share of the same name), so it is not reported.
   */
  static JsonObject change(Caller caller, JournalRow row, boolean blocklists) {
    String path = visible(caller, row.ns(), row.dest() != null ? row.dest() : row.path());
    return path == null ? null : change(caller, row, blocklists, path);
  }

  private static JsonObject change(Caller caller, JournalRow row, boolean blocklists, String path) {
    JsonObject o = new JsonObject().put("path", path);
    switch (row.kind()) {
      case PUT -> {
        o.put("kind", "file").put("size", row.size()).put("hash", row.contentHash());
        o.put("mtime", millis(row.mtime() != null ? row.mtime() : row.at()));
        if (blocklists) {
          o.put("blocklist", blocklist(row.blocklist()));
        }
      }
      case MKDIR -> o.put("kind", "folder");
      case DELETE -> o.put("kind", "deleted");
      case MOVE -> o.put("kind", "moved").put("from", visible(caller, row.ns(), row.path()));
      case COPY -> o.put("kind", "copied").put("from", visible(caller, row.ns(), row.path()));
    }
    return o.put("version", row.jid()).put("author", row.author()).put("at", millis(row.at()));
  }

  /**
   * One version of a file, for history; an {@code expired} one (retention) says so and carries no
   * content hash: its content can no longer be read or restored (410).
   */
  static JsonObject version(Caller caller, JournalRow row, boolean expired) {
    // A version is asked for by a path in the view; an older name of the file is shown even when
    // a share's folder hides it now.
    JsonObject o = change(caller, row, false, view(caller, row.ns(), row.dest() != null ? row.dest() : row.path()));
    o.put("jid", row.jid());
    if (expired) {
      o.remove("hash");
      o.put("expired", true);
    }
    return o;
  }

  static JsonArray blocklist(Blocklist blocklist) {
    JsonArray a = new JsonArray();
    for (BlockRef b : blocklist.blocks()) {
      a.add(new JsonObject().put("hash", b.hash().toString()).put("size", b.length()));
    }
    return a;
  }

  /**
   * Where {@code path} of {@code ns} shows in the caller's view, or null when it does not: outside
   * the view, or a home path behind a share's folder of the same name (which the view path would
   * name instead).
   */
  static String visible(Caller caller, String ns, String path) {
    FilePath p = new FilePath(ns, path);
    String v = caller.viewPath(p);
    return v != null && caller.locate(v).equals(p) ? v : null;
  }

  static String view(Caller caller, String ns, String path) {
    String v = caller.viewPath(new FilePath(ns, path));
    return v == null ? path : v;
  }

  static Long millis(Instant t) {
    return t == null ? null : t.toEpochMilli();
  }
}
