package io.cairn.server.api;

import static io.cairn.server.http.JsonRoutes.op;

import io.cairn.cluster.feed.ChangeFeed;
import io.cairn.core.chunk.ChunkerParams;
import io.cairn.files.FileService;
import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.share.ShareLinks;
import io.cairn.server.http.JsonRoutes.Answer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * The sync API, {@code /.cairn/api/v1/}: JSON over HTTP on the WebDAV port, authenticated by the
 * edge like WebDAV (Basic or Bearer), over the same files layer, so the same view (home and
 * shares, under the same paths as a WebDAV mount), access rules, quota and failures. Every route
 * is documented with a running example in docs/api.md and described in {@code openapi.json},
 * served at {@code /.cairn/api/v1/openapi.json}.
 */
public final class SyncApi {
  public static final String PREFIX = "/.cairn/api/v1/";
  private static final String OPENAPI = "/io/cairn/server/api/openapi.json";

  private SyncApi() {}

  /**
   * The routes, for the edge.
   *
   * @param authenticator asked again while long polls and event streams run
   * @param chunker the server's chunker sizes: what a client cuts files with (same cuts, same
   *     chunks, so dedup works), and its largest chunk is the most a block of a blocklist may hold
   * @param links the callers' share links
   */
  public static JsonRoutes routes(
      Vertx vertx, FileService files, ChangeFeed feed, RequestAuthenticator authenticator, Clock clock,
      ChunkerParams chunker, ShareLinks links) {
    int maxChunk = chunker.max();
    ChangeEndpoints changes = new ChangeEndpoints(new Changes(files), feed, authenticator);
    FileEndpoints file = new FileEndpoints(files, clock, maxChunk);
    TreeEndpoints tree = new TreeEndpoints(files);
    FolderZip zip = new FolderZip(files);
    ChunkEndpoints chunks = new ChunkEndpoints(files, maxChunk);
    TrashEndpoints trash = new TrashEndpoints(files);
    ShareEndpoints shares = new ShareEndpoints(links);
    Buffer openapi = openapi();
    return new JsonRoutes(vertx, PREFIX)
        .path("openapi.json", op(HttpMethod.GET, call -> {
          call.response().putHeader("Content-Type", "application/json").end(openapi);
          return null;
        }))
        .path("server", op(HttpMethod.GET, call -> Answer.ok(server(chunker))))
        .path("cursor", op(HttpMethod.GET, changes::cursor))
        .path("changes", op(HttpMethod.GET, changes::changes))
        .path("events", op(HttpMethod.GET, changes::events))
        .path("chunks/missing", op(HttpMethod.POST, 2 << 20, chunks::missing))
        .path("chunks/:hash", op(HttpMethod.PUT, maxChunk, chunks::put), op(HttpMethod.GET, chunks::get))
        .path("commit", op(HttpMethod.POST, 16 << 20, file::commit))
        .path("history", op(HttpMethod.GET, file::history))
        .path("content", op(HttpMethod.GET, file::content))
        .path("zip", op(HttpMethod.GET, zip::zip))
        .path("restore", op(HttpMethod.POST, file::restore))
        .path("entry", op(HttpMethod.GET, tree::entry))
        .path("list", op(HttpMethod.GET, tree::list))
        .path("mkdir", op(HttpMethod.POST, tree::mkdir))
        .path("delete", op(HttpMethod.POST, tree::delete))
        .path("move", op(HttpMethod.POST, tree::move))
        .path("trash", op(HttpMethod.GET, trash::list))
        .path("trash/restore", op(HttpMethod.POST, trash::restore))
        .path("trash/empty", op(HttpMethod.POST, trash::empty))
        .path("shares", op(HttpMethod.GET, shares::list), op(HttpMethod.POST, shares::create))
        .path("shares/:id", op(HttpMethod.DELETE, shares::revoke));
  }

  /** What a client needs to know about this server before it cuts a file: the API and chunk sizes. */
  private static JsonObject server(ChunkerParams chunker) {
    JsonObject sizes = new JsonObject().put("min", chunker.min()).put("avg", chunker.avg()).put("max", chunker.max());
    return new JsonObject().put("api", 1).put("chunker", sizes);
  }

  private static Buffer openapi() {
    try (InputStream in = SyncApi.class.getResourceAsStream(OPENAPI)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + OPENAPI);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
