package io.cairn.server.api;

import io.cairn.core.ChunkHash;
import io.cairn.files.Caller;
import io.cairn.files.FileService;
import io.cairn.files.UploadBudget;
import io.cairn.server.http.BoundedBody;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.http.JsonRoutes.Answer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Set;

/**
 * Chunks by their SHA-256: which must be uploaded, upload one, download one. Dedup is scoped
 * (design invariant 7): a chunk counts as present for a caller only when it belongs to content
 * they can read or they uploaded it within the hour, so no hash reveals another user's content.
 */
final class ChunkEndpoints {
  static final int MAX_HASHES = 10_000;

  private final FileService files;
  private final int maxChunk;

  ChunkEndpoints(FileService files, int maxChunk) {
    this.files = files;
    this.maxChunk = maxChunk;
  }

  Answer missing(JsonRoutes.Call call) {
    JsonObject in = Input.object(call, Set.of("hashes"), Set.of("hashes"));
    if (!(in.getValue("hashes") instanceof JsonArray raw)) {
      throw Input.bad("\"hashes\" must be an array of chunk hashes");
    }
    List<ChunkHash> hashes = Input.hashes(raw, MAX_HASHES);
    JsonArray missing = new JsonArray();
    files.missingChunks(Caller.current(), hashes).forEach(h -> missing.add(h.hex()));
    return Answer.ok(new JsonObject().put("missing", missing));
  }

  /** The body must hash to its name (400 otherwise) and be at most the chunker's largest chunk (413). */
  Answer put(JsonRoutes.Call call) throws InterruptedIOException {
    ChunkHash hash = Input.hash(call.param("hash"));
    // The body is held whole: it waits for room in the upload budget first, as an upload does
    // (its announced length; the largest chunk when none is, or one past it: that body gets 413).
    long declared = BoundedBody.declaredLength(call.request());
    try (UploadBudget.Lease room = files.reserveWholeBody(declared < 0 || declared > maxChunk ? maxChunk : declared)) {
      Buffer body = call.body();
      files.storeChunk(Caller.current(), hash, body);
      return new Answer(201, new JsonObject().put("hash", hash.hex()).put("size", body.length()));
    }
  }

  Answer get(JsonRoutes.Call call) {
    ChunkHash hash = Input.hash(call.param("hash"));
    Buffer bytes = files.readChunk(Caller.current(), hash);
    call.response().putHeader("Content-Type", "application/octet-stream")
        .putHeader("Cache-Control", "private, max-age=31536000, immutable").end(bytes);
    return null;
  }
}
