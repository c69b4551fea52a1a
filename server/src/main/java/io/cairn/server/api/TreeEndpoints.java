package io.cairn.server.api;

import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.storage.Entry;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tree: {@code GET entry}, {@code GET list}, {@code POST mkdir}, {@code POST delete} and
 * {@code POST move}, each optionally conditional on the {@code base} version the client last saw,
 * so a sync client never deletes or moves what someone else changed since (412 instead).
 */
final class TreeEndpoints {
  private final FileService files;

  TreeEndpoints(FileService files) {
    this.files = files;
  }

  Answer entry(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    String view = Input.path(call.query("path"), "path");
    boolean blocklists = Input.query(call, "blocklist", 0, 0, 1) == 1;
    Entry e = files.entry(caller, caller.locate(view));
    if (e == null) {
      throw io.cairn.core.CairnException.notFound("nothing at " + view);
    }
    return Answer.ok(ApiJson.entry(view, e, blocklists));
  }

  /** One page of a folder's children, by name; {@code after} the last name of the previous page. */
  Answer list(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    String view = Input.path(call.query("path"), "path");
    int limit = (int) Input.query(call, "limit", 1000, 1, 10_000);
    String after = call.query("after");
    boolean blocklists = Input.query(call, "blocklist", 0, 0, 1) == 1;
    FilePath dir = caller.locate(view);
    JsonArray entries = new JsonArray();
    if (after == null) {
      for (Caller.Share share : caller.sharesIn(dir)) {
        Entry root = files.entry(caller, new FilePath(share.ns(), "/"));
        if (root != null) {
          entries.add(ApiJson.entry("/" + share.folder(), root).put("share", true));
        }
      }
    }
    List<Entry> children = files.children(caller, dir, after, limit);
    Map<Long, String> authors = files.authors(caller, dir, children);
    for (Entry child : children) {
      String childView = ApiJson.visible(caller, dir.ns(), child.path());
      if (childView != null) { // null: a home folder behind a share's folder of the same name
        entries.add(ApiJson.entry(childView, child, blocklists).put("author", authors.get(child.version())));
      }
    }
    JsonObject out = new JsonObject().put("path", view).put("entries", entries);
    if (children.size() == limit) {
      out.put("after", children.get(children.size() - 1).name());
    }
    return Answer.ok(out);
  }

  Answer mkdir(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    JsonObject in = Input.object(call, Set.of("path"), Set.of("path"));
    String view = Input.path(Input.string(in, "path"), "path");
    FilePath p = caller.locate(view);
    files.mkdir(caller, p);
    return Answer.ok(ApiJson.entry(view, files.entry(caller, p)));
  }

  Answer delete(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    JsonObject in = Input.object(call, Set.of("path", "base"), Set.of("path"));
    String view = Input.path(Input.string(in, "path"), "path");
    JournalRow row = files.delete(caller, caller.locate(view), expect(Input.optionalLong(in, "base")));
    return Answer.ok(new JsonObject().put("path", view).put("kind", "deleted").put("version", row.jid()));
  }

  Answer move(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    JsonObject in = Input.object(call, Set.of("from", "to", "base", "overwrite"), Set.of("from", "to"));
    String from = Input.path(Input.string(in, "from"), "from");
    String to = Input.path(Input.string(in, "to"), "to");
    Object raw = in.getValue("overwrite");
    if (raw != null && !(raw instanceof Boolean)) {
      throw Input.bad("\"overwrite\" is true or false");
    }
    boolean overwrite = Boolean.TRUE.equals(raw);
    FilePath target = caller.locate(to);
    files.move(caller, caller.locate(from), target, overwrite, expect(Input.optionalLong(in, "base")));
    return Answer.ok(ApiJson.entry(to, files.entry(caller, target)).put("from", from));
  }

  private static Expect expect(Long base) {
    return base == null ? Expect.ANY : Expect.version(base);
  }
}
