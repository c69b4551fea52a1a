package io.cairn.server.api;

import io.cairn.cluster.feed.ChangeFeed;
import io.cairn.files.Await;
import io.cairn.files.Caller;
import io.cairn.server.http.JsonRoutes;
import io.cairn.server.auth.RequestAuthenticator;
import io.cairn.server.http.JsonRoutes.Answer;
import io.cairn.server.http.JsonRoutes.Refusal;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Following changes: {@code GET cursor}, {@code GET changes} (with a long poll) and {@code GET
 * events} (Server-Sent Events). All three read the journal; the {@link ChangeFeed} only wakes them
 * when any node commits, so a lost wake-up delays a change by at most {@link ChangeFeed#SLICE}.
 */
final class ChangeEndpoints {
  static final int MAX_LIMIT = 1000;
  static final int MAX_WAIT_SECONDS = 300;
  /** An event stream ends after this long; the client reconnects with Last-Event-ID. */
  static final Duration STREAM_LIFE = Duration.ofHours(1);
  static final Duration KEEPALIVE = Duration.ofSeconds(15);

  private final Changes changes;
  private final ChangeFeed feed;
  private final RequestAuthenticator authenticator;

  /** @param authenticator asked again while a long poll or a stream runs ({@link StillAllowed}) */
  ChangeEndpoints(Changes changes, ChangeFeed feed, RequestAuthenticator authenticator) {
    this.changes = changes;
    this.feed = feed;
    this.authenticator = authenticator;
  }

  Answer cursor(JsonRoutes.Call call) {
    return Answer.ok(new JsonObject().put("cursor", changes.now(Caller.current()).encode()));
  }

  Answer changes(JsonRoutes.Call call) throws InterruptedException {
    Caller caller = Caller.current();
    Cursor cursor = Cursor.parse(call.query("cursor"), caller.name());
    int limit = (int) Input.query(call, "limit", 500, 1, MAX_LIMIT);
    long wait = Input.query(call, "wait", 0, 0, MAX_WAIT_SECONDS);
    boolean blocklists = Input.query(call, "blocklist", 0, 0, 1) == 1;
    long deadline = System.nanoTime() + Duration.ofSeconds(wait).toNanos();
    StillAllowed who = new StillAllowed(authenticator, call);
    AtomicBoolean gone = new AtomicBoolean();
    call.onClose(() -> gone.set(true));
    Changes.Page page;
    try (ChangeFeed.Waiter waiter = feed.watch(Changes.namespaces(caller))) {
      page = changes.read(caller, cursor, limit, blocklists);
      while (page.changes().isEmpty() && !gone.get() && !feed.closed() && System.nanoTime() < deadline) {
        waiter.await(Duration.ofNanos(deadline - System.nanoTime()));
        Caller now = who.caller();
        if (now == null) {
          throw new Refusal(401, "unauthorized", "these credentials are no longer valid");
        }
        page = changes.read(now, cursor, limit, blocklists);
      }
    }
    JsonArray list = new JsonArray();
    page.changes().forEach(c -> list.add(c.json()));
    return Answer.ok(new JsonObject()
        .put("changes", list)
        .put("cursor", page.cursor().encode())
        .put("has_more", page.hasMore()));
  }

  /**
   * The changes as an event stream: each event is one change ({@code event: change}, the change's
   * JSON as data) whose id is the cursor just after it, so {@code Last-Event-ID} resumes exactly
   * there. Without a cursor the stream starts at "now". Ends after {@link #STREAM_LIFE}, when the
   * client goes away, when the server stops, when the caller's credentials stop being valid, or
   * (after an {@code event: reset}) when a grant the cursor covers is removed.
   */
  Answer events(JsonRoutes.Call call) throws InterruptedException {
    Caller caller = Caller.current();
    String from = call.request().getHeader("Last-Event-ID");
    if (from == null) {
      from = call.query("cursor");
    }
    Cursor cursor = from == null ? changes.now(caller) : Cursor.parse(from, caller.name());
    boolean blocklists = Input.query(call, "blocklist", 0, 0, 1) == 1;
    changes.read(caller, cursor, 1, false); // refuses a cursor that cannot be served, before the 200
    AtomicBoolean gone = new AtomicBoolean();
    call.onClose(() -> gone.set(true));
    HttpServerResponse r = call.response();
    r.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
    // The start's cursor as an id: a client that reconnects before any change resumes from here.
    send(r, "retry: 2000\nid: " + cursor.encode() + "\n\n");
    long end = System.nanoTime() + STREAM_LIFE.toNanos();
    long quietSince = System.nanoTime();
    StillAllowed who = new StillAllowed(authenticator, call);
    try (ChangeFeed.Waiter waiter = feed.watch(Changes.namespaces(caller))) {
      for (Caller now = caller; now != null && !gone.get() && !feed.closed() && System.nanoTime() < end; now = who.caller()) {
        Changes.Page page = changes.read(now, cursor, 200, blocklists);
        for (Changes.Change c : page.changes()) {
          cursor = cursor.with(c.row().ns(), c.row().jid());
          send(r, "id: " + cursor.encode() + "\nevent: change\ndata: " + c.json().encode() + "\n\n");
          quietSince = System.nanoTime();
        }
        if (page.changes().isEmpty()) {
          if (System.nanoTime() - quietSince > KEEPALIVE.toNanos()) {
            send(r, ": keep-alive\n\n");
            quietSince = System.nanoTime();
          }
          waiter.await(KEEPALIVE);
        }
      }
    } catch (Refusal reset) {
      // A grant was removed while streaming: say so, as GET changes would, and end.
      send(r, "event: reset\ndata: " + JsonRoutes.error("reset", reset.getMessage()).encode() + "\n\n");
    } catch (RuntimeException e) {
      if (!gone.get()) {
        throw e;
      }
    }
    if (!gone.get()) {
      r.end();
    }
    return null;
  }

  /** Writes {@code text}, waiting while the connection's queue is full (a slow reader). */
  private static void send(HttpServerResponse r, String text) {
    Await.result(r.write(text));
  }
}
