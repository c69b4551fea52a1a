package io.cairn.server.api;

import io.cairn.core.Blocklist;
import io.cairn.core.CairnException;
import io.cairn.core.ConflictNames;
import io.cairn.core.ContentHash;
import io.cairn.files.Caller;
import io.cairn.files.FilePath;
import io.cairn.files.FileService;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.cairn.storage.Entry;
import io.cairn.storage.EntryKind;
import io.cairn.storage.Expect;
import io.cairn.storage.JournalRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Files and their versions: {@code POST commit} (a blocklist whose chunks are uploaded, with a
 * conflict policy), {@code GET history}, {@code GET content} and {@code POST restore}. Every rule
 * (view, access, quota, missing chunks) is the files layer's; this is the JSON around it.
 */
final class FileEndpoints {
  private static final Set<String> COMMIT_FIELDS = Set.of("path", "blocklist", "size", "mtime", "base", "on_conflict");

  private final FileService files;
  private final Clock clock;
  private final int maxChunk;

  FileEndpoints(FileService files, Clock clock, int maxChunk) {
    this.files = files;
    this.clock = clock;
    this.maxChunk = maxChunk;
  }

  /** The policy of a commit whose base is no longer current. */
  private enum OnConflict {
    FAIL, KEEP_BOTH, OVERWRITE;

    static OnConflict of(Object raw) {
      if (raw == null) {
        return FAIL;
      }
      return switch (String.valueOf(raw)) {
        case "fail" -> FAIL;
        case "keep-both" -> KEEP_BOTH;
        case "overwrite" -> OVERWRITE;
        default -> throw Input.bad("\"on_conflict\" is fail, keep-both or overwrite");
      };
    }
  }

  Answer commit(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    JsonObject in = Input.object(call, COMMIT_FIELDS, Set.of("path", "blocklist", "size"));
    String view = Input.path(Input.string(in, "path"), "path");
    Long size = Input.optionalLong(in, "size");
    if (size == null || size < 0) {
      throw Input.bad("\"size\" is a whole number of bytes");
    }
    Blocklist blocklist = Input.blocklist(in.getValue("blocklist"), size, maxChunk);
    Long mtimeMillis = Input.optionalLong(in, "mtime");
    Instant mtime = mtimeMillis == null ? null : Instant.ofEpochMilli(mtimeMillis);
    Long base = Input.optionalLong(in, "base");
    OnConflict policy = OnConflict.of(in.getValue("on_conflict"));
    FilePath p = caller.locate(view);
    Entry current = files.entry(caller, p);
    if (current != null && !current.isDirectory() && ContentHash.of(blocklist).equals(current.contentHash())) {
      return answer(view, current, false);
    }
    Expect expect = policy == OnConflict.OVERWRITE ? Expect.ANY : base == null ? Expect.ABSENT : Expect.version(base);
    try {
      return committed(caller, view, p, blocklist, mtime, expect, false);
    } catch (CairnException e) {
      if (e.kind() != CairnException.Kind.PRECONDITION_FAILED) {
        throw e;
      }
      Entry now = files.entry(caller, p);
      if (policy == OnConflict.FAIL || now == null || now.isDirectory()) {
        JsonObject extra = new JsonObject().put("current", now == null ? null : ApiJson.entry(view, now));
        throw new Refusal(412, "precondition_failed", "the base version is no longer current", extra);
      }
      String copy = conflictName(view, caller.name());
      return committed(caller, copy, caller.locate(copy), blocklist, mtime, Expect.ABSENT, true);
    }
  }

  private Answer committed(
      Caller caller, String view, FilePath p, Blocklist blocklist, Instant mtime, Expect expect, boolean conflict) {
    FileService.Commit c = files.commitBlocklist(caller, p, blocklist, mtime, expect);
    if (!c.committed()) {
      JsonArray missing = new JsonArray();
      c.missing().forEach(h -> missing.add(h.hex()));
      throw new Refusal(409, "missing_chunks", "upload the chunks named in \"missing\" first (" + c.missing().size() + ")",
          new JsonObject().put("missing", missing));
    }
    Entry e = files.entry(caller, p);
    JsonObject body = answer(view, e, true).body();
    if (conflict) {
      body.put("conflict", true);
    }
    return Answer.ok(body);
  }

  private static Answer answer(String view, Entry e, boolean changed) {
    return Answer.ok(ApiJson.entry(view, e).put("changed", changed));
  }

  /** {@code NAME (conflicted copy YYYY-MM-DD HHMMSS USER).EXT} beside {@code view}. */
  String conflictName(String view, String user) {
    return ConflictNames.copyOf(view, clock.instant(), user);
  }

  Answer history(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    String view = Input.path(call.query("path"), "path");
    int limit = (int) Input.query(call, "limit", 100, 1, 1000);
    long before = Input.query(call, "before", 0, 0, Long.MAX_VALUE);
    List<JournalRow> rows = files.history(caller, caller.locate(view), limit, before);
    if (rows.isEmpty() && before == 0) {
      throw CairnException.notFound("nothing was ever at " + view);
    }
    JsonArray versions = new JsonArray();
    java.util.Set<Long> expired = files.expired(caller, caller.locate(view), rows);
    java.util.Set<Long> damaged = files.damaged(caller, caller.locate(view), rows);
    for (JournalRow row : rows) {
      JsonObject v = ApiJson.version(caller, row, expired.contains(row.jid()));
      if (damaged.contains(row.jid())) {
        v.put("damaged", true);
      }
      versions.add(v);
    }
    return Answer.ok(new JsonObject().put("path", view).put("versions", versions));
  }

  /** The content of the current file or of one retained version, Range supported. */
  Answer content(JsonRoutes.Call call) throws IOException {
    Caller caller = Caller.current();
    String view = Input.path(call.query("path"), "path");
    FilePath p = caller.locate(view);
    long version = Input.query(call, "version", 0, 0, Long.MAX_VALUE);
    Entry file = version == 0 ? files.entry(caller, p) : asEntry(files.version(caller, p, version));
    if (file == null || file.isDirectory()) {
      throw CairnException.notFound("no file at " + view);
    }
    ContentRange.send(call, file, (offset, length, out) -> files.download(file, offset, length, out));
    return null;
  }

  Answer restore(JsonRoutes.Call call) {
    Caller caller = Caller.current();
    Input.Restore r = Input.restore(call, "a version from GET history");
    JournalRow row = files.version(caller, caller.locate(r.view()), r.version());
    FilePath target = caller.locate(r.to());
    Entry before = files.entry(caller, target);
    FileService.Commit c = files.commitBlocklist(caller, target, row.blocklist(), row.mtime(), Expect.ANY);
    if (!c.committed()) {
      throw new CairnException(CairnException.Kind.INTERNAL, "a retained version lacks chunks: " + c.missing());
    }
    Entry after = files.entry(caller, target);
    // The content already current makes no version (FileService): nothing changed then.
    return answer(r.to(), after, before == null || before.version() != after.version());
  }

  private static Entry asEntry(JournalRow row) {
    return new Entry(row.path(), EntryKind.FILE, row.size(), row.mtime() != null ? row.mtime() : row.at(),
        row.contentHash(), row.blocklist(), row.jid(), row.at());
  }
}
