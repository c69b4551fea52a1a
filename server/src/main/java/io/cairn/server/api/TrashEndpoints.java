package io.cairn.server.api;

import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.storage.TrashItem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The trash: {@code GET trash} lists what was deleted (or replaced by a move or copy) at or below
 * a folder, {@code POST trash/restore} brings one back, a folder with its whole subtree as it
 * was, at its old path or at {@code to}, and {@code POST trash/empty} empties the trash at or below
 * a folder for good.
 */
final class TrashEndpoints {
  private final FileService files;

  TrashEndpoints(FileService files) {
    this.files = files;
  }

  Answer list(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    String view = call.query("path") == null ? "/" : Input.path(call.query("path"), "path");
    int limit = (int) Input.query(call, "limit", 100, 1, 1000);
    FilePath dir = caller.locate(view);
    JsonArray items = new JsonArray();
    for (TrashItem t : files.trash(caller, dir, limit)) {
      String path = ApiJson.visible(caller, dir.ns(), t.path());
      if (path == null) {
        continue; // behind a share's folder: not reachable by this path
      }
      items.add(new JsonObject()
          .put("path", path)
          .put("kind", t.kind() == io.cairn.storage.EntryKind.DIRECTORY ? "folder" : "file")
          .put("version", t.jid())
          .put("deleted_at", ApiJson.millis(t.at()))
          .put("deleted_by", t.author())
          .put("size", t.bytes())
          .put("files", t.files()));
    }
    return Answer.ok(new JsonObject().put("path", view).put("trash", items));
  }

  Answer restore(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    Input.Restore r = Input.restore(call, "the deleted version, from GET trash");
    FilePath target = caller.locate(r.to());
    files.restoreFromTrash(caller, caller.locate(r.view()), r.version(), target);
    return Answer.ok(ApiJson.entry(r.to(), files.entry(caller, target)));
  }

  /** Everything in the trash at or below {@code path} expires now: it can no longer be restored. */
  Answer empty(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    JsonObject in = Input.object(call, Set.of("path"), Set.of("path"));
    String view = Input.path(Input.string(in, "path"), "path");
    int emptied = files.emptyTrash(caller, caller.locate(view));
    return Answer.ok(new JsonObject().put("path", view).put("emptied", emptied));
  }
}
